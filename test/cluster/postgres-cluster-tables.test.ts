/*
 * The lease and membership tables on a real Postgres: epochs, expiry by the
 * database's clock, takeover, release, the fixed partition count, heartbeats.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PartitionCountMismatchError, PostgresLeaseTable, PostgresMembership } from '../../src/cluster/index.js';
import { type Database, migrate, PostgresDatabase } from '../../src/storage/index.js';
import { createTestSchema, type TestSchema } from '../support/test-services.js';

let schema: TestSchema;
let db: Database;

beforeAll(async () => {
  schema = await createTestSchema('cluster_tables');
  db = new PostgresDatabase({ url: schema.url, maxConnections: 4 });
  await migrate(db);
});

afterAll(async () => {
  await db?.close();
  await schema?.drop();
});

beforeEach(async () => {
  await db.query('TRUNCATE partition_leases, cluster_members');
});

/** Makes the leases of `partitions` run out now, as if their holder had stopped renewing. */
async function expire(partitions: number[]): Promise<void> {
  await db.query(
    `UPDATE partition_leases SET expires_at = now() - interval '1 second' WHERE partition = ANY($1::int[])`,
    [partitions],
  );
}

describe('PostgresLeaseTable', () => {
  it('creates the partition rows once, free at epoch 0', async () => {
    const leases = new PostgresLeaseTable(db);
    await leases.init(8);
    await leases.init(8);
    const rows = await leases.list();
    expect(rows).toHaveLength(8);
    expect(rows.map((r) => r.partition)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(rows.every((r) => r.owner === null && r.epoch === 0 && r.expiresAtMs === null)).toBe(true);
  });

  it('refuses a different partition count, naming both and saying it is fixed', async () => {
    const leases = new PostgresLeaseTable(db);
    await leases.init(8);
    for (const other of [4, 16]) {
      const error = await leases.init(other).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PartitionCountMismatchError);
      const mismatch = error as PartitionCountMismatchError;
      expect(mismatch.code).toBe('CLUSTER_PARTITIONS_MISMATCH');
      expect(mismatch.retryable).toBe(false);
      expect(mismatch.message).toContain(`PARTITIONS is ${other}`);
      expect(mismatch.message).toContain('started with 8 partitions');
      expect(mismatch.message).toContain('fixed per deployment');
    }
    expect(await leases.list()).toHaveLength(8);
  });

  it('acquires free partitions with a new epoch, and only free ones', async () => {
    const leases = new PostgresLeaseTable(db);
    await leases.init(4);
    expect(await leases.acquire('a', [0, 1], 10_000)).toEqual([
      { partition: 0, epoch: 1 },
      { partition: 1, epoch: 1 },
    ]);
    expect(await leases.acquire('b', [1, 2], 10_000)).toEqual([{ partition: 2, epoch: 1 }]);
    expect(await leases.acquire('b', [], 10_000)).toEqual([]);
    const rows = await leases.list();
    expect(rows.map((r) => r.owner)).toEqual(['a', 'a', 'b', null]);
    const row0 = rows[0];
    expect(row0?.expiresAtMs).toBeGreaterThan(Date.now() + 5_000);
  });

  it('renews only the leases still held, keeping their epoch', async () => {
    const leases = new PostgresLeaseTable(db);
    await leases.init(4);
    await leases.acquire('a', [0, 1, 2], 10_000);
    const before = (await leases.list())[0]?.expiresAtMs ?? 0;
    expect(await leases.renew('a', 60_000)).toEqual([
      { partition: 0, epoch: 1 },
      { partition: 1, epoch: 1 },
      { partition: 2, epoch: 1 },
    ]);
    expect((await leases.list())[0]?.expiresAtMs).toBeGreaterThan(before);
    // One ran out: no renewing it back to life.
    await expire([1]);
    expect((await leases.renew('a', 10_000)).map((l) => l.partition)).toEqual([0, 2]);
    expect(await leases.renew('nobody', 10_000)).toEqual([]);
  });

  it('lets another member take an expired lease, bumping the epoch; the old holder cannot renew it', async () => {
    const leases = new PostgresLeaseTable(db);
    await leases.init(2);
    await leases.acquire('a', [0], 10_000);
    expect(await leases.acquire('b', [0], 10_000)).toEqual([]);
    await expire([0]);
    expect(await leases.acquire('b', [0], 10_000)).toEqual([{ partition: 0, epoch: 2 }]);
    expect(await leases.renew('a', 10_000)).toEqual([]);
    expect((await leases.list())[0]).toMatchObject({ owner: 'b', epoch: 2 });
  });

  it('starts a new epoch whenever a partition is acquired, even by its holder', async () => {
    const leases = new PostgresLeaseTable(db);
    await leases.init(1);
    await leases.acquire('a', [0], 10_000);
    // Held and current: taking it again means serving it anew.
    expect(await leases.acquire('a', [0], 10_000)).toEqual([{ partition: 0, epoch: 2 }]);
    // Let run out: anyone could have held it meanwhile.
    await expire([0]);
    expect(await leases.acquire('a', [0], 10_000)).toEqual([{ partition: 0, epoch: 3 }]);
  });

  it('releases only leases held by the member at the given epochs, keeping the epoch', async () => {
    const leases = new PostgresLeaseTable(db);
    await leases.init(3);
    await leases.acquire('a', [0, 1, 2], 10_000);
    await leases.release('b', [{ partition: 0, epoch: 1 }]);
    await leases.release('a', [{ partition: 1, epoch: 7 }]);
    await leases.release('a', []);
    expect((await leases.list()).map((r) => r.owner)).toEqual(['a', 'a', 'a']);
    await leases.release('a', [
      { partition: 0, epoch: 1 },
      { partition: 2, epoch: 1 },
    ]);
    const rows = await leases.list();
    expect(rows.map((r) => [r.owner, r.epoch, r.expiresAtMs])).toEqual([
      [null, 1, null],
      ['a', 1, rows[1]?.expiresAtMs],
      [null, 1, null],
    ]);
    // A released partition is free at once, under a new epoch.
    expect(await leases.acquire('b', [0], 10_000)).toEqual([{ partition: 0, epoch: 2 }]);
  });

  it('gives a contested partition to exactly one of two racing members', async () => {
    const leases = new PostgresLeaseTable(db);
    await leases.init(16);
    const all = Array.from({ length: 16 }, (_, p) => p);
    const [a, b] = await Promise.all([leases.acquire('a', all, 10_000), leases.acquire('b', all, 10_000)]);
    expect(a.length + b.length).toBe(16);
    const owners = (await leases.list()).map((r) => r.owner);
    expect(owners.filter((o) => o === 'a')).toHaveLength(a.length);
  });
});

