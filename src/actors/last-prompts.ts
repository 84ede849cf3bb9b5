import type { PromptView } from './prompt-view.js';

/** How many chats' last prompts a process keeps by default: about 8 MB at a prompt's usual 8 KB. */
export const LAST_PROMPTS_KEPT = 1024;

/**
 * The last prompt each live chat sent to the model, for the debug view,
 * kept for the `capacity` chats that prompted most recently. A prompt is
 * several KB of text (persona, rules, style, the history it showed); held
 * by every live chat it was the largest single part of an active chat's
 * heap, for a view an operator opens on a handful of chats. Built once per
 * process and shared by every chat actor.
 *
 * A Map keeps insertion order, so it is the recency list itself: recording
 * moves a chat to the end, and the first key is the one to let go.
 */
export class LastPrompts {
  private readonly byChat = new Map<number, PromptView>();

  constructor(readonly capacity = LAST_PROMPTS_KEPT) {
    if (!Number.isInteger(capacity) || capacity < 0)
      throw new RangeError(`last prompts kept must be a non-negative integer, got ${capacity}`);
  }

  get size(): number {
    return this.byChat.size;
  }

  record(chatId: number, prompt: PromptView): void {
    this.byChat.delete(chatId);
    if (this.capacity === 0) return;
    this.byChat.set(chatId, prompt);
    if (this.byChat.size > this.capacity) this.byChat.delete(this.byChat.keys().next().value as number);
  }

  /** The chat's last prompt, or null when it has none (yet, or any more). */
  get(chatId: number): PromptView | null {
    return this.byChat.get(chatId) ?? null;
  }

  /** Lets go of a chat's prompt: it stopped, or a member it may quote was forgotten. */
  forget(chatId: number): void {
    this.byChat.delete(chatId);
  }
}
