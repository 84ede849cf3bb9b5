import { type Static, Type } from 'typebox';
import { Nullable } from './nullable.js';
import { DateTime } from './pagination.js';

export const BreakerState = Type.Object({
  name: Type.String(),
  state: Type.Enum(['closed', 'open', 'half_open']),
  since: Nullable(DateTime),
  failures: Type.Integer({ minimum: 0 }),
});
export type BreakerState = Static<typeof BreakerState>;

export const ErrorEvent = Type.Object({
  at: DateTime,
  level: Type.Enum(['warn', 'error', 'fatal']),
  message: Type.String(),
  code: Nullable(Type.String()),
  detail: Nullable(Type.String()),
});
export type ErrorEvent = Static<typeof ErrorEvent>;

/** A raid or account takeover a chat detected, and what the bot did about it. */
export const AnomalyAlert = Type.Object({
  id: Type.Integer({ minimum: 1 }),
  chatId: Type.Integer(),
  kind: Type.Enum(['join_burst', 'new_member_links', 'new_member_same_text', 'takeover']),
  at: DateTime,
  detail: Type.String({ description: 'what was observed against the baseline, in numbers (never texts or names)' }),
  observed: Type.Number(),
  expected: Type.Number(),
  suspects: Type.Integer({ minimum: 0, description: 'members the alert concerns' }),
  action: Type.Enum(['alert', 'slow', 'notify_admins', 'restrict'], { description: "the chat's anomaly.action" }),
  status: Type.Enum(['done', 'pending', 'refused', 'failed']),
  outcome: Nullable(Type.String()),
});
export type AnomalyAlert = Static<typeof AnomalyAlert>;

/** What needs an admin's attention. */
export const Alerts = Type.Object({
  quarantined: Type.Array(Type.Object({ chatId: Type.Integer(), reason: Type.String(), until: DateTime })),
  breakers: Type.Array(BreakerState),
  /** The Telegram ingress: stalled when updates wait and the confirmed offset does not move. */
  ingress: Nullable(
    Type.Object({
      stalled: Type.Boolean(),
      stalledForS: Type.Number({ minimum: 0 }),
      updatesWaiting: Type.Integer({ minimum: 0 }),
    }),
  ),
  /** Updates kept because their chat was quarantined, waiting for an admin (null: not kept in this process). */
  deadLetters: Nullable(Type.Integer({ minimum: 0 })),
  recentErrors: Type.Array(ErrorEvent),
  /** Raids and takeovers, newest first (null: not kept in this process). */
  anomalies: Nullable(Type.Array(AnomalyAlert)),
  counters: Type.Object({
    deadLetters: Type.Integer(),
    persistFailures: Type.Integer(),
    overflowRejected: Type.Integer(),
    restarts: Type.Integer(),
  }),
});