describe('PostgresMembership', () => {
  it('keeps one row per member, refreshed by heartbeats, oldest first', async () => {
    const members = new PostgresMembership(db);
    await members.heartbeat('b', { httpUrl: 'http://b:1', stopping: false, leader: false });
    await members.heartbeat('a', { httpUrl: null, stopping: false, leader: true });
    const first = await members.live(10_000);
    expect(first.map((m) => m.id)).toEqual(['b', 'a']);
    expect(first[1]).toMatchObject({ id: 'a', httpUrl: null, stopping: false, leader: true });
    const started = first[0]?.startedAtMs ?? 0;
    await members.heartbeat('b', { httpUrl: 'http://b:2', stopping: true, leader: false });
    const again = await members.live(10_000);
    expect(again[0]).toMatchObject({ id: 'b', httpUrl: 'http://b:2', stopping: true, startedAtMs: started });
    expect(again[0]?.heartbeatAtMs).toBeGreaterThanOrEqual(first[0]?.heartbeatAtMs ?? 0);
  });

  it('leaves out members whose heartbeat is stale by the database clock', async () => {
    const members = new PostgresMembership(db);
    await members.heartbeat('a', { httpUrl: null, stopping: false, leader: false });
    await members.heartbeat('b', { httpUrl: null, stopping: false, leader: false });
    await db.query(`UPDATE cluster_members SET heartbeat_at = now() - interval '5 seconds' WHERE member_id = 'a'`);
    expect((await members.live(2_000)).map((m) => m.id)).toEqual(['b']);
    expect((await members.live(60_000)).map((m) => m.id)).toEqual(['a', 'b']);
  });

  it('removes a member that leaves', async () => {
    const members = new PostgresMembership(db);
    await members.heartbeat('a', { httpUrl: null, stopping: false, leader: false });
    await members.leave('a');
    await members.leave('a');
    expect(await members.live(60_000)).toEqual([]);
  });
});
