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

/** One page of a list; `nextCursor` is null on the last page. */
export function PageOf<T extends TSchema>(item: T) {
  return Type.Object({ items: Type.Array(item), nextCursor: Nullable(Type.String()) });
}

export type { Page, PageRequest } from '../../ports/index.js';

export const DateTime = Type.String({ format: 'date-time' });
export type DateTime = Static<typeof DateTime>;
