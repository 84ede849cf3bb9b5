import { type Static, Type } from 'typebox';
import type { AuditEntry as PortAuditEntry } from '../../ports/index.js';
import { Nullable } from './nullable.js';
import { DateTime, pageQueryFields } from './pagination.js';
import type { PortType } from './port-type.js';
import { Text } from './text.js';
import { Identity } from './token.js';

/**
 * One audited call — a change, or a read of message history, prompts or
 * exports: who, what, to which target, when, from where, and how it ended.
 */
export const AuditEntry = Type.Object({
  id: Type.Integer(),
  at: DateTime,
  actor: Identity,
  action: Type.String({
    description: 'e.g. chat.mode.set, chat.settings.update, token.create, messages.read, export.read',
  }),
  target: Type.String({ description: 'e.g. chat:-100123, token:ab12cd' }),
  ip: Type.String({ description: "the caller's address; `local` for the lekha token command" }),
  userAgent: Nullable(Type.String()),
  outcome: Type.Enum(['ok', 'error', 'requested'], {
    description:
      'requested: recorded before the change was made and not completed since (the outcome could not be written)',
  }),
  statusCode: Type.Integer({
    description: 'HTTP status of the answer; 0 while requested and for the lekha token command',
  }),
  details: Type.Record(Type.String(), Type.Unknown()),
});
export type AuditEntry = PortType<PortAuditEntry, typeof AuditEntry>;

export type { AuditFilter, AuditRecord, AuditResult } from '../../ports/index.js';

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
