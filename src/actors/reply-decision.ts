import type { BotIdentity, TelegramMessage } from '../telegram/index.js';

/** The bot's names as people write them, with the usual Russian endings (Лёха, Лёх, Лёху, Лёхе, Лёхой…). */
const NAME = /(?<![\p{L}\p{N}_])(?:л[её]х(?:а|и|е|у|ой|ою)?|lekha|lyokha)(?![\p{L}\p{N}_])/iu;
const COMMAND = /^\/(start|help)(?:@([A-Za-z0-9_]+))?(?:\s|$)/;

/**
 * Does this message ask the bot for an answer? Private chats always do; in
 * groups: `/start` or `/help` (for this bot), a reply to one of the bot's
 * messages, its name, or its @username. Messages from bots never do (no bot
 * ping-pong).
 *
 * The minimal policy; the chat-intelligence reply policy replaces it.
 */
export function isAddressed(message: TelegramMessage, bot: BotIdentity): boolean {
  if (message.from === undefined || message.from.is_bot) return false;
  if (message.chat.type === 'channel') return false;
  if (message.chat.type === 'private') return true;
  const text = message.text ?? message.caption ?? '';
  const command = COMMAND.exec(text);
  if (command !== null) return command[2] === undefined || command[2].toLowerCase() === bot.username.toLowerCase();
  if (message.reply_to_message?.from?.id === bot.id) return true;
  if (NAME.test(text)) return true;
  return text.toLowerCase().includes(`@${bot.username.toLowerCase()}`);
}
