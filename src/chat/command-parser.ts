import type { ChatMode } from './chat-settings.js';

/** A command of the bot, parsed and checked; `unknown` carries what was typed. */
export type Command =
  | { name: 'start' }
  | { name: 'help' }
  | { name: 'stats'; target: 'chat' | 'me' | { username: string } | 'replied' }
  | { name: 'top' }
  | { name: 'summary'; hours: number | null }
  | { name: 'mode'; mode: ChatMode | null; invalid: string | null }
  | { name: 'unknown'; typed: string };

const COMMAND = /^\/([a-zA-Z0-9_]{1,32})(?:@([a-zA-Z0-9_]{3,64}))?(?:\s+([\s\S]*))?$/;

/**
 * Parses a Telegram command ("/stats", "/mode@lekha_bot active"). Returns
 * null for text that is not a command and for commands addressed to another
 * bot ("/start@other_bot"), which are none of this bot's business.
 */
export function parseCommand(text: string, botUsername: string, isReply: boolean): Command | null {
  if (text.charCodeAt(0) !== 0x2f) return null;
  const m = COMMAND.exec(text.trim());
  if (m === null) return null;
  const [, rawName, addressee, rawArgs] = m;
  if (addressee !== undefined && addressee.toLowerCase() !== botUsername.replace(/^@/, '').toLowerCase()) return null;
  const name = rawName!.toLowerCase();
  const args = (rawArgs ?? '')
    .trim()
    .split(/\s+/)
    .filter((a) => a.length > 0);
  switch (name) {
    case 'start':
      return { name: 'start' };
    case 'help':
      return { name: 'help' };
    case 'top':
      return { name: 'top' };
    case 'stats': {
      const arg = args[0]?.toLowerCase();
      if (arg === 'me' || arg === 'я') return { name: 'stats', target: 'me' };
      if (arg !== undefined && arg.startsWith('@')) return { name: 'stats', target: { username: arg.slice(1) } };
      return { name: 'stats', target: isReply ? 'replied' : 'chat' };
    }
    case 'summary': {
      const hours = args[0] === undefined ? null : Number.parseInt(args[0], 10);
      return {
        name: 'summary',
        hours: hours !== null && Number.isFinite(hours) && hours > 0 ? Math.min(hours, 72) : null,
      };
    }
    case 'mode': {
      const arg = args[0]?.toLowerCase();
      if (arg === undefined) return { name: 'mode', mode: null, invalid: null };
      if (arg === 'silent' || arg === 'normal' || arg === 'active') return { name: 'mode', mode: arg, invalid: null };
      return { name: 'mode', mode: null, invalid: arg.slice(0, 32) };
    }
    default:
      return { name: 'unknown', typed: name };
  }
}
