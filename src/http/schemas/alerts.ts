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
  counters: Type.Object({
    deadLetters: Type.Integer(),
    persistFailures: Type.Integer(),
    overflowRejected: Type.Integer(),
    restarts: Type.Integer(),
  }),
});
