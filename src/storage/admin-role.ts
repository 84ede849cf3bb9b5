/** Roles of admin API tokens, as the `admin_tokens.role` check constraint allows them. */
export type AdminRole = 'viewer' | 'operator' | 'admin';

const roles: readonly string[] = ['viewer', 'operator', 'admin'] satisfies AdminRole[];

/** Narrows a stored role; the table's check constraint makes any other value a schema bug. */
export function parseAdminRole(value: string): AdminRole {
  if (!roles.includes(value)) throw new RangeError(`stored role "${value}" is not one of ${roles.join(', ')}`);
  return value as AdminRole;
}
