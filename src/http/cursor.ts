import { InvalidCursorError } from './errors.js';

/** The key of the last row of a page: the values a keyset query continues after. */
export type CursorKey = ReadonlyArray<string | number>;

/**
 * Opaque pagination cursors: the last row's sort key as base64url JSON.
 * Readers check the shape they expect, so a tampered cursor is a clear 400
 * rather than a wrong page. Every number in a key (ids, counts, times in
 * ms) is an integer, so a number part must be a safe integer: `1.5` or
 * `1e300` would otherwise reach a `bigint` comparison and fail there.
 */
export const Cursor = {
  encode(key: CursorKey): string {
    return Buffer.from(JSON.stringify(key)).toString('base64url');
  },

  /** Decodes a cursor made by `encode` with `arity` parts of the given kinds. */
  decode(cursor: string, kinds: ReadonlyArray<'string' | 'number'>): Array<string | number> {
    let parsed: unknown;
    try {
      parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    } catch {
      // Not base64url JSON at all: the same answer as any other foreign cursor.
      throw new InvalidCursorError();
    }
    if (!Array.isArray(parsed) || parsed.length !== kinds.length) throw new InvalidCursorError();
    const key: Array<string | number> = [];
    kinds.forEach((kind, i) => {
      const part: unknown = parsed[i];
      if (kind === 'number' && Number.isSafeInteger(part)) key.push(part as number);
      else if (kind === 'string' && typeof part === 'string') key.push(part);
      else throw new InvalidCursorError();
    });
    return key;
  },
};
