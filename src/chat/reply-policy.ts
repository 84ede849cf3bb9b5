import type { ChatMode } from './chat-settings.js';
import type { ChatState, TriggerKind } from './chat-state.js';
import type { Command } from './command-parser.js';
import type { MessageAnalysis } from './message-analysis.js';

/** Chance that the bot joins in unasked, per eligible message, by mode. */
export const MODE_REPLY_CHANCE: Readonly<Record<ChatMode, number>> = { silent: 0, normal: 0.03, active: 0.12 };

/** Least time between two unasked replies, by mode: the bot joins a talk, it does not take it over. */
export const RANDOM_REPLY_COOLDOWN_MS: Readonly<Record<ChatMode, number>> = {
  silent: Infinity,
  normal: 10 * 60_000,
  active: 2 * 60_000,
};

/** Messages shorter than this never get an unasked reply ("ок", "+"). */
const RANDOM_MIN_WORDS = 4;

/** What the pipeline knows about how a message relates to the bot. */
export interface AddressSignals {
  privateChat: boolean;
  command: Command | null;
  replyToBot: boolean;
  mentioned: boolean;
  calledByName: boolean;
}

/**
 * Why the bot must answer this message, or null when nobody asked it:
 * a private chat, a command, a reply to the bot, an @mention or its name.
 */
export function addressTrigger(signals: AddressSignals): TriggerKind | null {
  if (signals.command !== null) return 'command';
  if (signals.privateChat) return 'private';
  if (signals.replyToBot) return 'reply-to-bot';
  if (signals.mentioned) return 'mention';
  if (signals.calledByName) return 'name';
  return null;
}

/**
 * Whether the bot joins in unasked, by the chat's mode: a chance per message
 * (from the injected random source), never during a flood, never on short
 * messages, and not again within the mode's cooldown.
 */
export function rollRandomReply(
  state: ChatState,
  analysis: MessageAnalysis,
  nowMs: number,
  random: () => number,
  chatFlood: boolean,
): boolean {
  const mode = state.settings.mode;
  const chance = MODE_REPLY_CHANCE[mode];
  if (chance === 0 || chatFlood || analysis.scan.words.length < RANDOM_MIN_WORDS) return false;
  if (nowMs - state.chat.lastRandomReplyMs < RANDOM_REPLY_COOLDOWN_MS[mode]) return false;
  return random() < chance;
}
