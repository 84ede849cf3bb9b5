import { Type } from 'typebox';
import type { Job, SchedulerStats as PortSchedulerStats } from '../../ports/index.js';
import { Nullable } from './nullable.js';
import type { PortType } from './port-type.js';

export const JobStatus = Type.Enum(['pending', 'claimed', 'delivering', 'done', 'failed', 'cancelled', 'in_doubt']);

export const SchedulerStats = Type.Object({
  executed: Type.Integer({ minimum: 0 }),
  succeeded: Type.Integer({ minimum: 0 }),
  failed: Type.Integer({ minimum: 0 }),
  retried: Type.Integer({ minimum: 0 }),
  inDoubt: Type.Integer({ minimum: 0 }),
  lateMs: Type.Object(
    { p50: Type.Number(), p99: Type.Number() },
    { description: 'how late runs started after their due time' },
  ),
  byStatus: Type.Object({
    pending: Type.Integer({ minimum: 0 }),
    claimed: Type.Integer({ minimum: 0 }),
    delivering: Type.Integer({ minimum: 0 }),
    done: Type.Integer({ minimum: 0 }),
    failed: Type.Integer({ minimum: 0 }),
    cancelled: Type.Integer({ minimum: 0 }),
    in_doubt: Type.Integer({ minimum: 0 }),
  }),
});
export type SchedulerStats = PortType<PortSchedulerStats, typeof SchedulerStats>;

export const JobSchedule = Type.Union([
  Type.Object({ kind: Type.Literal('once') }),
  Type.Object({ kind: Type.Literal('every'), everyMs: Type.Integer({ minimum: 1 }) }),
  Type.Object({ kind: Type.Literal('cron'), pattern: Type.String(), timeZone: Type.Optional(Type.String()) }),
]);

/** The port's `Job` as the admin API shows it: the text is withheld (null) from all but admins. */
type ApiJob = { -readonly [K in keyof Job]: K extends 'text' ? string | null : Job[K] };

export const JobView = Type.Object({
  id: Type.Integer({ minimum: 1 }),
  kind: Type.String({ description: '`reminder`, or `plugin:<name>:<job>`' }),
  key: Nullable(Type.String()),
  chatId: Nullable(Type.Integer()),
  userId: Nullable(Type.Integer()),
  text: Nullable(
    Type.String({ description: "a reminder's text: personal data, shown to admins only (null for other roles)" }),
  ),
  dueAtMs: Type.Integer(),
  status: JobStatus,
  attempts: Type.Integer({ minimum: 0 }),
  maxAttempts: Type.Integer({ minimum: 0 }),
  schedule: JobSchedule,
  missedRuns: Type.Enum(['run-once', 'skip']),
  lastError: Nullable(Type.String()),
  createdAtMs: Type.Integer(),
  updatedAtMs: Type.Integer(),
});
export type JobView = PortType<ApiJob, typeof JobView>;

export const JobPage = Type.Object({
  items: Type.Array(JobView),
  /** The id to pass as `after` for the next page; null on the last one. */
  next: Nullable(Type.Integer()),
});
