import { InvalidCursorError } from './errors.js';

/**
 * Opaque keyset cursors for the admin lists storage serves: the last row's
 * sort key as base64url JSON (the same encoding the admin API's in-memory
 * lists use, so clients see one cursor format). Readers check the shape they
 * expect, so a tampered cursor is an `InvalidCursorError` rather than a wrong page.
 * Number parts are safe integers (every key is made of ids, counts and
 * times in ms): `1.5` or `1e300` would otherwise fail in a `bigint` comparison.
 */
export const KeysetCursor = {
  encode(key: ReadonlyArray<string | number>): string {
    return Buffer.from(JSON.stringify(key)).toString('base64url');
  },

  decode<const K extends ReadonlyArray<'string' | 'number'>>(cursor: string, kinds: K): { [I in keyof K]: K[I] extends 'string' ? string : number } {
    let parsed: unknown;
    try {
      parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    } catch {
      // Not base64url JSON at all: the same answer as any other foreign cursor.
      throw new InvalidCursorError();
    }
    if (!Array.isArray(parsed) || parsed.length !== kinds.length) throw new InvalidCursorError();
    kinds.forEach((kind, i) => {
      const part: unknown = parsed[i];
      const ok = kind === 'number' ? Number.isSafeInteger(part) : typeof part === 'string';
      if (!ok) throw new InvalidCursorError();
    });
    return parsed as { [I in keyof K]: K[I] extends 'string' ? string : number };
  },
};

/** One page of a keyset-paginated list. */
export interface KeysetPage<T> {
  items: T[];
  nextCursor: string | null;
}

/** Turns `limit + 1` fetched rows into a page: the extra row only says there is a next page. */
export function keysetPage<R, T>(rows: readonly R[], limit: number, view: (row: R) => T, key: (row: R) => ReadonlyArray<string | number>): KeysetPage<T> {
  const slice = rows.slice(0, limit);
  const last = slice.at(-1);
  return { items: slice.map(view), nextCursor: rows.length > limit && last !== undefined ? KeysetCursor.encode(key(last)) : null };
}
