import { type Static, type TSchema, Type } from 'typebox';
import { Nullable } from './nullable.js';

/** Query fields every paginated list accepts. Cursors are opaque to clients. */
export const pageQueryFields = {
  cursor: Type.Optional(
    Type.String({
      pattern: '^[A-Za-z0-9_-]{1,512}$',
      description: 'opaque cursor from a previous page (`nextCursor`)',
    }),
  ),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50, description: 'items per page' })),
};

/** Query fields of lists paged by id (dead letters, jobs): `after` is the `next` of the previous page. */
export const idPageQueryFields = {
  after: Type.Optional(
    Type.Integer({
      minimum: 0,
      maximum: Number.MAX_SAFE_INTEGER,
      description: 'the `next` of the previous page',
    }),
  ),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
};

/**
 * One page of a list paged by id, from up to `limit + 1` rows asked for:
 * `next` is the last id of the page when there are more, else null.
 */
export function idPage<T extends { id: number }>(
  rows: readonly T[],
  limit: number,
): { items: T[]; next: number | null } {
  const items = rows.slice(0, limit);
  return { items, next: rows.length > limit ? (items[items.length - 1]?.id ?? null) : null };
}

/** One page of a list; `nextCursor` is null on the last page. */
export function PageOf<T extends TSchema>(item: T) {
  return Type.Object({ items: Type.Array(item), nextCursor: Nullable(Type.String()) });
}

export type { Page, PageRequest } from '../../ports/index.js';

export const DateTime = Type.String({ format: 'date-time' });
export type DateTime = Static<typeof DateTime>;
