import { type TNull, type TSchema, type TUnion, Type } from 'typebox';

/** `schema` or JSON `null`: how the API says "unknown" or "not set" explicitly. */
export function Nullable<T extends TSchema>(schema: T): TUnion<[T, TNull]> {
  return Type.Union([schema, Type.Null()]);
}
