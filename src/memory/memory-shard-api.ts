import type { IndexStamp, MemoryItem } from '../ports/index.js';
import type { MemoryHit, SearchFilter } from './memory-item.js';

/** How a shard answered a load: the index is in memory, or it must be rebuilt first. */
export type LoadResult = 'loaded' | 'missing' | 'stale';

export interface ShardStats {
  chats: number;
  vectors: number;
  /**
   * The shard thread's V8 heap in use plus its external memory (array
   * buffers: the exact tier's vectors live there). Under `--expose-gc`
   * (the benches) garbage is collected first, so it is what is held.
   */
  heapBytes: number;
  /** Native memory of the HNSW-tier indexes, from hnswlib's allocation sizes: V8 cannot see it. */
  indexBytes: number;
}

/** After an add: the chat's live count and oldest memory, for retention. */
export interface AddResult {
  added: number;
  live: number;
  oldestMs: number | null;
}

/**
 * What a memory shard (one long-lived worker thread, reached through
 * comlink) does for the chats it owns. Every call names the chat; a chat
 * must be loaded (`load` answered `loaded`) before anything else touches it.
 */
export interface MemoryShardApi {
  /** Loads the chat's index from its file if it was written at `expected`; an empty store needs no file. */
  load(chatId: number, dims: number, expected: IndexStamp): Promise<LoadResult>;
  add(chatId: number, items: MemoryItem[], vectors: Float32Array): Promise<AddResult>;
  search(chatId: number, vector: Float32Array, k: number, filter?: SearchFilter): Promise<MemoryHit[]>;
  /**
   * Embeds `text` in the shard (only a shard started with a query embedder
   * can) and searches with it: one thread crossing for a recall instead of
   * two. A text with nothing to embed finds nothing.
   */
  searchText(chatId: number, text: string, k: number, filter?: SearchFilter): Promise<MemoryHit[]>;
  remove(chatId: number, ids: number[]): Promise<number>;
  setFeedback(chatId: number, updates: Array<{ id: number; feedback: number; revision: number }>): Promise<void>;
  /** Writes the chat's index file (when `persist`) and drops it from memory. */
  unload(chatId: number, persist: boolean): Promise<void>;
  stats(): Promise<ShardStats>;
  /**
   * Ends the thread with `code` once the calls sent before this one have
   * answered (loads and unloads included): the thread exits between two
   * calls, never inside hnswlib. The answer may never arrive; wait for the
   * thread's `exit` event instead.
   */
  exit(code: number): Promise<void>;
}
