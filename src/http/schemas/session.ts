import { type Static, Type } from 'typebox';
import { Nullable } from './nullable.js';
import { DateTime } from './pagination.js';
import { Role } from './role.js';
import { Text } from './text.js';

/** Who is calling, as `GET /api/me` reports it. */
export const Me = Type.Object({
  tokenId: Type.String(),
  label: Type.String(),
  role: Role,
  via: Type.Enum(['token', 'session']),
  /** For session callers: the token to send as `x-csrf-token` on state-changing calls. */
  csrfToken: Nullable(Type.String()),
  /** For session callers: when the session ends at the latest. */
  expiresAt: Nullable(DateTime),
});
export type Me = Static<typeof Me>;

/** A dashboard session as admins see it: never its secret or hash. */
export const SessionView = Type.Object({
  id: Type.String(),
  method: Type.Enum(['oidc', 'telegram']),
  subject: Type.String(),
  label: Type.String(),
  role: Role,
  createdAt: DateTime,
  lastSeenAt: DateTime,
  expiresAt: DateTime,
  ip: Type.String(),
  userAgent: Nullable(Type.String()),
  /** The session this call came with. */
  current: Type.Boolean(),
});
export type SessionView = Static<typeof SessionView>;

export const TelegramAdminView = Type.Object({
  telegramUserId: Type.Integer(),
  role: Role,
  label: Type.String(),
  grantedAt: DateTime,
  grantedBy: Type.String(),
});

export const TelegramAdminBody = Type.Object(
  { role: Role, label: Text({ minLength: 1, maxLength: 100 }) },
  { additionalProperties: false },
);

export const TelegramUserParams = Type.Object({
  telegramUserId: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER, description: 'a Telegram user id' }),
});

/** Which login methods the dashboard offers, for its login page (public). */
export const LoginMethods = Type.Object({
  oidc: Type.Boolean(),
  /** The Telegram Login Widget's settings, when it is offered. */
  telegram: Nullable(Type.Object({ bot: Type.String(), authUrl: Type.String() })),
});
