import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { MetricsRegistry } from '../../src/runtime/index.js';
import { HotTier } from '../../src/storage/hot-tier.js';
import { HotTierMetrics } from '../../src/storage/hot-tier-metrics.js';
import { SnapshotFormat, type SnapshotRecord } from '../../src/storage/index.js';
import { CapturingLogger } from '../support/capturing-logger.js';
import { MemorySnapshotStore } from '../support/memory-snapshot-store.js';

const format = new SnapshotFormat<{ n: number }>({
  version: 1,
  parse: (value) => z.object({ n: z.number() }).parse(value),
});

function record(key: string, seq: number, n: number): SnapshotRecord {
  return { key, seq, version: 1, bytes: format.encode({ n }) };
}

/** Redis as the tier sees it: it can also forget a copy whatever its sequence. */
class MemoryRedis extends MemorySnapshotStore {
  async remove(key: string): Promise<void> {
    this.records.delete(key);
  }
}

function tier(options: { staleKeys?: string[] } = {}) {
  const redis = new MemoryRedis();
  const postgres = new MemorySnapshotStore();
  for (const key of options.staleKeys ?? []) postgres.staleMarks.add(key);
  const metrics = new MetricsRegistry();
  const logger = new CapturingLogger();
  const hot: HotTier<{ n: number }> = new HotTier({
    store: redis,
    durable: postgres,
    format,
    staleKeys: options.staleKeys ?? [],
    metrics: new HotTierMetrics(metrics, { staleKeys: () => hot.staleCount }),
    logger,
  });
  const value = (name: string): number => (metrics.get(name) as { value: number }).value;
  return { hot, redis, postgres, logger, value };
}

describe('HotTier', () => {
  it('skips the Redis copy of a key marked stale until a batch brings it up to date', async () => {
    const { hot, redis, value } = tier({ staleKeys: ['a'] });
    redis.records.set('a', record('a', 1, 1));
    expect(await hot.read('a')).toBeUndefined();
    expect(redis.reads).toBe(0);
    expect(value('lekha_snapshot_hot_stale')).toBe(1);

    const marks = await hot.write([record('a', 2, 2)]);
    expect(marks).toEqual({ stale: [], fresh: ['a'] });
    hot.applyMarks(marks);
    expect(await hot.read('a')).toMatchObject({ state: { n: 2 } });
    expect(value('lekha_snapshot_hot_stale')).toBe(0);
  });

  it('turns a batch Redis refuses into stale marks and a counted failure, never an error', async () => {
    const { hot, redis, value } = tier();
    redis.failWrites = 1;
    const marks = await hot.write([record('a', 1, 1), record('b', 1, 1)]);
    expect(marks).toEqual({ stale: ['a', 'b'], fresh: [] });
    hot.applyMarks(marks);
    expect(hot.staleCount).toBe(2);
    expect(value('lekha_snapshot_hot_write_failures_total')).toBe(1);
  });

  it('counts every failed read but logs an outage and its end once each', async () => {
    const { hot, redis, logger, value } = tier();
    redis.failReads = true;
    expect(await hot.read('a')).toBeUndefined();
    expect(await hot.read('b')).toBeUndefined();
    redis.failReads = false;
    await hot.read('a');
    await hot.read('b');
    expect(value('lekha_snapshot_hot_read_failures_total')).toBe(2);
    expect(logger.lines.map((l) => l.msg)).toEqual([
      'Redis cannot be read; activations fall back to Postgres',
      'Redis answers snapshot reads again',
    ]);
  });

  it('hands back a copy that does not decode with its error, counted', async () => {
    const { hot, redis, value } = tier();
    redis.records.set('a', { key: 'a', seq: 1, version: 1, bytes: new Uint8Array([0xc1]) });
    const copy = await hot.read('a');
    expect(copy !== undefined && 'error' in copy).toBe(true);
    expect(value('lekha_snapshot_hot_decode_failures_total')).toBe(1);
  });

  it('puts a durable copy back into Redis, replacing an undecodable one, and unmarks the key', async () => {
    const { hot, redis, postgres } = tier({ staleKeys: ['a'] });
    redis.records.set('a', { key: 'a', seq: 9, version: 1, bytes: new Uint8Array([0xc1]) });
    hot.refresh(record('a', 5, 5), true);
    await expect.poll(() => postgres.staleMarks.has('a')).toBe(false);
    expect(redis.records.get('a')?.seq).toBe(5);
    expect(hot.staleCount).toBe(0);
  });
});
