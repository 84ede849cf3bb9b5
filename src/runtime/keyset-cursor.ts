/** The kind of each part of a cursor's key, in order. */
export type KeysetKinds = ReadonlyArray<'string' | 'number'>;

/** The decoded key of a cursor whose parts have the kinds `K`. */
export type KeysetKey<K extends KeysetKinds> = { -readonly [I in keyof K]: K[I] extends 'string' ? string : number };

/**
 * Opaque keyset cursors for paginated lists: the last row's sort key as
 * base64url JSON. Storage's database lists and the admin API's in-memory
 * lists both use it, so clients see one cursor format. Readers check the
 * shape they expect, so a tampered cursor is refused rather than read as a
 * wrong page. Number parts are safe integers (every key is made of ids,
 * counts and times in ms): `1.5` or `1e300` would otherwise fail in a
 * `bigint` comparison.
 */
export const KeysetCursor = {
  encode(key: ReadonlyArray<string | number>): string {
    return Buffer.from(JSON.stringify(key)).toString('base64url');
  },

  /**
   * Decodes a cursor made by `encode` with parts of the given kinds. Any
   * other string throws `new invalid()`: the caller's own error, so each
   * edge answers a foreign cursor the way it answers other bad input.
   */
  decode<const K extends KeysetKinds>(cursor: string, kinds: K, invalid: new () => Error): KeysetKey<K> {
    let parsed: unknown;
    try {
      parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    } catch {
      // Not base64url JSON at all: the same answer as any other foreign cursor.
      throw new invalid();
    }
    if (!Array.isArray(parsed) || parsed.length !== kinds.length) throw new invalid();
    kinds.forEach((kind, i) => {
      const part: unknown = parsed[i];
      const ok = kind === 'number' ? Number.isSafeInteger(part) : typeof part === 'string';
      if (!ok) throw new invalid();
    });
    return parsed as KeysetKey<K>;
  },
};

/** One page of a keyset-paginated list; `nextCursor` is null on the last page. */
export interface KeysetPage<T> {
  items: T[];
  nextCursor: string | null;
}

/** Turns `limit + 1` fetched rows into a page: the extra row only says there is a next page. */
export function keysetPage<R, T>(
  rows: readonly R[],
  limit: number,
  view: (row: R) => T,
  key: (row: R) => ReadonlyArray<string | number>,
): KeysetPage<T> {
  const slice = rows.slice(0, limit);
  const last = slice.at(-1);
  return {
    items: slice.map(view),
    nextCursor: rows.length > limit && last !== undefined ? KeysetCursor.encode(key(last)) : null,
  };
}
