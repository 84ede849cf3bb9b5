import type { AdminRole, OidcRoleRule } from '../ports/index.js';

const roles: readonly string[] = ['viewer', 'operator', 'admin'] satisfies AdminRole[];

/**
 * Reads `OIDC_ROLES`, a comma-separated list of `role:who` entries:
 * `admin:alice@example.com` (an e-mail), `viewer:@example.com` (a domain),
 * `operator:group:ops` (a value of `OIDC_ROLE_CLAIM`), `admin:sub:1234`
 * (the provider's subject). Answers the rules, or the first entry's problem
 * as a sentence.
 */
export function parseOidcRoles(entries: readonly string[]): OidcRoleRule[] | string {
  const rules: OidcRoleRule[] = [];
  for (const entry of entries) {
    const colon = entry.indexOf(':');
    const role = colon < 0 ? entry : entry.slice(0, colon);
    const who = colon < 0 ? '' : entry.slice(colon + 1).trim();
    if (!roles.includes(role)) return `"${entry}": expected role:who with a role of ${roles.join(', ')}`;
    const rule = ruleOf(role as AdminRole, who);
    if (rule === undefined)
      return `"${entry}": expected who to be an e-mail, @domain, group:<claim value> or sub:<subject>`;
    rules.push(rule);
  }
  return rules;
}

function ruleOf(role: AdminRole, who: string): OidcRoleRule | undefined {
  if (who.startsWith('group:') && who.length > 'group:'.length) return { role, match: 'claim', value: who.slice(6) };
  if (who.startsWith('sub:') && who.length > 'sub:'.length) return { role, match: 'subject', value: who.slice(4) };
  if (/^@[^@\s]+\.[^@\s]+$/.test(who)) return { role, match: 'domain', value: who.slice(1).toLowerCase() };
  if (/^[^@\s:]+@[^@\s]+$/.test(who)) return { role, match: 'email', value: who.toLowerCase() };
  return undefined;
}
