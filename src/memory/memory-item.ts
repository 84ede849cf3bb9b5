import type { IndexStamp, MemoryItem, MemoryKind } from '../ports/index.js';

/** Whether an index file written at stamp `a` is current for the store at stamp `b`. */
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
