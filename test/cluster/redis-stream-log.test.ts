import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  RedisStreamLog,
  type StreamEntry,
  StreamFencedError,
  StreamNotReplicatedError,
} from '../../src/cluster/index.js';
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

/** Fences the partitions for `consumer` at `epoch` (1 unless given) and reads them, keeping only partitions with entries. */
async function fencedRead(
  log: RedisStreamLog,
  partitions: number[],
  consumer: string,
  count = 10,
  epoch = 1,
): Promise<Array<{ partition: number; entries: StreamEntry[] }>> {
  for (const p of partitions) await log.fence(p, consumer, epoch);
  const results = await log.read(
    partitions.map((partition) => ({ partition, epoch })),
    consumer,
    { count },
  );
  for (const r of results) expect(r.fence).toBe('held');
  return results.filter((r) => r.entries.length > 0).map(({ partition, entries }) => ({ partition, entries }));
}

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

    const read = await fencedRead(log, [1, 2], 'a', 10);
    const byPartition = new Map(read.map((r) => [r.partition, r.entries]));
    expect(byPartition.get(1)?.map((e) => [e.chatId, e.updateId, e.update])).toEqual([
      [-100, 1, update(-100, 1)],
      [-100, 3, update(-100, 3)],
    ]);
    expect(byPartition.get(2)?.map((e) => e.updateId)).toEqual([2]);
    expect(await fencedRead(log, [1, 2], 'a', 10)).toEqual([]);

    const ids = byPartition.get(1)!.map((e) => e.id);
    expect(await log.ack(1, 'a', 1, ids)).toBe(2);
    expect(await log.ack(1, 'a', 1, ids)).toBe(0);
    expect(await log.lag([1, 2])).toEqual([0, 1]);
    expect((metrics.get('lekha_stream_appends_total') as { value: number }).value).toBe(3);
    const latency = metrics.get('lekha_stream_append_ms');
    expect(latency).toBeInstanceOf(Histogram);
    expect((latency as Histogram).count).toBe(1);
  });

  it('waits for an entry after the one given, up to the block time, taking nothing', async () => {
    const log = streamLog({ group: 'g2' });
    await log.ensureGroup(5);
    expect(await log.waitForEntries([{ partition: 5, afterId: '0-0' }], 20)).toEqual([]);
    const waiting = log.waitForEntries([{ partition: 5, afterId: '0-0' }], 5000);
    await new Promise((resolve) => setTimeout(resolve, 20));
    await log.append([item(5, 7, 70)]);
    const [found] = await waiting;
    expect(found?.partition).toBe(5);
    // The wait took nothing: the read gets the entry.
    const read = await fencedRead(log, [5], 'a', 10);
    expect(read.map((r) => [r.partition, r.entries.map((e) => e.updateId)])).toEqual([[5, [70]]]);
    const last = read[0]!.entries[0]!.id;
    expect(found?.id).toBe(last);
    // An entry appended between a read and the wait is not missed: the wait returns at once.
    await log.append([item(5, 7, 71)]);
    const again = await log.waitForEntries([{ partition: 5, afterId: last }], 5000);
    expect(again.map((f) => f.partition)).toEqual([5]);
    expect(again[0]!.id > last).toBe(true);
    expect(await log.waitForEntries([], 5000)).toEqual([]);
  });

  it('claims pending entries of any consumer, its own included, oldest first', async () => {
    const log = streamLog({ group: 'g3' });
    await log.ensureGroup(3);
    await log.append([1, 2, 3, 4, 5].map((n) => item(3, 1, n)));
    const [a] = await fencedRead(log, [3], 'a', 2, 1);
    const [b] = await fencedRead(log, [3], 'b', 2, 2);
    expect(a!.entries.map((e) => e.updateId)).toEqual([1, 2]);
    expect(b!.entries.map((e) => e.updateId)).toEqual([3, 4]);

    const claimed = await log.claimPending(3, 'b', 2);
    expect(claimed.map((e) => e.updateId)).toEqual([1, 2, 3, 4]);
    expect(claimed[0]!.update).toEqual(update(1, 1));
    // Entry 5 was never read: it comes with the next read, not the claim.
    const [next] = await fencedRead(log, [3], 'b', 10, 2);
    expect(next!.entries.map((e) => e.updateId)).toEqual([5]);
  });

  it('claims across many batches', async () => {
    const log = streamLog({ group: 'g4' });
    await log.ensureGroup(4);
    const n = 1200;
    await log.append(Array.from({ length: n }, (_, i) => item(4, 9, i)));
    await fencedRead(log, [4], 'a', n);
    expect(await log.fence(4, 'b', 2)).toBe(true);
    const claimed = await log.claimPending(4, 'b', 2);
    expect(claimed.map((e) => e.updateId)).toEqual(Array.from({ length: n }, (_, i) => i));
  });

  it('does not acknowledge an entry another consumer claimed', async () => {
    const log = streamLog({ group: 'g5' });
    await log.ensureGroup(6);
    await log.append([item(6, 1, 1), item(6, 1, 2)]);
    const [read] = await fencedRead(log, [6], 'a', 10);
    const ids = read!.entries.map((e) => e.id);
    expect(await log.fence(6, 'b', 2)).toBe(true);
    const claimed = await log.claimPending(6, 'b', 2);
    expect(claimed.map((e) => e.id)).toEqual(ids);

    expect(await log.ack(6, 'a', 1, ids)).toBe(0);
    expect(await log.lag([6])).toEqual([2]);
    const pending = (await redis.client.xpending(log.key(6), 'g5')) as [number, ...unknown[]];
    expect(pending[0]).toBe(2);

    expect(await log.ack(6, 'b', 2, [ids[0]!])).toBe(1);
    expect(await log.lag([6])).toEqual([1]);
  });

  it('hands back an entry that does not decode with its ids and no update', async () => {
    const log = streamLog({ group: 'g6' });
    await log.ensureGroup(7);
    await redis.client.xadd(log.key(7), '*', 'c', '-42', 'u', '99', 'd', Buffer.from([0xc1]));
    await log.append([item(7, 1, 100)]);
    const [read] = await fencedRead(log, [7], 'a', 10);
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
    await expect(fencedRead(log, [99], 'a', 1)).rejects.toThrow(/NOGROUP/);
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
      const waiting = log.waitForEntries([{ partition: 10, afterId: '0-0' }], 5000);
      // The other connection is free while the wait blocks.
      await log.append([item(10, 1, 1)]);
      expect((await waiting).map((f) => f.partition)).toEqual([10]);
      const [read] = await fencedRead(log, [10], 'a', 1);
      expect(read!.entries.map((e) => e.updateId)).toEqual([1]);
      await log.close();
      expect(blocking.status).toBe('ready');
    } finally {
      client.disconnect();
      blocking.disconnect();
    }
  });

  it('moves a fence only forward', async () => {
    const log = streamLog({ group: 'g10' });
    expect(await log.fence(20, 'a', 3)).toBe(true);
    expect(await log.fence(20, 'a', 3)).toBe(true); // already so
    expect(await log.fence(20, 'b', 3)).toBe(false); // same epoch, another consumer
    expect(await log.fence(20, 'b', 2)).toBe(false);
    expect(await log.fence(20, 'a', 1)).toBe(false);
    expect(await redis.client.get(log.fenceKey(20))).toBe('a 3');
    expect(await log.fence(20, 'b', 10)).toBe(true);
    expect(await log.fence(20, 'a', 9)).toBe(false);
    expect(await redis.client.get(log.fenceKey(20))).toBe('b 10');
  });

  it('reads, claims and acknowledges only under the fence it holds', async () => {
    const log = streamLog({ group: 'g11' });
    await log.ensureGroup(21);
    await log.append([item(21, 1, 1)]);
    expect(await log.read([{ partition: 21, epoch: 1 }], 'a', { count: 10 })).toEqual([
      { partition: 21, fence: 'missing', entries: [] },
    ]);
    const [first] = await fencedRead(log, [21], 'a', 10, 1);
    expect(await log.fence(21, 'b', 2)).toBe(true);
    await log.append([item(21, 1, 2)]);
    // A, stale, takes nothing and learns the partition is taken.
    expect(await log.read([{ partition: 21, epoch: 1 }], 'a', { count: 10 })).toEqual([
      { partition: 21, fence: 'taken', entries: [] },
    ]);
    // B's own read at an older epoch is fenced too.
    expect((await log.read([{ partition: 21, epoch: 1 }], 'b', { count: 10 }))[0]!.fence).toBe('taken');
    await expect(log.claimPending(21, 'a', 1)).rejects.toBeInstanceOf(StreamFencedError);
    await expect(log.claimPending(21, 'a', 1)).rejects.toMatchObject({ code: 'WRITE_FENCED', partition: 21 });
    // B claims what A read before the fence, then reads the new entry: in order.
    expect((await log.claimPending(21, 'b', 2)).map((e) => e.updateId)).toEqual([1]);
    const [next] = await fencedRead(log, [21], 'b', 10, 2);
    expect(next!.entries.map((e) => e.updateId)).toEqual([2]);
    // A's acknowledgement after B fenced is refused, even of an entry still pending for A.
    await redis.client.xclaim(log.key(21), 'g11', 'a', 0, first!.entries[0]!.id);
    expect(await log.ack(21, 'a', 1, [first!.entries[0]!.id])).toBe(0);
    expect(await log.lag([21])).toEqual([2]);
  });

  it('keeps a stale reader blocked in a wait from taking a new entry from the owner', async () => {
    const a = streamLog({ group: 'g12' });
    const b = streamLog({ group: 'g12' });
    await a.ensureGroup(22);
    await a.append([item(22, 1, 1)]);
    const [firstA] = await fencedRead(a, [22], 'a', 10, 1);
    expect(firstA!.entries.map((e) => e.updateId)).toEqual([1]);
    // A waits (as its read loop does) while B takes the partition over.
    const waiting = a.waitForEntries([{ partition: 22, afterId: firstA!.entries[0]!.id }], 5000);
    expect(await b.fence(22, 'b', 2)).toBe(true);
    expect((await b.claimPending(22, 'b', 2)).map((e) => e.updateId)).toEqual([1]);
    await a.append([item(22, 1, 2)]);
    expect((await waiting).map((f) => f.partition)).toEqual([22]);
    // A reads after waking: nothing, and the fence says the partition is taken.
    expect(await a.read([{ partition: 22, epoch: 1 }], 'a', { count: 10 })).toEqual([
      { partition: 22, fence: 'taken', entries: [] },
    ]);
    const [nextB] = await fencedRead(b, [22], 'b', 10, 2);
    expect(nextB!.entries.map((e) => e.updateId)).toEqual([2]);
  });
});
