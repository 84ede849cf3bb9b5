import type { AdminRole } from '../ports/index.js';

const roles: readonly string[] = ['viewer', 'operator', 'admin'] satisfies AdminRole[];

/** Narrows a stored role; the table's check constraint makes any other value a schema bug. */
export function parseAdminRole(value: string): AdminRole {
  if (!roles.includes(value)) throw new RangeError(`stored role "${value}" is not one of ${roles.join(', ')}`);
  return value as AdminRole;
}
