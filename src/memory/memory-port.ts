import type { NewMemory } from '../ports/index.js';
import type { MemoryHit, SearchFilter } from './memory-item.js';

/** A text to remember: a memory to store, before the memory edge embeds it. */
export interface RememberRequest extends Omit<NewMemory, 'recalledIds' | 'embedder' | 'vector'> {
  /** For a bot reply: the memories recalled for it (they share its feedback). */
  recalledIds?: readonly number[] | undefined;
}

export type RememberOutcome =
  | { stored: true; id: number }
  /** Not stored: the pool or write queue was full, the text had nothing to embed, or the message is remembered already. */
  | { stored: false; reason: 'saturated' | 'empty' | 'duplicate' };

export interface RecallRequest {
  chatId: number;
  /** What to find similar memories to (the message being answered). */
  text: string;
  /** How many nearest memories to return at most. */
  k: number;
  filter?: SearchFilter | undefined;
}

/**
 * What a chat actor asks of long-term memory. Every call is a side effect:
 * the actor starts it and gets the result back as a message.
 */
export interface MemoryPort {
  remember(request: RememberRequest): Promise<RememberOutcome>;
  /** Memories of the chat nearest to the text, nearest first (not yet re-ranked). */
  recall(request: RecallRequest): Promise<MemoryHit[]>;
  /** Feedback on the bot reply sent as `messageId`; returns how many memories it changed. */
  feedback(chatId: number, messageId: number, delta: number): Promise<number>;
  /** Deletes a member's memories (in one chat, or all); returns how many. */
  forgetUser(userId: number, chatId?: number): Promise<number>;
}
