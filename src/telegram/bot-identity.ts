/** Who the bot is, from getMe: what chat actors need to tell that they are addressed. */
export interface BotIdentity {
  id: number;
  username: string;
  firstName: string;
  /**
   * False when privacy mode is on: in groups the bot then sees only
   * commands, mentions and replies to it, so group analytics are partial.
   */
  canReadAllGroupMessages: boolean;
}
