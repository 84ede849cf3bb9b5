import { Type } from 'typebox';
import type { AdminRole } from '../../ports/index.js';
import type { PortType } from './port-type.js';

/**
 * What a token may do: `viewer` reads, `operator` also changes chat mode and
 * settings, `admin` also manages tokens, exports data and reads the audit log.
 */
export const Role = Type.Enum(['viewer', 'operator', 'admin']);
export type Role = PortType<AdminRole, typeof Role>;

const rank: Record<Role, number> = { viewer: 0, operator: 1, admin: 2 };

/** True when a token with role `held` may use a route that needs `needed`. */
export function roleAllows(held: Role, needed: Role): boolean {
  return rank[held] >= rank[needed];
}

export const roles: readonly Role[] = ['viewer', 'operator', 'admin'];
