import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisStreamLog, StreamNotReplicatedError } from '../../src/cluster/index.js';
import { Histogram, MetricsRegistry } from '../../src/runtime/index.js';
import { createTestRedis, type TestRedis } from '../support/test-services.js';

let redis: TestRedis;
const opened: RedisStreamLog[] = [];

beforeAll(async () => {
  redis = await createTestRedis('stream-log');
});

afterAll(async () => {
  for (const log of opened) await log.close();
  await redis.close();
});

function streamLog(options: { waitReplicas?: number; group?: string; metrics?: MetricsRegistry } = {}) {
  const log = new RedisStreamLog({
    redis: redis.client,
    prefix: redis.prefix,
    group: options.group ?? 'lekha',
    waitReplicas: options.waitReplicas ?? 0,
    waitTimeoutMs: 50,
    metrics: options.metrics ?? new MetricsRegistry(),
  });
  opened.push(log);
  return log;
}

const update = (chatId: number, updateId: number) => ({
  update_id: updateId,
  message: { chat: { id: chatId, type: 'group' }, text: `m${updateId}`, date: 1_700_000_000 },
});

const item = (partition: number, chatId: number, updateId: number) => ({
  partition,
  chatId,
  updateId,
  update: update(chatId, updateId),
});

describe('RedisStreamLog', () => {
  it('appends, reads in order, acknowledges and deletes, and reports the lag', async () => {
    const metrics = new MetricsRegistry();
    const log = streamLog({ metrics, group: 'g1' });
    await log.ensureGroup(1);
    await log.ensureGroup(1); // BUSYGROUP is ignored
    await log.ensureGroup(2);
    await log.append([item(1, -100, 1), item(2, -200, 2), item(1, -100, 3)]);
    expect(await log.lag([1, 2, 3])).toEqual([2, 1, 0]);

    const read = await log.read([1, 2], 'a', { count: 10, blockMs: 10 });
    const byPartition = new Map(read.map((r) => [r.partition, r.entries]));
    expect(byPartition.get(1)?.map((e) => [e.chatId, e.updateId, e.update])).toEqual([
      [-100, 1, update(-100, 1)],
      [-100, 3, update(-100, 3)],
    ]);
    expect(byPartition.get(2)?.map((e) => e.updateId)).toEqual([2]);
    expect(await log.read([1, 2], 'a', { count: 10, blockMs: 10 })).toEqual([]);

    const ids = byPartition.get(1)!.map((e) => e.id);
    expect(await log.ack(1, 'a', ids)).toBe(2);
    expect(await log.ack(1, 'a', ids)).toBe(0);
    expect(await log.lag([1, 2])).toEqual([0, 1]);
    expect((metrics.get('lekha_stream_appends_total') as { value: number }).value).toBe(3);
    const latency = metrics.get('lekha_stream_append_ms');
    expect(latency).toBeInstanceOf(Histogram);
    expect((latency as Histogram).count).toBe(1);
  });

  it('waits for new entries up to the block time', async () => {
    const log = streamLog({ group: 'g2' });
    await log.ensureGroup(5);
    const reading = log.read([5], 'a', { count: 10, blockMs: 2000 });
    await new Promise((resolve) => setTimeout(resolve, 20));
    await log.append([item(5, 7, 70)]);
    const read = await reading;
    expect(read.map((r) => [r.partition, r.entries.map((e) => e.updateId)])).toEqual([[5, [70]]]);
  });

  it('claims pending entries of any consumer, its own included, oldest first', async () => {
    const log = streamLog({ group: 'g3' });
    await log.ensureGroup(3);
    await log.append([1, 2, 3, 4, 5].map((n) => item(3, 1, n)));
    const [a] = await log.read([3], 'a', { count: 2, blockMs: 10 });
    const [b] = await log.read([3], 'b', { count: 2, blockMs: 10 });
    expect(a!.entries.map((e) => e.updateId)).toEqual([1, 2]);
    expect(b!.entries.map((e) => e.updateId)).toEqual([3, 4]);

    const claimed = await log.claimPending(3, 'b');
    expect(claimed.map((e) => e.updateId)).toEqual([1, 2, 3, 4]);
    expect(claimed[0]!.update).toEqual(update(1, 1));
    // Entry 5 was never read: it comes with the next read, not the claim.
    const [next] = await log.read([3], 'b', { count: 10, blockMs: 10 });
    expect(next!.entries.map((e) => e.updateId)).toEqual([5]);
  });

  it('claims across many batches', async () => {
    const log = streamLog({ group: 'g4' });
    await log.ensureGroup(4);
    const n = 1200;
    await log.append(Array.from({ length: n }, (_, i) => item(4, 9, i)));
    await log.read([4], 'a', { count: n, blockMs: 10 });
    const claimed = await log.claimPending(4, 'b');
    expect(claimed.map((e) => e.updateId)).toEqual(Array.from({ length: n }, (_, i) => i));
  });

  it('does not acknowledge an entry another consumer claimed', async () => {
    const log = streamLog({ group: 'g5' });
    await log.ensureGroup(6);
    await log.append([item(6, 1, 1), item(6, 1, 2)]);
    const [read] = await log.read([6], 'a', { count: 10, blockMs: 10 });
    const ids = read!.entries.map((e) => e.id);
    const claimed = await log.claimPending(6, 'b');
    expect(claimed.map((e) => e.id)).toEqual(ids);

    expect(await log.ack(6, 'a', ids)).toBe(0);
    expect(await log.lag([6])).toEqual([2]);
    const pending = (await redis.client.xpending(log.key(6), 'g5')) as [number, ...unknown[]];
    expect(pending[0]).toBe(2);

    expect(await log.ack(6, 'b', [ids[0]!])).toBe(1);
    expect(await log.lag([6])).toEqual([1]);
  });

  it('hands back an entry that does not decode with its ids and no update', async () => {
    const log = streamLog({ group: 'g6' });
    await log.ensureGroup(7);
    await redis.client.xadd(log.key(7), '*', 'c', '-42', 'u', '99', 'd', Buffer.from([0xc1]));
    await log.append([item(7, 1, 100)]);
    const [read] = await log.read([7], 'a', { count: 10, blockMs: 10 });
    expect(read!.entries.map((e) => [e.chatId, e.updateId, e.update === undefined])).toEqual([
      [-42, 99, true],
      [1, 100, false],
    ]);
  });

  it('refuses an append that too few replicas acknowledged, and appends without WAIT', async () => {
    const waiting = streamLog({ waitReplicas: 1, group: 'g7' });
    const error = await waiting.append([item(8, 1, 1)]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StreamNotReplicatedError);
    expect(error).toMatchObject({ code: 'CLUSTER_UNAVAILABLE', retryable: true, replicas: 0, wanted: 1 });
    expect((error as Error).message).toMatch(/only 0 of 1 Redis replicas/);

    const plain = streamLog({ waitReplicas: 0, group: 'g7' });
    await expect(plain.append([item(8, 1, 2)])).resolves.toBeUndefined();
  });

  it('fails a read whose group is missing', async () => {
    const log = streamLog({ group: 'g8' });
    await expect(log.read([99], 'a', { count: 1, blockMs: 10 })).rejects.toThrow(/NOGROUP/);
  });

  it('reads on a blocking connection of its own', async () => {
    const client = new Redis(redis.url);
    const blocking = new Redis(redis.url);
    const log = new RedisStreamLog({
      redis: client,
      blocking,
      prefix: redis.prefix,
      group: 'g9',
      metrics: new MetricsRegistry(),
    });
    try {
      await log.ensureGroup(10);
      const reading = log.read([10], 'a', { count: 1, blockMs: 2000 });
      // The other connection is free while the read blocks.
      await log.append([item(10, 1, 1)]);
      const [read] = await reading;
      expect(read!.entries.map((e) => e.updateId)).toEqual([1]);
      await log.close();
      expect(blocking.status).toBe('ready');
    } finally {
      client.disconnect();
      blocking.disconnect();
    }
  });
});
