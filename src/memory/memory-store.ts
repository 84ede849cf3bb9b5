import type { IndexStamp, MemoryItem } from './memory-item.js';
import type { RememberRequest } from './memory-port.js';

/** A memory to store, with its vector. */
export interface NewMemory extends Omit<RememberRequest, 'recalledIds'> {
  recalledIds: number[];
  /** Name of the embedder that made the vector; vectors of different embedders never mix. */
  embedder: string;
  vector: Float32Array;
}

/** One feedback change: the memory's new total and the revision it was stored at. */
export interface FeedbackUpdate {
  id: number;
  feedback: number;
  revision: number;
}

/**
 * Where memories are kept for good (Postgres in production): the source of
 * truth the shards' indexes are rebuilt from. Ids and revisions come from
 * one ever-growing sequence, so an id is never reused and every change
 * moves the chat's {@link IndexStamp}.
 */
export interface MemoryStore {
  /**
   * Stores memories; returns them with their ids and revisions, in order.
   * A memory of a message and kind already stored (the message was
   * processed again after a crash) is skipped and not returned.
   */
  insert(rows: readonly NewMemory[]): Promise<MemoryItem[]>;
  /** The chat's current stamp over the memories of `embedder`. */
  stamp(chatId: number, embedder: string): Promise<IndexStamp>;
  /** The chat's memories of `embedder`, with their vectors packed in the same order. */
  load(chatId: number, embedder: string): Promise<{ items: MemoryItem[]; vectors: Float32Array }>;
  /** Deletes the chat's memories beyond the newest `maxCount` or from before `beforeMs`; returns the ids deleted. */
  prune(chatId: number, maxCount: number, beforeMs: number): Promise<number[]>;
  /** Deletes a member's memories (in one chat, or everywhere); returns the ids deleted, by chat. */
  forgetUser(userId: number, chatId?: number): Promise<Map<number, number[]>>;
  /**
   * Adds `delta` to the feedback of the bot reply sent as `messageId` in
   * the chat and of the memories recalled for it; returns the changes.
   */
  addFeedback(chatId: number, messageId: number, delta: number): Promise<FeedbackUpdate[]>;
}
