/** One page of a list; `nextCursor` is null on the last page. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/**
 * Where a page starts and how long it is. Cursors are opaque strings the
 * list's implementation makes and reads back.
 */
export interface PageRequest {
  cursor: string | undefined;
  limit: number;
}
