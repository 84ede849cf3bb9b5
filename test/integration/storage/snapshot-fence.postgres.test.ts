import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Database,
  migrate,
  PostgresDatabase,
  PostgresSnapshotStore,
  type Queryable,
  Storage,
} from '../../../src/storage/index.js';
import type { CounterState } from '../../support/counter-actor.js';
import { counterFormat } from '../../support/counter-runtime.js';
import { waitFor } from '../../support/edge-harness.js';
import { createTestRedis, createTestSchema, type TestRedis, type TestSchema } from '../../support/test-services.js';
import { counterRecord, setLease, snapshotFenceSuite, storedCounter } from './snapshot-fence-suite.js';
import { postgresSuiteDatabase } from './suite-databases.js';

snapshotFenceSuite('a Postgres server', () => postgresSuiteDatabase('snap_fence'));

/** A `Database` whose every statement runs on `client`, inside whatever transaction it has open. */
function onClient(client: pg.Client): Database {
  const query: Queryable['query'] = async (text, params) => {
    const result = await client.query(text, params as unknown[]);
    return { rows: result.rows, rowCount: result.rowCount ?? 0 };
  };
  return {
    kind: 'postgres',
    parallelism: 1,
    query,
    transaction: (work) => work({ query }),
    close: async () => undefined,
  };
}

describe('fenced snapshot writes racing a takeover on a Postgres server', () => {
  let schema: TestSchema;
  let db: PostgresDatabase;
  let store: PostgresSnapshotStore;
  const clients: pg.Client[] = [];

  async function client(): Promise<pg.Client> {
    const c = new pg.Client({ connectionString: schema.url });
    await c.connect();
    clients.push(c);
    return c;
  }

  beforeAll(async () => {
    schema = await createTestSchema('snap_fence_race');
    db = new PostgresDatabase({ url: schema.url, maxConnections: 4 });
    await migrate(db);
    store = new PostgresSnapshotStore(db);
  });

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.end()));
    await db.close();
    await schema.drop();
  });

  it('makes a takeover wait until a fenced write has committed, so the new owner reads it', async () => {
    await setLease(db, 10, 1);
    const writer = await client();
    const takeover = await client();
    await writer.query('BEGIN');
    const inTx = new PostgresSnapshotStore(onClient(writer));
    expect(await inTx.write([counterRecord('held', 1, 1, { partition: 10, epoch: 1 })])).toEqual([]);

    // The write's statement holds the lease row FOR SHARE until its transaction ends: the takeover cannot update it.
    await takeover.query(`SET lock_timeout = '200ms'`);
    await expect(
      takeover.query('UPDATE partition_leases SET epoch = epoch + 1 WHERE partition = 10'),
    ).rejects.toMatchObject({ code: '55P03' });
    await takeover.query(`SET lock_timeout = 0`);

    const tookOver = takeover.query('UPDATE partition_leases SET epoch = epoch + 1 WHERE partition = 10');
    await writer.query('COMMIT');
    await tookOver;
    expect(await storedCounter(store, 'held')).toEqual({ seq: 1, state: { seen: [1] } });
  });

  it('refuses a fenced write that waited for an uncommitted takeover once the takeover commits', async () => {
    await setLease(db, 11, 1);
    await store.write([counterRecord('waited', 1, 1, { partition: 11, epoch: 1 })]);
    const takeover = await client();
    const pid = (await takeover.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]?.pid;
    await takeover.query('BEGIN');
    await takeover.query('UPDATE partition_leases SET epoch = epoch + 1 WHERE partition = 11');

    const write = store.write([counterRecord('waited', 2, 2, { partition: 11, epoch: 1 })]);
    await waitFor('the write to wait for the takeover', async () => {
      const blocked = await db.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM pg_stat_activity WHERE $1::int = ANY(pg_blocking_pids(pid))',
        [pid],
      );
      return (blocked.rows[0]?.n ?? 0) > 0;
    });
    await takeover.query('COMMIT');
    expect(await write).toEqual(['waited']);
    expect(await storedCounter(store, 'waited')).toEqual({ seq: 1, state: { seen: [1] } });
  });

  it('never loses a write the store took: each one is either refused or seen by the reader after the takeover', async () => {
    await setLease(db, 12, 0);
    let accepted = 0;
    let refusedCount = 0;
    for (let epoch = 0; epoch < 60; epoch++) {
      const key = `race-${epoch}`;
      const before = await storedCounter(store, 'race');
      const [refused, seenByNewOwner] = await Promise.all([
        store.write([
          counterRecord('race', epoch + 1, epoch, { partition: 12, epoch }),
          counterRecord(key, 1, epoch, { partition: 12, epoch }),
        ]),
        (async () => {
          // The new owner: takes the lease (epoch + 1), then reads the state it goes on from.
          await db.query('UPDATE partition_leases SET epoch = epoch + 1 WHERE partition = 12');
          return storedCounter(store, key);
        })(),
      ]);
      if (refused.length === 0) {
        accepted++;
        expect(seenByNewOwner).toEqual({ seq: 1, state: { seen: [epoch] } });
      } else {
        refusedCount++;
        expect([...refused].sort()).toEqual(['race', key]);
        expect(await store.read(key)).toBeUndefined();
        expect(await storedCounter(store, 'race')).toEqual(before);
      }
    }
    expect(accepted + refusedCount).toBe(60);
  });
});

describe('a fenced write-behind opened from storage with Redis configured', () => {
  let schema: TestSchema;
  let redis: TestRedis;

  beforeAll(async () => {
    schema = await createTestSchema('snap_fence_hot');
    redis = await createTestRedis('snap-fence-hot');
  });

  afterAll(async () => {
    await redis.close();
    await schema.drop();
  });

  it('keeps its snapshots out of Redis and reads them from Postgres', async () => {
    const storage = await Storage.open({
      databaseUrl: schema.url,
      redisUrl: redis.url,
      redisKeyPrefix: redis.prefix,
      snapshotIntervalMs: 3_600_000,
    });
    try {
      await setLease(storage.db, 4, 2);
      const snapshots = await storage.writeBehind<string, CounterState>({
        format: counterFormat,
        fence: () => ({ partition: 4, epoch: 2 }),
      });
      snapshots.persist('hot-a', { seen: [1, 2] });
      await snapshots.flush();
      expect(await redis.client.keys(`${redis.prefix}*`)).toEqual([]);
      const read = await storage.writeBehind<string, CounterState>({
        format: counterFormat,
        fence: () => ({ partition: 4, epoch: 2 }),
      });
      expect(await read.load('hot-a')).toEqual({ seen: [1, 2] });
      expect(await redis.client.keys(`${redis.prefix}*`)).toEqual([]);

      // The unfenced write-behind of the same storage still uses the hot tier.
      const unfenced = await storage.writeBehind<string, CounterState>({ format: counterFormat });
      unfenced.persist('hot-b', { seen: [3] });
      await unfenced.flush();
      expect(await redis.client.keys(`${redis.prefix}*`)).toEqual([`${redis.prefix}snap:hot-b`]);
    } finally {
      await storage.close();
    }
  });
});
