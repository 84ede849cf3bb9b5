/**
 * What the bot may do to members of a chat when it detects a raid, asked of
 * Telegram. Restricting needs the bot to be an admin allowed to restrict
 * members; `canRestrict` says whether it is, so a refusal is clear before
 * any member is touched.
 */
export interface ChatModeration {
  canRestrict(chatId: number): Promise<boolean>;
  /** Mutes a member (no messages, media or links) until `untilMs`. */
  restrict(chatId: number, userId: number, untilMs: number): Promise<void>;
  /** Deletes a message a filter flagged (`onViolation: delete`); needs the bot to be an admin allowed to delete messages. */
  deleteMessage(chatId: number, messageId: number): Promise<void>;
}
