import type { OidcRoleRule } from '../ports/admin-session.js';
import { type Role, roleAllows } from '../schemas/role.js';

/**
 * The highest role the rules give a user with these claims, or null. E-mail
 * and domain rules count only an address the provider says is verified
 * (`email_verified: true`): otherwise anyone who can type an address into
 * their profile could claim it.
 */
export function oidcRole(
  rules: readonly OidcRoleRule[],
  claims: Record<string, unknown>,
  roleClaim: string,
): Role | null {
  const email =
    claims.email_verified === true && typeof claims.email === 'string' ? claims.email.toLowerCase() : undefined;
  const claimed = claims[roleClaim];
  const values = new Set(
    (Array.isArray(claimed) ? claimed : [claimed]).filter((v): v is string => typeof v === 'string'),
  );
  let best: Role | null = null;
  for (const rule of rules) {
    const matches =
      (rule.match === 'email' && email === rule.value) ||
      (rule.match === 'domain' && email !== undefined && email.endsWith(`@${rule.value}`)) ||
      (rule.match === 'claim' && values.has(rule.value)) ||
      (rule.match === 'subject' && claims.sub === rule.value);
    if (matches && (best === null || !roleAllows(best, rule.role))) best = rule.role;
  }
  return best;
}
