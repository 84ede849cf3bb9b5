/** A bot command as typed: its name (lower case) and what follows it. Which plugin runs it is decided by the chat's {@link CommandTable}. */
export interface Command {
  name: string;
  /** The rest of the message, trimmed; '' when nothing follows the command. */
  args: string;
}

const COMMAND = /^\/([a-zA-Z0-9_]{1,32})(?:@([a-zA-Z0-9_]{3,64}))?(?:\s+([\s\S]*))?$/;

/**
 * Parses a Telegram command ("/stats", "/mode@lekha_bot active"). Returns
 * null for text that is not a command and for commands addressed to another
 * bot ("/start@other_bot"), which are none of this bot's business.
 */
export function parseCommand(text: string, botUsername: string): Command | null {
  if (text.charCodeAt(0) !== 0x2f) return null;
  const m = COMMAND.exec(text.trim());
  if (m === null) return null;
  const [, rawName, addressee, rawArgs] = m;
  if (addressee !== undefined && addressee.toLowerCase() !== botUsername.replace(/^@/, '').toLowerCase()) return null;
  return { name: rawName!.toLowerCase(), args: (rawArgs ?? '').trim() };
}

/** Splits command arguments at white space. */
export function splitArgs(args: string): string[] {
  return args.length === 0 ? [] : args.split(/\s+/);
}
