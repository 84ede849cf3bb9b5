/** What a memory is: a member's fact about themselves, a notable message, or one of the bot's replies. */
export type MemoryKind = 'fact' | 'message' | 'bot';

/** One remembered text of a chat, as the memory shards hold it next to its vector. */
export interface MemoryItem {
  /** Unique within the chat; the label of the vector in the chat's index. */
  id: number;
  kind: MemoryKind;
  /** PII-redacted text. */
  text: string;
  /** Who said it (the bot's own id for `bot`). */
  fromId: number;
  /** When it was said (epoch ms). */
  ms: number;
  /** Sum of the feedback it received (reactions, thanks, rejections). */
  feedback: number;
  /** The Telegram message it came from; how feedback on a bot reply finds it. */
  messageId: number;
  /** For a bot reply: the memories recalled for it, which share its feedback. */
  recalledIds: number[];
  /** Store revision of the row's last change; see {@link IndexStamp}. */
  revision: number;
}

/**
 * Identifies one state of a chat's memories in the store: the highest row
 * revision (every insert and feedback change takes a new one) and the number
 * of rows (every delete lowers it). An index file written with the same
 * stamp as the store's is current; any other is stale and is rebuilt.
 */
export interface IndexStamp {
  maxRevision: number;
  live: number;
}

/** A memory to store, with its vector. */
export interface NewMemory {
  chatId: number;
  kind: MemoryKind;
  /** PII-redacted text. */
  text: string;
  fromId: number;
  ms: number;
  /** The Telegram message it came from. */
  messageId: number;
  /** For a bot reply: the memories recalled for it (they share its feedback). */
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
 * Where memories are kept for good: the source of truth the memory shards'
 * indexes are rebuilt from. Storage implements it on the `memories` table;
 * the memory edge's `InMemoryMemoryStore` keeps it for a process without
 * storage. Ids and revisions come from one ever-growing sequence, so an id
 * is never reused and every change moves the chat's {@link IndexStamp}.
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
  /**
   * The chat's memories of `embedder`, with their vectors packed in the same
   * order, or `vectors: null` from a store that keeps no vectors (the
   * in-process one: the shard's index already holds them, and an index lost
   * with its shard is rebuilt by embedding the texts again, which the
   * deterministic embedders make the same vectors).
   */
  load(chatId: number, embedder: string): Promise<{ items: MemoryItem[]; vectors: Float32Array | null }>;
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
