import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisSnapshotStore, type SnapshotRecord, Storage, type WriteBehind } from '../../../src/storage/index.js';
import type { CounterState } from '../../support/counter-actor.js';
import { counterFormat } from '../../support/counter-runtime.js';
import { startPrivateRedis } from '../../support/private-redis.js';
import { hostPort, TcpGate, throughGate } from '../../support/tcp-gate.js';
import { waitFor } from '../../support/edge-harness.js';
import { createTestRedis, createTestSchema, type TestRedis, type TestSchema } from '../../support/test-services.js';

describe('the Redis hot tier', () => {
  let schema: TestSchema;
  let redis: TestRedis;
  let gate: TcpGate;
  let redisSnapshots: RedisSnapshotStore;
  const open: Storage[] = [];

  beforeAll(async () => {
    schema = await createTestSchema('redis_tier');
    redis = await createTestRedis('redis-tier');
    gate = await TcpGate.start(hostPort(redis.url, 6379));
    redisSnapshots = new RedisSnapshotStore(redis.client, { prefix: redis.prefix, ttlMs: 60_000 });
  });

  afterAll(async () => {
    await Promise.all(open.map((s) => s.close().catch(() => undefined))); // some were closed by their test already
    await gate.close();
    await redis.close();
    await schema.drop();
  });

  async function start(
    options: { throughGate?: boolean } = {},
  ): Promise<{ storage: Storage; snapshots: WriteBehind<string, CounterState> }> {
    const storage = await Storage.open({
      databaseUrl: schema.url,
      redisUrl: options.throughGate === true ? throughGate(redis.url, gate) : redis.url,
      redisKeyPrefix: redis.prefix,
      redisSnapshotTtlMs: 60_000,
      snapshotIntervalMs: 3_600_000,
    });
    open.push(storage);
    return { storage, snapshots: await storage.writeBehind<string, CounterState>({ format: counterFormat }) };
  }

  async function inRedis(key: string): Promise<CounterState | undefined> {
    const record = await redisSnapshots.read(key);
    return record === undefined ? undefined : counterFormat.decode(key, record.version, record.bytes);
  }

  it('never replaces a newer snapshot with an older or equal one (checked inside Redis) and sets the TTL', async () => {
    const bytes = (n: number): Uint8Array => counterFormat.encode({ seen: [n] });
    await redisSnapshots.write([{ key: 'lua-a', version: 1, seq: 10, bytes: bytes(10) }]);
    await redisSnapshots.write([
      { key: 'lua-a', version: 1, seq: 5, bytes: bytes(5) },
      { key: 'lua-b', version: 1, seq: 1, bytes: bytes(1) },
    ]);
    await redisSnapshots.write([{ key: 'lua-a', version: 1, seq: 10, bytes: bytes(99) }]);
    expect(await inRedis('lua-a')).toEqual({ seen: [10] });
    expect(await inRedis('lua-b')).toEqual({ seen: [1] });
    await redisSnapshots.write([{ key: 'lua-a', version: 1, seq: 11, bytes: bytes(11) }]);
    expect(await inRedis('lua-a')).toEqual({ seen: [11] });
    const ttl = await redis.client.pttl(`${redis.prefix}snap:lua-a`);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(60_000);
  });

  it('keeps newer snapshots and refuses older ones after the script cache is flushed', async () => {
    // SCRIPT FLUSH empties the cache of the whole server: a server of this test's own, so no other file feels it.
    const own = await startPrivateRedis();
    try {
      const store = new RedisSnapshotStore(own.client, { prefix: 'flush:', ttlMs: 60_000 });
      const bytes = (n: number): Uint8Array => counterFormat.encode({ seen: [n] });
      const stored = async () => {
        const record = await store.read('flushed');
        return record === undefined ? undefined : counterFormat.decode('flushed', record.version, record.bytes);
      };
      await store.write([{ key: 'flushed', version: 1, seq: 20, bytes: bytes(20) }]);
      // What a Redis restart does to scripts: a write must not depend on a cached one.
      await own.client.script('FLUSH');
      await store.write([{ key: 'flushed', version: 1, seq: 19, bytes: bytes(19) }]);
      expect(await stored()).toEqual({ seen: [20] });
      await own.client.script('FLUSH');
      await store.write([{ key: 'flushed', version: 1, seq: 21, bytes: bytes(21) }]);
      expect(await stored()).toEqual({ seen: [21] });
    } finally {
      await own.close();
    }
  });

  it('keeps the newest snapshot of each key when writers race, and leaves nothing staged behind', async () => {
    const keys = Array.from({ length: 40 }, (_, i) => `race-${i}`);
    const otherClient = redis.client.duplicate();
    const other = new RedisSnapshotStore(otherClient, { prefix: redis.prefix, ttlMs: 60_000 });
    const batch = (seq: number): SnapshotRecord[] =>
      keys.map((key) => ({ key, version: 1, seq, bytes: counterFormat.encode({ seen: [seq] }) }));
    // Two connections, batches of every sequence in shuffled order: the order they land in must not matter.
    const seqs = [7, 3, 12, 1, 9, 12, 5, 11, 2, 8];
    try {
      await Promise.all(seqs.map((seq, i) => (i % 2 === 0 ? redisSnapshots : other).write(batch(seq))));
    } finally {
      otherClient.disconnect();
    }
    for (const key of keys) expect(await inRedis(key)).toEqual({ seen: [12] });
    expect(await redis.client.keys(`${redis.prefix}snap-stage:*`)).toEqual([]);
  });

  it('fails a write whose transaction Redis refuses, leaving nothing behind, and writes once Redis accepts again', async () => {
    // maxmemory applies to the whole server: a server of this test's own, so no other file feels it.
    const own = await startPrivateRedis();
    try {
      const store = new RedisSnapshotStore(own.client, { prefix: 'full:', ttlMs: 0 });
      const record: SnapshotRecord = { key: 'refused', version: 1, seq: 3, bytes: counterFormat.encode({ seen: [3] }) };
      await own.client.config('SET', 'maxmemory', '1');
      // The MSET is refused while queued (out of memory), so Redis discards the whole transaction; its error is thrown.
      await expect(store.write([record])).rejects.toThrow(/OOM/);
      await own.client.config('SET', 'maxmemory', '0');
      expect(await own.client.keys('*')).toEqual([]);
      await store.write([record]);
      expect((await store.read('refused'))?.seq).toBe(3);
      expect(await own.client.keys('full:snap-stage:*')).toEqual([]);
    } finally {
      await own.close();
    }
  });

  it('replaces a key of another type under its prefix like a value without a header, staging nothing behind', async () => {
    await redis.client.rpush(`${redis.prefix}snap:not-a-string`, 'x');
    const bytes = counterFormat.encode({ seen: [4] });
    await redisSnapshots.write([{ key: 'not-a-string', version: 1, seq: 4, bytes }]);
    expect(await inRedis('not-a-string')).toEqual({ seen: [4] });
    expect(await redis.client.keys(`${redis.prefix}snap-stage:*`)).toEqual([]);
  });

  it('serves activations from Redis before Postgres', async () => {
    const { storage, snapshots } = await start();
    await storage.db.query('INSERT INTO snapshots (key, schema_version, seq, bytes) VALUES ($1, 1, 1, $2)', [
      'first',
      Buffer.from(counterFormat.encode({ seen: [1] })),
    ]);
    await redisSnapshots.write([{ key: 'first', version: 1, seq: 2, bytes: counterFormat.encode({ seen: [1, 2] }) }]);
    expect(await snapshots.load('first')).toEqual({ seen: [1, 2] });
  });

  it('treats a Redis value without a snapshot header as a miss and answers from Postgres', async () => {
    const { storage, snapshots } = await start();
    await storage.db.query('INSERT INTO snapshots (key, schema_version, seq, bytes) VALUES ($1, 1, 1, $2)', [
      'garbled',
      Buffer.from(counterFormat.encode({ seen: [3] })),
    ]);
    await redis.client.set(`${redis.prefix}snap:garbled`, 'not a snapshot');
    expect(await snapshots.load('garbled')).toEqual({ seen: [3] });
    await expect.poll(() => inRedis('garbled')).toEqual({ seen: [3] });
  });

  it('never copies a Postgres snapshot that does not decode into Redis', async () => {
    const { storage, snapshots } = await start();
    await storage.db.query(
      `INSERT INTO snapshots (key, schema_version, seq, bytes) VALUES ($1, 1, 1, '\\xdeadbeef'::bytea)`,
      ['undecodable'],
    );
    await expect(snapshots.load('undecodable')).rejects.toMatchObject({ code: 'SNAPSHOT_CORRUPT', retryable: false });
    expect(await redisSnapshots.read('undecodable')).toBeUndefined();
  });

  it('reads Postgres when the Redis copy does not decode, and repairs Redis from it', async () => {
    const { storage, snapshots } = await start();
    await storage.db.query('INSERT INTO snapshots (key, schema_version, seq, bytes) VALUES ($1, 1, 4, $2)', [
      'bad-hot',
      Buffer.from(counterFormat.encode({ seen: [4] })),
    ]);
    await redisSnapshots.write([{ key: 'bad-hot', version: 1, seq: 4, bytes: Uint8Array.of(0xde, 0xad, 0xbe, 0xef) }]);
    expect(await snapshots.load('bad-hot')).toEqual({ seen: [4] });
    await waitFor(
      'Redis to hold the durable copy again',
      async () => (await inRedis('bad-hot').catch(() => undefined))?.seen[0] === 4,
    );
  });

  it('refuses an undecodable Redis copy that is newer than Postgres rather than going back in time', async () => {
    const { storage, snapshots } = await start();
    await storage.db.query('INSERT INTO snapshots (key, schema_version, seq, bytes) VALUES ($1, 1, 4, $2)', [
      'newer-bad-hot',
      Buffer.from(counterFormat.encode({ seen: [4] })),
    ]);
    await redisSnapshots.write([
      { key: 'newer-bad-hot', version: 1, seq: 9, bytes: Uint8Array.of(0xde, 0xad, 0xbe, 0xef) },
    ]);
    await expect(snapshots.load('newer-bad-hot')).rejects.toMatchObject({ code: 'SNAPSHOT_CORRUPT', retryable: false });
  });

  it('falls back to Postgres when Redis lost its copy, and puts the copy back', async () => {
    const first = await start();
    first.snapshots.persist('flushed', { seen: [4, 5] });
    await first.storage.close();
    expect(await inRedis('flushed')).toEqual({ seen: [4, 5] });
    await redis.clear(); // as after FLUSHALL or a Redis restart without persistence

    const second = await start();
    expect(await second.snapshots.load('flushed')).toEqual({ seen: [4, 5] });
    await expect.poll(() => inRedis('flushed')).toEqual({ seen: [4, 5] });
  });

  it('keeps working while Redis is unreachable and never serves the stale Redis copy afterwards', async () => {
    const first = await start({ throughGate: true });
    first.snapshots.persist('outage', { seen: [1] });
    await first.snapshots.flush();
    expect(await inRedis('outage')).toEqual({ seen: [1] });
    await first.storage.db.query('INSERT INTO snapshots (key, schema_version, seq, bytes) VALUES ($1, 1, 1, $2)', [
      'durable-only',
      Buffer.from(counterFormat.encode({ seen: [7] })),
    ]);

    gate.cut();
    first.snapshots.persist('outage', { seen: [1, 2] });
    await first.snapshots.flush(); // Postgres takes it; Redis cannot
    expect(await first.snapshots.load('durable-only')).toEqual({ seen: [7] });
    expect(await inRedis('outage')).toEqual({ seen: [1] }); // the old copy is still in Redis
    const marks = await first.storage.db.query<{ key: string }>('SELECT key FROM snapshot_hot_stale');
    expect(marks.rows).toEqual([{ key: 'outage' }]);
    await first.storage.close();

    gate.restore();
    const second = await start({ throughGate: true });
    expect(await second.snapshots.load('outage')).toEqual({ seen: [1, 2] });
    await expect.poll(() => inRedis('outage')).toEqual({ seen: [1, 2] });
    await expect.poll(async () => (await second.storage.db.query('SELECT 1 FROM snapshot_hot_stale')).rowCount).toBe(0);
  });
});
