import { Type } from 'typebox';
import type { DeadLetterSummary as PortDeadLetterSummary } from '../../ports/index.js';
import { Nullable } from './nullable.js';
import { DateTime } from './pagination.js';
import type { PortType } from './port-type.js';

export const DeadLetterSummary = Type.Object({
  id: Type.Integer({ minimum: 1 }),
  chatId: Type.Integer(),
  updateId: Type.Integer(),
  kind: Type.String({ description: 'the update kind: message, edited_message, message_reaction, …' }),
  messageId: Nullable(Type.Integer()),
  reason: Type.String({ description: 'why the chat refused it' }),
  failedAt: DateTime,
});
export type DeadLetterSummary = PortType<PortDeadLetterSummary, typeof DeadLetterSummary>;

export const DeadLetterPage = Type.Object({
  items: Type.Array(DeadLetterSummary),
  /** The id to pass as `after` for the next page; null on the last one. */
  next: Nullable(Type.Integer()),
});
