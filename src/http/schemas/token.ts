import { type Static, Type } from 'typebox';
import type { Identity as PortIdentity } from '../../ports/index.js';
import { Nullable } from './nullable.js';
import type { PortType } from './port-type.js';
import { DateTime } from './pagination.js';
import { Role } from './role.js';
import { Text } from './text.js';

/** A token as admins see it: never the secret, never its hash. */
export const TokenView = Type.Object({
  id: Type.String(),
  label: Type.String(),
  role: Role,
  createdAt: DateTime,
  createdBy: Nullable(Type.String()),
  revokedAt: Nullable(DateTime),
});
export type TokenView = Static<typeof TokenView>;

export const TokenCreateBody = Type.Object(
  { role: Role, label: Text({ minLength: 1, maxLength: 100 }) },
  { additionalProperties: false },
);
export type TokenCreateBody = Static<typeof TokenCreateBody>;

/** The answer to a token creation: the only time the secret is shown. */
export const TokenCreated = Type.Object({
  token: Type.String({ description: 'the bearer token; shown once, stored only as a hash' }),
  record: TokenView,
});

/** Who is calling, as the session route reports it. */
export const Identity = Type.Object({ tokenId: Type.String(), label: Type.String(), role: Role });
export type Identity = PortType<PortIdentity, typeof Identity>;
