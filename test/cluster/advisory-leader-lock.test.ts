/*
 * The ingress lock on a real Postgres: one holder at a time, released by
 * closing, by the holder's session dying, and by Postgres ending the session
 * of a holder that stopped checking in (idle_session_timeout).
 */
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AdvisoryLeaderLock, lockKey } from '../../src/cluster/index.js';
import { createTestSchema, type TestSchema } from '../support/test-services.js';

let schema: TestSchema;
let admin: pg.Client;
const opened: AdvisoryLeaderLock[] = [];

beforeAll(async () => {
  schema = await createTestSchema('leader_lock');
  admin = new pg.Client({ connectionString: schema.url });
  await admin.connect();
});

afterEach(async () => {
  await Promise.all(opened.splice(0).map((lock) => lock.close()));
});

afterAll(async () => {
  await admin?.end();
  await schema?.drop();
});

function lock(name: string, idleTimeoutMs = 10_000): AdvisoryLeaderLock {
  const created = new AdvisoryLeaderLock({ url: schema.url, name: `${schema.name}:${name}`, idleTimeoutMs });
  opened.push(created);
  return created;
}

async function waitFor(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Backend pids of sessions holding the advisory lock with this key. */
async function holders(key: string): Promise<number[]> {
  const result = await admin.query<{ pid: number }>(
    `SELECT pid FROM pg_locks
      WHERE locktype = 'advisory' AND granted AND objsubid = 1
        AND ((classid::bigint << 32) | objid::bigint) = $1::bigint`,
    [key],
  );
  return result.rows.map((r) => r.pid);
}

describe('AdvisoryLeaderLock', () => {
  it('derives a stable 64-bit key from the name', () => {
    expect(lockKey('lekha-ingress:a:')).toBe(lockKey('lekha-ingress:a:'));
    expect(lockKey('lekha-ingress:a:')).not.toBe(lockKey('lekha-ingress:b:'));
    expect(BigInt(lockKey('x'))).toBeGreaterThanOrEqual(-(2n ** 63n));
  });

  it('lets one of two members hold it; closing hands it to the other', async () => {
    const a = lock('one');
    const b = lock('one');
    expect(await a.tryAcquire()).toBe(true);
    expect(await b.tryAcquire()).toBe(false);
    expect(a.held).toBe(true);
    expect(b.held).toBe(false);
    // The holder's check keeps it.
    expect(await a.tryAcquire()).toBe(true);
    expect(await holders(a.key)).toHaveLength(1);
    await a.close();
    expect(a.held).toBe(false);
    expect(await a.tryAcquire()).toBe(false);
    expect(await b.tryAcquire()).toBe(true);
  });

  it('does not collide with a lock of another name', async () => {
    expect(await lock('left').tryAcquire()).toBe(true);
    expect(await lock('right').tryAcquire()).toBe(true);
  });

  it('runs its session with idle_session_timeout set to the lease time', async () => {
    const a = lock('idle', 1234);
    await a.tryAcquire();
    const [pid] = await holders(a.key);
    expect(pid).toBeDefined();
    // Asked on the lock's own session.
    const client = (a as unknown as { client: pg.Client }).client;
    const result = await client.query<{ idle_session_timeout: string }>('SHOW idle_session_timeout');
    expect(result.rows[0]?.idle_session_timeout).toBe('1234ms');
  });

  it('reports the loss once when the holder’s session is killed, and the other member takes over', async () => {
    const a = lock('kill');
    const b = lock('kill');
    let lost = 0;
    a.onLost(() => lost++);
    expect(await a.tryAcquire()).toBe(true);
    expect(await b.tryAcquire()).toBe(false);
    const [pid] = await holders(a.key);
    await admin.query('SELECT pg_terminate_backend($1)', [pid]);
    await waitFor('the loss to be noticed', () => !a.held);
    expect(lost).toBe(1);
    await waitFor('the other member to take it', () => b.tryAcquire());
    // The former holder reconnects and finds it taken.
    expect(await a.tryAcquire()).toBe(false);
    expect(lost).toBe(1);
    await b.close();
    expect(await a.tryAcquire()).toBe(true);
  });

  it('loses it when a frozen holder sits idle past the lease time, and Postgres frees it', async () => {
    const a = lock('frozen', 300);
    const b = lock('frozen', 300);
    let lost = 0;
    a.onLost(() => lost++);
    expect(await a.tryAcquire()).toBe(true);
    // `a` stops checking in (its process frozen): Postgres ends its session.
    await waitFor('the other member to take it', () => b.tryAcquire(), 5_000);
    await waitFor('the frozen holder to notice', () => !a.held, 5_000);
    expect(lost).toBe(1);
  });

  it('keeps it past the idle timeout while the holder checks in every heartbeat', async () => {
    const a = lock('alive', 400);
    const b = lock('alive', 400);
    expect(await a.tryAcquire()).toBe(true);
    const until = Date.now() + 1_200;
    while (Date.now() < until) {
      expect(await a.tryAcquire()).toBe(true);
      expect(await b.tryAcquire()).toBe(false);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  });

  it('fails soft when Postgres cannot be reached, and never holds', async () => {
    const nowhere = new AdvisoryLeaderLock({
      url: 'postgres://127.0.0.1:1/test',
      name: 'nowhere',
      idleTimeoutMs: 1000,
    });
    expect(await nowhere.tryAcquire()).toBe(false);
    expect(nowhere.held).toBe(false);
    await nowhere.close();
    await nowhere.close();
  });
});
