import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  RedisStreamLog,
  type StreamAppend,
  StreamIngress,
  StreamIngressClosedError,
  type StreamLog,
} from '../../src/cluster/index.js';
import { type Counter, MetricsRegistry } from '../../src/runtime/index.js';
import { waitFor } from '../support/edge-harness.js';
import { hostPort, TcpGate, throughGate } from '../support/tcp-gate.js';
import { createTestRedis, type TestRedis } from '../support/test-services.js';

/** The value of an unlabelled counter. */
const count = (metrics: MetricsRegistry, name: string): number =>
  (metrics.get(name) as Counter | undefined)?.value ?? 0;

let redis: TestRedis;
let gate: TcpGate;
const cleanups: Array<() => Promise<void> | void> = [];

beforeAll(async () => {
  redis = await createTestRedis('stream-ingress');
  gate = await TcpGate.start(hostPort(redis.url, 6379));
});

afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  await gate.close();
  await redis.close();
});

/** A stream log that counts its appends and the batch sizes. */
class CountingLog {
  readonly batches: number[] = [];

  constructor(readonly inner: StreamLog) {}

  async append(items: readonly StreamAppend[]): Promise<void> {
    this.batches.push(items.length);
    await this.inner.append(items);
  }
}

function setUp(client: Redis, options: { maxBatch?: number } = {}) {
  const metrics = new MetricsRegistry();
  const log = new RedisStreamLog({ redis: client, prefix: redis.prefix, metrics });
  const counting = new CountingLog(log);
  const ingress = new StreamIngress({
    log: counting as unknown as StreamLog,
    metrics,
    backoff: { minMs: 10, maxMs: 50 },
    ...options,
  });
  cleanups.push(
    () => ingress.close(),
    () => log.close(),
  );
  return { log, counting, ingress, metrics };
}

const item = (partition: number, updateId: number): StreamAppend => ({
  partition,
  chatId: partition * 1000,
  updateId,
  update: { update_id: updateId },
});

async function streamed(log: RedisStreamLog, partition: number): Promise<number[]> {
  const entries = await redis.client.xrange(log.key(partition), '-', '+');
  return entries.map(([, fields]) => Number(fields[fields.indexOf('u') + 1]));
}

describe('StreamIngress', () => {
  it('appends everything added in one turn with one pipelined append', async () => {
    const { log, counting, ingress } = setUp(redis.client);
    const adds = Array.from({ length: 300 }, (_, i) => ingress.add(item(20 + (i % 3), i)));
    await Promise.all(adds);
    expect(counting.batches).toEqual([300]);
    for (const p of [20, 21, 22]) {
      expect(await streamed(log, p)).toEqual(Array.from({ length: 100 }, (_, i) => i * 3 + (p - 20)));
    }
  });

  it('splits a turn larger than the batch cap, in order', async () => {
    const { log, counting, ingress } = setUp(redis.client, { maxBatch: 100 });
    await Promise.all(Array.from({ length: 250 }, (_, i) => ingress.add(item(23, i))));
    expect(counting.batches).toEqual([100, 100, 50]);
    expect(await streamed(log, 23)).toEqual(Array.from({ length: 250 }, (_, i) => i));
  });

  it('keeps retrying while Redis is unreachable and loses nothing nor reorders when it returns', async () => {
    const client = new Redis(throughGate(redis.url, gate), {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      autoResendUnfulfilledCommands: false,
      commandTimeout: 500,
      retryStrategy: () => 20,
    });
    client.on('error', () => undefined);
    cleanups.push(() => client.disconnect());
    await waitFor('the client to connect', () => client.status === 'ready');
    const { log, ingress, metrics } = setUp(client);
    await ingress.add(item(24, 0));

    gate.cut();
    let settled = 0;
    const adds = Array.from({ length: 50 }, (_, i) => ingress.add(item(24 + (i % 2), i + 1)).then(() => settled++));
    const failures = (): number => count(metrics, 'lekha_stream_append_failures_total');
    await waitFor('appends to fail', () => failures() >= 2);
    // Added while the first batch is being retried: they go after it.
    const later = Array.from({ length: 10 }, (_, i) => ingress.add(item(24, 100 + i)).then(() => settled++));
    expect(settled).toBe(0);
    expect(ingress.pending).toBe(60);

    gate.restore();
    await Promise.all([...adds, ...later]);
    const odd = Array.from({ length: 25 }, (_, i) => i * 2 + 1);
    const even = Array.from({ length: 25 }, (_, i) => i * 2 + 2);
    // Duplicates from a batch that reached Redis before its reply was lost are allowed; order is not.
    const dedupe = (ids: number[]): number[] => ids.filter((id, i) => ids.indexOf(id) === i);
    expect(dedupe(await streamed(log, 24))).toEqual([0, ...odd, ...Array.from({ length: 10 }, (_, i) => 100 + i)]);
    expect(dedupe(await streamed(log, 25))).toEqual(even);
  });

  it('rejects what it has not appended when closed', async () => {
    const failing: StreamLog = {
      append: () => Promise.reject(new Error('Redis is down')),
    } as unknown as StreamLog;
    const metrics = new MetricsRegistry();
    const ingress = new StreamIngress({ log: failing, metrics, backoff: { minMs: 5, maxMs: 10 } });
    const adds = [ingress.add(item(1, 1)), ingress.add(item(1, 2))].map((p) => p.catch((e: unknown) => e));
    await waitFor('a failed append', () => count(metrics, 'lekha_stream_append_failures_total') > 0);
    await ingress.close();
    for (const result of await Promise.all(adds)) {
      expect(result).toBeInstanceOf(StreamIngressClosedError);
      expect(result).toMatchObject({ code: 'SHUTTING_DOWN' });
    }
    await expect(ingress.add(item(1, 3))).rejects.toBeInstanceOf(StreamIngressClosedError);
  });

  it('retries an append that is never answered', async () => {
    let calls = 0;
    const appended: number[][] = [];
    const hanging = {
      append: (items: readonly StreamAppend[]) => {
        calls++;
        if (calls === 1) return new Promise<void>(() => undefined);
        appended.push(items.map((i) => i.updateId));
        return Promise.resolve();
      },
    } as unknown as StreamLog;
    const metrics = new MetricsRegistry();
    const ingress = new StreamIngress({ log: hanging, metrics, appendTimeoutMs: 20, backoff: { minMs: 5, maxMs: 10 } });
    await Promise.all([ingress.add(item(1, 1)), ingress.add(item(1, 2))]);
    expect(appended).toEqual([[1, 2]]);
    expect(count(metrics, 'lekha_stream_append_failures_total')).toBe(1);
    await ingress.close();
  });

  it('refuses a batch cap below one', () => {
    expect(() => new StreamIngress({ log: {} as StreamLog, metrics: new MetricsRegistry(), maxBatch: 0 })).toThrow(
      /maxBatch/,
    );
  });
});
