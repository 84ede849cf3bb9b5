import { Type } from 'typebox';
import { Nullable } from './nullable.js';

export const Liveness = Type.Object({ status: Type.Literal('ok'), uptimeS: Type.Number() });

export const Readiness = Type.Object({
  status: Type.Enum(['ready', 'not_ready']),
  checks: Type.Array(Type.Object({ name: Type.String(), ready: Type.Boolean(), reason: Nullable(Type.String()) })),
});
