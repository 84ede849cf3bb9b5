import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type EntrySink,
  PartitionConsumer,
  RedisStreamLog,
  type StreamAppend,
  type StreamEntry,
  type StreamLog,
} from '../../src/cluster/index.js';
import { type Counter, type Gauge, MetricsRegistry } from '../../src/runtime/index.js';
import { CapturingLogger } from '../support/capturing-logger.js';
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
  redis = await createTestRedis('partition-consumer');
  gate = await TcpGate.start(hostPort(redis.url, 6379));
});

afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  await gate.close();
  await redis.close();
});

interface Delivery {
  readonly partition: number;
  readonly entry: StreamEntry;
  resolve(): void;
  reject(error: Error): void;
}

/** The runtime as the consumer sees it: settles deliveries when told (or at once), says busy on demand. */
class FakeSink implements EntrySink {
  readonly deliveries: Delivery[] = [];
  readonly offers: number[] = [];
  readonly forgotten: Array<{ partition: number; updateIds: number[] }> = [];
  /** Answer `'busy'` to this many offers. */
  busyOffers = 0;
  /** Reject the first delivery of these update ids. */
  readonly failOnce = new Set<number>();

  constructor(private readonly autoSettle: boolean) {}

  deliver(partition: number, entry: StreamEntry): Promise<void> | 'busy' {
    this.offers.push(entry.updateId);
    if (this.busyOffers > 0) {
      this.busyOffers--;
      return 'busy';
    }
    return new Promise<void>((resolve, reject) => {
      this.deliveries.push({ partition, entry, resolve, reject });
      if (this.failOnce.delete(entry.updateId)) reject(new Error('the turn failed'));
      else if (this.autoSettle) resolve();
    });
  }

  forget(partition: number, entries: readonly StreamEntry[]): void {
    this.forgotten.push({ partition, updateIds: entries.map((e) => e.updateId) });
  }

  ids(partition?: number): number[] {
    return this.deliveries
      .filter((d) => partition === undefined || d.partition === partition)
      .map((d) => d.entry.updateId);
  }

  delivery(updateId: number): Delivery {
    const found = this.deliveries.find((d) => d.entry.updateId === updateId);
    if (found === undefined) throw new Error(`update ${updateId} was not delivered`);
    return found;
  }
}

/**
 * A stream log that records what each acknowledgement returned and, while
 * `hold` is set, keeps the answer of a read that took entries until it resolves
 * (the read ran in Redis; its answer is late).
 */
function recording(inner: RedisStreamLog): {
  log: StreamLog;
  acks: Array<{ ids: number; acked: number }>;
  gate: { hold: Promise<void> | null; held: number };
} {
  const acks: Array<{ ids: number; acked: number }> = [];
  const gate: { hold: Promise<void> | null; held: number } = { hold: null, held: 0 };
  const log: StreamLog = {
    append: (items) => inner.append(items),
    ensureGroup: (partition) => inner.ensureGroup(partition),
    fence: (partition, consumer, epoch) => inner.fence(partition, consumer, epoch),
    claimPending: (partition, consumer, epoch) => inner.claimPending(partition, consumer, epoch),
    read: async (partitions, consumer, options) => {
      const results = await inner.read(partitions, consumer, options);
      if (gate.hold !== null && results.some((r) => r.entries.length > 0)) {
        gate.held++;
        await gate.hold;
      }
      return results;
    },
    waitForEntries: (after, blockMs) => inner.waitForEntries(after, blockMs),
    ack: async (partition, consumer, epoch, ids) => {
      const acked = await inner.ack(partition, consumer, epoch, ids);
      acks.push({ ids: ids.length, acked });
      return acked;
    },
    lag: (partitions) => inner.lag(partitions),
    close: () => inner.close(),
  };
  return { log, acks, gate };
}

function newLog(client: Redis = redis.client): RedisStreamLog {
  const log = new RedisStreamLog({ redis: client, prefix: redis.prefix, metrics: new MetricsRegistry() });
  cleanups.push(() => log.close());
  return log;
}

function newConsumer(
  name: string,
  sink: EntrySink,
  options: { log?: StreamLog; metrics?: MetricsRegistry; logger?: CapturingLogger; maxInFlight?: number } = {},
) {
  const log = options.log ?? newLog();
  const consumer = new PartitionConsumer({
    log,
    sink,
    consumer: name,
    metrics: options.metrics ?? new MetricsRegistry(),
    ...(options.logger === undefined ? {} : { logger: options.logger }),
    blockMs: 50,
    busyRetryMs: 10,
    retryMinMs: 10,
    lagIntervalMs: 30,
    ...(options.maxInFlight === undefined ? {} : { maxInFlight: options.maxInFlight }),
  });
  cleanups.push(() => consumer.close());
  return consumer;
}

