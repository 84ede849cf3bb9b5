import { CHAT_STATE_LIMITS, type ChatState, type HistoryEntry } from './chat-state.js';

/**
 * Appends a message to the recent history (PII already redacted), shortening
 * long texts and dropping the oldest entry beyond the cap.
 */
export function appendHistory(state: ChatState, entry: HistoryEntry): void {
  const max = CHAT_STATE_LIMITS.historyTextChars;
  if (entry.text.length > max) entry.text = `${entry.text.slice(0, max - 1)}…`;
  state.history.push(entry);
  if (state.history.length > CHAT_STATE_LIMITS.historyEntries) state.history.shift();
}

/** The history entry with this message id, if it is still kept. */
export function findInHistory(state: ChatState, messageId: number): HistoryEntry | undefined {
  for (let i = state.history.length - 1; i >= 0; i--) {
    if (state.history[i]!.id === messageId) return state.history[i];
  }
  return undefined;
}

/** Id of the newest member message in the history (the bot's own are added out of order), 0 when none. */
export function lastMemberMessageId(state: ChatState): number {
  for (let i = state.history.length - 1; i >= 0; i--) {
    if (!state.history[i]!.bot) return state.history[i]!.id;
  }
  return 0;
}
