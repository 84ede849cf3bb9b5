import { describe, expect, it } from 'vitest';
import { TokenAuthenticator } from '../../../src/http/auth/token-authenticator.js';
import { issueToken, MemoryAuditLog, MemoryTokenStore, UnauthorizedError } from '../../../src/http/index.js';
import { setUpAudit, setUpRevokeAudit } from '../../support/set-up-audit.js';
import { ManualClock } from '../../../src/runtime/index.js';

describe('TokenAuthenticator', () => {
  it('trusts a verified token for cacheMs, so a revocation made elsewhere lands within that time', async () => {
    const clock = new ManualClock();
    const store = new MemoryTokenStore(new MemoryAuditLog());
    const { token, record } = await issueToken(
      store,
      { role: 'operator', label: 'ops', createdBy: null },
      clock,
      setUpAudit,
    );
    const auth = new TokenAuthenticator({ store, clock, cacheMs: 10_000 });
    const header = `Bearer ${token}`;
    expect(await auth.authenticate(header)).toEqual({ tokenId: record.id, label: 'ops', role: 'operator' });
    await store.revoke(record.id, new Date(clock.now()).toISOString(), setUpRevokeAudit(record.id));
    expect((await auth.authenticate(header)).role).toBe('operator');
    await clock.advance(10_000);
    await expect(auth.authenticate(header)).rejects.toThrow(UnauthorizedError);
  });

  it('forgets a token at once when told (revocation through the API)', async () => {
    const clock = new ManualClock();
    const store = new MemoryTokenStore(new MemoryAuditLog());
    const { token, record } = await issueToken(
      store,
      { role: 'viewer', label: 'v', createdBy: null },
      clock,
      setUpAudit,
    );
    const auth = new TokenAuthenticator({ store, clock });
    await auth.authenticate(`Bearer ${token}`);
    await store.revoke(record.id, new Date(clock.now()).toISOString(), setUpRevokeAudit(record.id));
    auth.forget(record.id);
    await expect(auth.authenticate(`Bearer ${token}`)).rejects.toThrow('unknown or revoked token');
  });

  it('answers a missing or malformed header with a 401 that says what to send', async () => {
    const auth = new TokenAuthenticator({
      store: new MemoryTokenStore(new MemoryAuditLog()),
      clock: new ManualClock(),
      bootstrapAdminToken: 'x'.repeat(20),
    });
    await expect(auth.authenticate(undefined)).rejects.toThrow('Authorization: Bearer <token>');
    await expect(auth.authenticate('Token abc')).rejects.toThrow('malformed Authorization header');
    expect(await auth.authenticate(`Bearer ${'x'.repeat(20)}`)).toMatchObject({ tokenId: 'bootstrap', role: 'admin' });
  });
});