const item = (partition: number, updateId: number): StreamAppend => ({
  partition,
  chatId: 7000 + (updateId % 3),
  updateId,
  update: { update_id: updateId, message: { text: `private text ${updateId}` } },
});

const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);

let nextPartition = 100;
/** A partition no other test uses (each test gets fresh streams). */
const freshPartition = (): number => nextPartition++;

let shared: RedisStreamLog | undefined;
/** One log for the test's own appends and lag checks. */
const writer = (): RedisStreamLog => (shared ??= newLog());

async function appendTo(partition: number, ids: number[]): Promise<void> {
  await writer().append(ids.map((id) => item(partition, id)));
}

async function lag(partition: number): Promise<number> {
  return (await writer().lag([partition]))[0]!;
}

async function pendingCount(partition: number): Promise<number> {
  const summary = (await redis.client.xpending(`${redis.prefix}stream:${partition}`, 'lekha')) as [number];
  return summary[0];
}

/** Lets queued callbacks (and an acknowledgement they would send) run, then waits for Redis to have served them. */
async function quiesce(): Promise<void> {
  for (let i = 0; i < 3; i++) await new Promise((resolve) => setImmediate(resolve));
  await redis.client.ping();
}

describe('PartitionConsumer', () => {
  it('hands entries over in stream order per partition and acknowledges them once settled', async () => {
    const [p, q] = [freshPartition(), freshPartition()];
    const sink = new FakeSink(true);
    const consumer = newConsumer('a', sink);
    await consumer.serve({ partition: p, epoch: 1 });
    await consumer.serve({ partition: q, epoch: 1 });
    for (let batch = 0; batch < 5; batch++) {
      await writer().append(range(batch * 20, batch * 20 + 19).flatMap((id) => [item(p, id), item(q, 1000 + id)]));
    }
    await waitFor('every entry delivered', () => sink.deliveries.length === 200);
    expect(sink.ids(p)).toEqual(range(0, 99));
    expect(sink.ids(q)).toEqual(range(1000, 1099));
    await waitFor('every entry acknowledged', async () => (await lag(p)) + (await lag(q)) === 0);
    expect(consumer.inFlight).toBe(0);
    expect(consumer.partitions).toEqual([p, q]);
  });

  it('acknowledges an entry only after its delivery settled', async () => {
    const p = freshPartition();
    const sink = new FakeSink(false);
    const consumer = newConsumer('a', sink);
    await consumer.serve({ partition: p, epoch: 1 });
    await appendTo(p, [1, 2, 3]);
    await waitFor('three deliveries', () => sink.deliveries.length === 3);
    await quiesce();
    expect(await lag(p)).toBe(3);
    sink.delivery(2).resolve();
    await waitFor('entry 2 acknowledged', async () => (await lag(p)) === 2);
    const left = await redis.client.xrange(`${redis.prefix}stream:${p}`, '-', '+');
    expect(left.map(([, fields]) => fields[fields.indexOf('u') + 1])).toEqual(['1', '3']);
    sink.delivery(1).resolve();
    sink.delivery(3).resolve();
    await waitFor('all acknowledged', async () => (await lag(p)) === 0);
    expect(consumer.inFlight).toBe(0);
  });

  it('holds back later entries while the runtime is busy and offers the first again', async () => {
    const p = freshPartition();
    const sink = new FakeSink(true);
    sink.busyOffers = 3;
    const consumer = newConsumer('a', sink);
    await consumer.serve({ partition: p, epoch: 1 });
    await appendTo(p, [1, 2, 3]);
    await waitFor('three deliveries', () => sink.deliveries.length === 3);
    expect(sink.offers).toEqual([1, 1, 1, 1, 2, 3]);
    expect(sink.ids()).toEqual([1, 2, 3]);
    await waitFor('all acknowledged', async () => (await lag(p)) === 0);
  });

  it('leaves an entry whose delivery failed pending and hands it over again, logging no content', async () => {
    const p = freshPartition();
    const sink = new FakeSink(true);
    sink.failOnce.add(2);
    const logger = new CapturingLogger();
    const metrics = new MetricsRegistry();
    const consumer = newConsumer('a', sink, { logger, metrics });
    await consumer.serve({ partition: p, epoch: 1 });
    await appendTo(p, [1, 2, 3]);
    await waitFor('entry 2 delivered twice', () => sink.ids().filter((id) => id === 2).length === 2);
    expect(sink.ids()).toEqual([1, 2, 3, 2]);
    await waitFor('all acknowledged', async () => (await lag(p)) === 0);
    expect(count(metrics, 'lekha_stream_delivery_failures_total')).toBe(1);
    const line = logger.lines.find((l) => l.msg.includes('processing a stream entry failed'));
    expect(line?.obj).toMatchObject({ partition: p, chatId: 7002, updateId: 2 });
    expect(JSON.stringify(logger.lines.map((l) => l.obj))).not.toContain('private text');
  });

  it('acknowledges an entry that does not decode without handing it over', async () => {
    const p = freshPartition();
    const sink = new FakeSink(true);
    const logger = new CapturingLogger();
    const metrics = new MetricsRegistry();
    const consumer = newConsumer('a', sink, { logger, metrics });
    await consumer.serve({ partition: p, epoch: 1 });
    await redis.client.xadd(`${redis.prefix}stream:${p}`, '*', 'c', '-5', 'u', '50', 'd', Buffer.from([0xc1]));
    await appendTo(p, [51]);
    await waitFor('the good entry delivered', () => sink.deliveries.length === 1);
    expect(sink.ids()).toEqual([51]);
    await waitFor('both acknowledged', async () => (await lag(p)) === 0);
    expect(count(metrics, 'lekha_stream_malformed_total')).toBe(1);
    expect(logger.lines.find((l) => l.msg.includes('does not decode'))?.obj).toMatchObject({
      partition: p,
      chatId: -5,
      updateId: 50,
    });
  });

  it('on hand-off stops reading, waits for what it handed over, and leaves the rest to the next owner', async () => {
    const p = freshPartition();
    const sink = new FakeSink(false);
    const consumer = newConsumer('a', sink);
    await consumer.serve({ partition: p, epoch: 1 });
    await appendTo(p, [1, 2]);
    await waitFor('two deliveries', () => sink.deliveries.length === 2);
    sink.busyOffers = 1_000_000; // entry 3 is read but not handed over
    await appendTo(p, [3]);
    await waitFor('entry 3 offered', () => sink.offers.includes(3));

    let handedOff = false;
    const handOff = consumer.handOff([p], Date.now() + 10_000).then(() => (handedOff = true));
    sink.delivery(1).resolve();
    await waitFor('entry 1 acknowledged', async () => (await lag(p)) === 2);
    await quiesce();
    expect(handedOff).toBe(false);
    sink.delivery(2).resolve();
    await handOff;
    expect(sink.forgotten).toEqual([]);
    expect(await lag(p)).toBe(1);
    expect(consumer.partitions).toEqual([]);

    await appendTo(p, [4]);
    const next = new FakeSink(true);
    const b = newConsumer('b', next);
    await b.serve({ partition: p, epoch: 2 });
    await waitFor('the next owner has 3 and 4', () => next.deliveries.length === 2);
    expect(next.ids()).toEqual([3, 4]);
    await waitFor('all acknowledged', async () => (await lag(p)) === 0);
    expect(sink.ids()).toEqual([1, 2]);
  });

  it('gives up a hand-off at its deadline', async () => {
    const p = freshPartition();
    const sink = new FakeSink(false);
    const consumer = newConsumer('a', sink);
    await consumer.serve({ partition: p, epoch: 1 });
    await appendTo(p, [1]);
    await waitFor('a delivery', () => sink.deliveries.length === 1);
    await consumer.handOff([p], Date.now() + 50);
    expect(consumer.partitions).toEqual([]);
    expect(sink.forgotten).toEqual([{ partition: p, updateIds: [1] }]);
    sink.delivery(1).resolve();
    await quiesce();
    expect(await pendingCount(p)).toBe(1);
  });

  it('on abandon forgets what it handed over and never acknowledges it, so the next owner gets it in order', async () => {
    const p = freshPartition();
    const sink = new FakeSink(false);
    const recorded = recording(newLog());
    const consumer = newConsumer('a', sink, { log: recorded.log });
    await consumer.serve({ partition: p, epoch: 1 });
    await appendTo(p, [1, 2, 3]);
    await waitFor('three deliveries', () => sink.deliveries.length === 3);
    sink.delivery(1).resolve();
    await waitFor('entry 1 acknowledged', async () => (await lag(p)) === 2);

    consumer.abandon([p]);
    expect(sink.forgotten).toEqual([{ partition: p, updateIds: [2, 3] }]);
    const acksBefore = recorded.acks.length;
    sink.delivery(2).resolve();
    sink.delivery(3).resolve();
    await quiesce();
    expect(recorded.acks.length).toBe(acksBefore);
    expect(await pendingCount(p)).toBe(2);

    const next = new FakeSink(true);
    const b = newConsumer('b', next);
    await b.serve({ partition: p, epoch: 2 });
    await waitFor('the next owner has 2 and 3', () => next.deliveries.length === 2);
    expect(next.ids()).toEqual([2, 3]);
    await waitFor('all acknowledged', async () => (await lag(p)) === 0);
  });

  it('takes over a dead owner’s pending entries in order, before new ones, and fences the old owner’s acks', async () => {
    const p = freshPartition();
    const old = new FakeSink(false);
    const recorded = recording(newLog());
    // At its bound of unacknowledged entries A reads no more: a stalled owner.
    const a = newConsumer('a', old, { log: recorded.log, maxInFlight: 5 });
    await a.serve({ partition: p, epoch: 1 });
    await appendTo(p, range(1, 5));
    await waitFor('five deliveries', () => old.deliveries.length === 5);

    // A never learns it lost the partition; B takes over.
    const next = new FakeSink(false);
    const b = newConsumer('b', next);
    await b.serve({ partition: p, epoch: 2 });
    await appendTo(p, [6]);
    await waitFor('B has all six', () => next.deliveries.length === 6);
    expect(next.ids()).toEqual(range(1, 6));

    for (const d of old.deliveries) d.resolve();
    await waitFor('A tried to acknowledge', () => recorded.acks.reduce((n, r) => n + r.ids, 0) === 5);
    expect(recorded.acks.reduce((n, r) => n + r.acked, 0)).toBe(0);
    expect(await lag(p)).toBe(6);

    for (const d of next.deliveries) d.resolve();
    await waitFor('B acknowledged everything', async () => (await lag(p)) === 0);
  });

  it('drops a partition another member fenced: a stale reader takes no new entry from the owner', async () => {
    const p = freshPartition();
    const old = new FakeSink(true);
    const logger = new CapturingLogger();
    const metrics = new MetricsRegistry();
    const a = newConsumer('a', old, { logger, metrics });
    await a.serve({ partition: p, epoch: 1 });
    await appendTo(p, [1]);
    await waitFor('A has entry 1 acknowledged', async () => old.deliveries.length === 1 && (await lag(p)) === 0);
    // A, idle, waits for entries; it never learns that B took the partition over.
    await quiesce();
    const next = new FakeSink(true);
    const b = newConsumer('b', next);
    await b.serve({ partition: p, epoch: 2 });
    await appendTo(p, [2, 3]);
    await waitFor('B has 2 and 3', () => next.deliveries.length === 2);
    expect(next.ids()).toEqual([2, 3]);
    await waitFor('A dropped the partition', () => a.partitions.length === 0);
    expect(old.ids()).toEqual([1]);
    expect(count(metrics, 'lekha_stream_fenced_total')).toBe(1);
    expect(logger.lines.find((l) => l.msg.includes('fenced the partition stream'))?.obj).toMatchObject({
      partition: p,
      epoch: 1,
    });
    await waitFor('all acknowledged', async () => (await lag(p)) === 0);
    expect(await pendingCount(p)).toBe(0);
  });

  it('hands off with a read in flight and loses nothing: the next owner claims what it took, in order', async () => {
    const p = freshPartition();
    const sink = new FakeSink(true);
    const recorded = recording(newLog());
    const a = newConsumer('a', sink, { log: recorded.log });
    await a.serve({ partition: p, epoch: 1 });
    await appendTo(p, [1]);
    await waitFor('entry 1 acknowledged', async () => sink.deliveries.length === 1 && (await lag(p)) === 0);

    let release = (): void => undefined;
    recorded.gate.hold = new Promise<void>((resolve) => (release = resolve));
    await appendTo(p, [2]);
    await waitFor('a read took entry 2, its answer held', () => recorded.gate.held === 1);
    let handedOff = false;
    const handOff = a.handOff([p], Date.now() + 10_000).then(() => (handedOff = true));
    await quiesce();
    expect(handedOff).toBe(false); // the read is still out
    release();
    recorded.gate.hold = null;
    await handOff;
    expect(sink.ids()).toEqual([1]);
    expect(await pendingCount(p)).toBe(1);

    await appendTo(p, [3]);
    const next = new FakeSink(true);
    const b = newConsumer('b', next);
    await b.serve({ partition: p, epoch: 2 });
    await waitFor('B has 2 and 3', () => next.deliveries.length === 2);
    expect(next.ids()).toEqual([2, 3]);
    await waitFor('all acknowledged', async () => (await lag(p)) === 0);
  });

  it('fences again when served at a new epoch, and refuses an epoch older than the fence', async () => {
    const p = freshPartition();
    const sink = new FakeSink(true);
    const consumer = newConsumer('a', sink);
    await consumer.serve({ partition: p, epoch: 1 });
    await consumer.serve({ partition: p, epoch: 2 });
    expect(await redis.client.get(`${redis.prefix}stream-owner:${p}`)).toBe('a 2');
    await appendTo(p, [1]);
    await waitFor('entry 1 acknowledged', async () => sink.deliveries.length === 1 && (await lag(p)) === 0);

    const q = freshPartition();
    await writer().fence(q, 'b', 5);
    await expect(consumer.serve({ partition: q, epoch: 3 })).rejects.toMatchObject({ code: 'WRITE_FENCED' });
    expect(consumer.partitions).toEqual([p]);
    await writer().fence(p, 'b', 7);
    await expect(consumer.serve({ partition: p, epoch: 3 })).rejects.toMatchObject({ code: 'WRITE_FENCED' });
    expect(consumer.partitions).toEqual([]);
  });

  it('sets a fence Redis lost again and goes on reading', async () => {
    const p = freshPartition();
    const sink = new FakeSink(true);
    const logger = new CapturingLogger();
    const consumer = newConsumer('a', sink, { logger });
    await consumer.serve({ partition: p, epoch: 4 });
    await redis.client.del(`${redis.prefix}stream-owner:${p}`);
    await appendTo(p, [1]);
    await waitFor('entry 1 acknowledged', async () => sink.deliveries.length === 1 && (await lag(p)) === 0);
    expect(await redis.client.get(`${redis.prefix}stream-owner:${p}`)).toBe('a 4');
    expect(logger.lines.some((l) => l.msg.includes('fence is missing'))).toBe(true);
    expect(consumer.partitions).toEqual([p]);
  });

  it('waits past an entry the group delivered elsewhere instead of waking for it again and again', async () => {
    const p = freshPartition();
    const sink = new FakeSink(true);
    const inner = newLog();
    let waits = 0;
    let wakes = 0;
    const log: StreamLog = {
      ...recording(inner).log,
      waitForEntries: async (after, blockMs) => {
        const found = await inner.waitForEntries(after, blockMs);
        waits++;
        if (found.length > 0) wakes++;
        return found;
      },
    };
    const consumer = newConsumer('a', sink, { log });
    await consumer.serve({ partition: p, epoch: 1 });
    await appendTo(p, [1]);
    await waitFor('entry 1 acknowledged', async () => sink.deliveries.length === 1 && (await lag(p)) === 0);
    // A reader outside the fence (a member running an unfenced version) takes entry 2 as it is appended.
    const key = `${redis.prefix}stream:${p}`;
    await redis.client
      .multi()
      .xadd(key, '*', 'c', '7002', 'u', '2', 'd', 'x')
      .xreadgroup('GROUP', 'lekha', 'x', 'COUNT', 1, 'STREAMS', key, '>')
      .exec();
    const before = waits;
    await waitFor('five more waits', () => waits >= before + 5);
    expect(wakes).toBeLessThanOrEqual(2);
    await appendTo(p, [3]);
    await waitFor('entry 3 delivered', () => sink.deliveries.length === 2);
    expect(sink.ids()).toEqual([1, 3]);
  });

  it('bounds the entries it holds unacknowledged', async () => {
    const p = freshPartition();
    const sink = new FakeSink(false);
    const consumer = newConsumer('a', sink, { maxInFlight: 10 });
    await consumer.serve({ partition: p, epoch: 1 });
    await appendTo(p, range(1, 30));
    await waitFor('ten deliveries', () => sink.deliveries.length === 10);
    await quiesce();
    expect(consumer.inFlight).toBe(10);
    for (let settled = 0; settled < 30; settled++) {
      await waitFor(`delivery ${settled + 1}`, () => sink.deliveries.length > settled);
      expect(consumer.inFlight).toBeLessThanOrEqual(11);
      sink.deliveries[settled]!.resolve();
    }
    expect(sink.ids()).toEqual(range(1, 30));
    await waitFor('all acknowledged', async () => (await lag(p)) === 0);
  });

  it('publishes the lag of each served partition and zero once it is not served', async () => {
    const p = freshPartition();
    const sink = new FakeSink(false);
    const metrics = new MetricsRegistry();
    const consumer = newConsumer('a', sink, { metrics });
    await consumer.serve({ partition: p, epoch: 1 });
    const gauge = metrics.get('lekha_stream_lag', { partition: String(p) }) as Gauge;
    await appendTo(p, [1, 2, 3, 4]);
    await waitFor('the lag gauge shows 4', () => gauge.value === 4);
    consumer.abandon([p]);
    expect(gauge.value).toBe(0);
  });

  it('reports unhealthy while Redis is unreachable and resumes when it returns', async () => {
    const p = freshPartition();
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
    const metrics = new MetricsRegistry();
    const sink = new FakeSink(true);
    const consumer = newConsumer('a', sink, { log: newLog(client), metrics });
    await consumer.serve({ partition: p, epoch: 1 });
    await appendTo(p, [1]);
    await waitFor('entry 1 acknowledged', async () => (await lag(p)) === 0);
    expect(consumer.healthy).toBe(true);

    gate.cut();
    await waitFor('unhealthy', () => !consumer.healthy);
    expect(count(metrics, 'lekha_stream_read_failures_total')).toBeGreaterThan(0);
    await appendTo(p, [2, 3]);
    gate.restore();
    await waitFor('healthy again', () => consumer.healthy);
    await waitFor('entries 2 and 3 delivered', () => sink.deliveries.length === 3);
    expect(sink.ids()).toEqual([1, 2, 3]);
    await waitFor('all acknowledged', async () => (await lag(p)) === 0);
  });

  it('tries a failed acknowledgement again and is unhealthy meanwhile', async () => {
    const p = freshPartition();
    const sink = new FakeSink(true);
    const inner = newLog();
    let failAcks = 1;
    const log: StreamLog = {
      ...recording(inner).log,
      ack: (partition, consumer, epoch, ids) =>
        failAcks-- > 0 ? Promise.reject(new Error('Redis is down')) : inner.ack(partition, consumer, epoch, ids),
    };
    const metrics = new MetricsRegistry();
    const consumer = newConsumer('a', sink, { log, metrics });
    await consumer.serve({ partition: p, epoch: 1 });
    await appendTo(p, [1, 2]);
    await waitFor('an acknowledgement failed', () => count(metrics, 'lekha_stream_ack_failures_total') === 1);
    await waitFor('both acknowledged', async () => (await lag(p)) === 0);
    await waitFor('healthy again', () => consumer.healthy);
    expect(sink.ids()).toEqual([1, 2]);
  });

  it('rejects serving a partition when Redis refuses, and does not serve it', async () => {
    const p = freshPartition();
    const inner = newLog();
    const log: StreamLog = {
      ...recording(inner).log,
      claimPending: () => Promise.reject(new Error('Redis is down')),
    };
    const metrics = new MetricsRegistry();
    const consumer = newConsumer('a', new FakeSink(true), { log, metrics });
    await expect(consumer.serve({ partition: p, epoch: 1 })).rejects.toThrow('Redis is down');
    expect(consumer.partitions).toEqual([]);
    expect((metrics.get('lekha_stream_lag', { partition: String(p) }) as Gauge).value).toBe(0);
  });

  it('recreates the consumer group of a stream deleted under it', async () => {
    const p = freshPartition();
    const sink = new FakeSink(true);
    const consumer = newConsumer('a', sink);
    await consumer.serve({ partition: p, epoch: 1 });
    await appendTo(p, [1]);
    await waitFor('entry 1 delivered', () => sink.deliveries.length === 1);
    await redis.client.del(`${redis.prefix}stream:${p}`);
    await waitFor('the group is back', async () => {
      const groups = (await redis.client.xinfo('GROUPS', `${redis.prefix}stream:${p}`).catch(() => [])) as unknown[];
      return groups.length === 1;
    });
    await appendTo(p, [2]);
    await waitFor('entry 2 delivered', () => sink.deliveries.length === 2);
    expect(sink.ids()).toEqual([1, 2]);
  });

  it('refuses to serve once closed', async () => {
    const consumer = newConsumer('a', new FakeSink(true));
    await consumer.close();
    await expect(consumer.serve({ partition: freshPartition(), epoch: 1 })).rejects.toMatchObject({
      code: 'SHUTTING_DOWN',
    });
  });
});
