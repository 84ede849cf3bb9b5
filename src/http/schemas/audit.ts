import { type Static, Type } from 'typebox';
import { Nullable } from './nullable.js';
import { DateTime, pageQueryFields } from './pagination.js';
import { Text } from './text.js';
import { Identity } from './token.js';

/** One state-changing call: who, what, to which target, when, from where, and how it ended. */
export const AuditEntry = Type.Object({
  id: Type.Integer(),
  at: DateTime,
  actor: Identity,
  action: Type.String({ description: 'e.g. chat.mode.set, chat.settings.update, token.create, export.download' }),
  target: Type.String({ description: 'e.g. chat:-100123, token:ab12cd' }),
  ip: Type.String(),
  userAgent: Nullable(Type.String()),
  outcome: Type.Enum(['ok', 'error']),
  statusCode: Type.Integer(),
  details: Type.Record(Type.String(), Type.Unknown()),
});
export type AuditEntry = Static<typeof AuditEntry>;

/** An audit row before the log numbers and stamps it. */
export type AuditRecord = Omit<AuditEntry, 'id'>;

export const AuditQuery = Type.Object(
  {
    actor: Type.Optional(Text({ minLength: 1, maxLength: 100, description: 'token id' })),
    action: Type.Optional(Text({ minLength: 1, maxLength: 100, description: 'exact action, or a prefix ending in *' })),
    target: Type.Optional(Text({ minLength: 1, maxLength: 200 })),
    from: Type.Optional(DateTime),
    to: Type.Optional(DateTime),
    ...pageQueryFields,
  },
  { additionalProperties: false },
);
export type AuditQuery = Static<typeof AuditQuery>;

/** The filter part of an audit query, as the audit log port receives it. */
export interface AuditFilter {
  actor?: string | undefined;
  action?: string | undefined;
  target?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
}
