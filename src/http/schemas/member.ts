import { Type } from 'typebox';
import type { MemberSummary as PortMemberSummary } from '../../ports/index.js';
import { Nullable } from './nullable.js';
import { DateTime } from './pagination.js';
import type { PortType } from './port-type.js';

/** A member of a chat as stored: who they are and how much they talk. */
export const MemberSummary = Type.Object({
  userId: Type.Integer(),
  username: Nullable(Type.String()),
  displayName: Type.String(),
  messages: Type.Integer({ minimum: 0 }),
  firstSeenAt: Nullable(DateTime),
  lastSeenAt: Nullable(DateTime),
});
export type MemberSummary = PortType<PortMemberSummary, typeof MemberSummary>;
