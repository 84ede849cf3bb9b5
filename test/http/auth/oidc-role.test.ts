import { describe, expect, it } from 'vitest';
import { oidcRole, type OidcRoleRule } from '../../../src/http/index.js';

const rules: OidcRoleRule[] = [
  { role: 'viewer', match: 'domain', value: 'example.com' },
  { role: 'admin', match: 'email', value: 'alice@example.com' },
  { role: 'operator', match: 'claim', value: 'ops' },
  { role: 'admin', match: 'subject', value: 'root-1' },
];

describe('oidcRole', () => {
  it.each([
    ['a listed verified e-mail, in any case', { sub: 'a', email: 'ALICE@example.com', email_verified: true }, 'admin'],
    ['a verified address at a listed domain', { sub: 'b', email: 'bob@example.com', email_verified: true }, 'viewer'],
    ['a look-alike domain', { sub: 'c', email: 'carol@evil-example.com', email_verified: true }, null],
    ['an unverified listed e-mail', { sub: 'm', email: 'alice@example.com', email_verified: false }, null],
    ['an e-mail without email_verified', { sub: 'm', email: 'alice@example.com' }, null],
    ['a group in a list claim', { sub: 'd', groups: ['dev', 'ops'] }, 'operator'],
    ['a group in a string claim', { sub: 'd', groups: 'ops' }, 'operator'],
    ['a listed subject', { sub: 'root-1' }, 'admin'],
    [
      'the highest of several matches',
      { sub: 'e', email: 'e@example.com', email_verified: true, groups: ['ops'] },
      'operator',
    ],
    ['nothing that matches', { sub: 'z', groups: ['marketing'] }, null],
  ])('%s', (_what, claims, role) => {
    expect(oidcRole(rules, claims, 'groups')).toBe(role);
  });

  it('reads groups from the configured claim only', () => {
    expect(oidcRole(rules, { sub: 'd', roles: ['ops'] }, 'groups')).toBeNull();
    expect(oidcRole(rules, { sub: 'd', roles: ['ops'] }, 'roles')).toBe('operator');
  });
});
