import { type Static, Type } from 'typebox';
import { Nullable } from './nullable.js';
import { DateTime } from './pagination.js';

/** A member of a chat as stored: who they are and how much they talk. */
export const MemberSummary = Type.Object({
  userId: Type.Integer(),
  username: Nullable(Type.String()),
  displayName: Type.String(),
  messages: Type.Integer({ minimum: 0 }),
  firstSeenAt: Nullable(DateTime),
  lastSeenAt: Nullable(DateTime),
});
export type MemberSummary = Static<typeof MemberSummary>;
