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

export function sameStamp(a: IndexStamp, b: IndexStamp): boolean {
  return a.maxRevision === b.maxRevision && a.live === b.live;
}

/** A memory found by similarity search. */
export interface MemoryHit extends Pick<MemoryItem, 'id' | 'kind' | 'text' | 'fromId' | 'ms' | 'feedback'> {
  /** Cosine similarity to the query, in [-1, 1]. */
  similarity: number;
}

/** Narrows a search. */
export interface SearchFilter {
  kinds?: readonly MemoryKind[] | undefined;
  /** Ids not to return (e.g. memories already in the prompt). */
  excludeIds?: readonly number[] | undefined;
  /** Only memories at or after this time. */
  sinceMs?: number | undefined;
}
