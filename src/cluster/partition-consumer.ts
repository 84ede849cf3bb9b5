import {
  Backoff,
  type Clock,
  type Counter,
  type Gauge,
  InvalidOptionError,
  type Logger,
  type MetricsRegistry,
  ShuttingDownError,
  SystemClock,
  type TimerHandle,
} from '../runtime/index.js';
import type { EntrySink, Lease, PartitionRead, PartitionWork, StreamEntry, StreamLog } from './cluster-ports.js';
import { StreamFencedError } from './stream-errors.js';

export interface PartitionConsumerOptions {
  log: StreamLog;
  sink: EntrySink;
  /** This member's name in the consumer group (its member id). */
  consumer: string;
  metrics: MetricsRegistry;
  logger?: Logger;
  clock?: Clock;
  /** How long one wait for new entries lasts; a change of the served set takes effect after at most this. */
  blockMs?: number;
  /** Most entries one read takes per partition. */
  readCount?: number;
  /** Most entries read and not yet acknowledged, over all partitions (a read may pass it by one per partition). */
  maxInFlight?: number;
  /** Pause before offering an entry again after the runtime said it was busy. */
  busyRetryMs?: number;
  /** First delay before handing over again an entry whose delivery failed (doubles up to 30 s). */
  retryMinMs?: number;
  /** How often the lag gauges are refreshed. */
  lagIntervalMs?: number;
}

/** One served partition. A new one is made for each `serve`, so a stale callback can tell by identity. */
interface Served {
  readonly partition: number;
  epoch: number;
  /** False once handed off or abandoned: nothing more is delivered or acknowledged for it. */
  active: boolean;
  /** Claimed and read: the read loop includes the partition. */
  reading: boolean;
  /** The id of the latest entry this member took of the partition: waiting for entries means waiting for one after it. */
  lastId: string;
  /** Read, waiting their turn to be handed over, oldest first. */
  readonly queue: StreamEntry[];
  /** Handed over, not yet settled. */
  readonly delivered: Map<string, StreamEntry>;
  /** Whose delivery failed, waiting to be handed over again. */
  readonly failed: StreamEntry[];
  /** Settled (or malformed): to acknowledge at the next tick. */
  readonly toAck: string[];
  /** Acknowledgements in flight. */
  acking: number;
  busyTimer: TimerHandle | null;
  retryTimer: TimerHandle | null;
  readonly retryBackoff: Backoff;
  /** Resolves `handOff` once nothing handed over is left unacknowledged. */
  drained: (() => void) | null;
}

/**
 * Consumes the streams of the partitions this member serves and hands their
 * entries to the runtime ({@link EntrySink}) in stream order, acknowledging
 * each once its effects are durable. One read loop covers every served
 * partition. Entries of a partition wait behind one the runtime is too busy
 * to take; one whose delivery failed stays pending and is offered again
 * after a backoff (the runtime skips it if it was applied after all).
 * Acknowledgements are batched per partition and fenced by the stream log,
 * and once a partition is abandoned nothing of it is acknowledged here
 * again: its pending entries are the next owner's.
 *
 * Serving a partition first sets its fence in Redis to this member at the
 * lease's epoch, then claims what is pending: whatever a stale reader took
 * before the fence is claimed here in order, and after it no other member's
 * read takes anything of the partition. Reads take entries only of
 * partitions fenced for this member; one found fenced by another member is
 * dropped at once (as if abandoned).
 */
export class PartitionConsumer implements PartitionWork {
  private readonly log: StreamLog;
  private readonly sink: EntrySink;
  private readonly consumer: string;
  private readonly logger: Logger | undefined;
  private readonly clock: Clock;
  private readonly metrics: MetricsRegistry;
  private readonly blockMs: number;
  private readonly readCount: number;
  private readonly maxInFlight: number;
  private readonly busyRetryMs: number;
  private readonly retryMinMs: number;
  private readonly served = new Map<number, Served>();
  private readonly lagGauges = new Map<number, Gauge>();
  private readonly readFailures: Counter;
  private readonly ackFailures: Counter;
  private readonly malformed: Counter;
  private readonly deliveryFailures: Counter;
  private readonly fencedCount: Counter;
  private readonly readBackoff = new Backoff({ minMs: 100, maxMs: 5000 });
  private readonly loop: Promise<void>;
  /** What the last wait found: per partition, the first entry after the last one taken. */
  private woken = new Map<number, string>();
  private readonly lagTimer: NodeJS.Timeout;
  private wake: (() => void) | null = null;
  /** The read (not the wait) Redis may be serving now, and the partitions it covers. */
  private currentRead: { partitions: ReadonlySet<number>; done: Promise<unknown> } | null = null;
  private ackScheduled = false;
  private readHealthy = true;
  private ackHealthy = true;
  private closed = false;

  constructor(options: PartitionConsumerOptions) {
    this.log = options.log;
    this.sink = options.sink;
    this.consumer = options.consumer;
    this.logger = options.logger;
    this.clock = options.clock ?? new SystemClock();
    this.metrics = options.metrics;
    this.blockMs = positive('blockMs', options.blockMs ?? 250);
    this.readCount = positive('readCount', options.readCount ?? 256);
    this.maxInFlight = positive('maxInFlight', options.maxInFlight ?? 2048);
    this.busyRetryMs = positive('busyRetryMs', options.busyRetryMs ?? 50);
    this.retryMinMs = positive('retryMinMs', options.retryMinMs ?? 200);
    const lagIntervalMs = positive('lagIntervalMs', options.lagIntervalMs ?? 1000);
    this.readFailures = this.metrics.counter(
      'lekha_stream_read_failures_total',
      'Reads of the partition streams (and lag checks) that failed; the consumer backs off and reads again',
    );
    this.ackFailures = this.metrics.counter(
      'lekha_stream_ack_failures_total',
      'Acknowledgements of stream entries that failed; they are tried again',
    );
    this.malformed = this.metrics.counter(
      'lekha_stream_malformed_total',
      'Stream entries whose update did not decode, acknowledged without being processed',
    );
    this.deliveryFailures = this.metrics.counter(
      'lekha_stream_delivery_failures_total',
      'Stream entries the runtime failed to process; they stay pending and are handed over again',
    );
    this.fencedCount = this.metrics.counter(
      'lekha_stream_fenced_total',
      'Partitions dropped because another member fenced their stream at a later epoch',
    );
    this.loop = this.readLoop();
    this.lagTimer = setInterval(() => void this.refreshLag(), lagIntervalMs);
    this.lagTimer.unref();
  }

  /** False while Redis fails reads or acknowledgements: for readiness. */
  get healthy(): boolean {
    return this.readHealthy && this.ackHealthy;
  }

  /** The partitions served now. */
  get partitions(): number[] {
    return [...this.served.keys()].sort((a, b) => a - b);
  }

  /** Entries read and not yet acknowledged (or dropped), over all partitions. */
  get inFlight(): number {
    let total = 0;
    for (const s of this.served.values()) total += held(s);
    return total;
  }

  /**
   * Creates the partition's group if missing, claims its pending entries
   * (a previous owner's, or this member's own from an earlier time) and
   * hands them over first, in order, then reads new ones. Rejects, leaving
   * the partition unserved, when Redis fails; serving it again retries.
   */
  async serve(lease: Lease): Promise<void> {
    if (this.closed) throw new ShuttingDownError();
    const current = this.served.get(lease.partition);
    if (current !== undefined) {
      if (current.epoch === lease.epoch) return;
      // Reads sent from now on carry the new epoch and, on the same
      // connection, run after the fence below.
      current.epoch = lease.epoch;
      let fenced: boolean;
      try {
        fenced = await this.log.fence(lease.partition, this.consumer, lease.epoch);
      } catch (error) {
        if (this.served.get(lease.partition) === current) this.stop(current);
        throw error;
      }
      if (!fenced) {
        if (this.served.get(lease.partition) === current) this.fencedOut(current);
        throw new StreamFencedError(lease.partition, lease.epoch);
      }
      return;
    }
    const s: Served = {
      partition: lease.partition,
      epoch: lease.epoch,
      active: true,
      reading: false,
      lastId: '0-0',
      queue: [],
      delivered: new Map(),
      failed: [],
      toAck: [],
      acking: 0,
      busyTimer: null,
      retryTimer: null,
      retryBackoff: new Backoff({ minMs: this.retryMinMs, maxMs: 30_000 }),
      drained: null,
    };
    this.served.set(lease.partition, s);
    this.lagGauge(lease.partition);
    try {
      await this.log.ensureGroup(lease.partition);
      // The fence first: from then on no other member's read takes an entry
      // of the partition, and what one took before is pending, so the claim
      // below gets it, in order. A read of this member's from an earlier time
      // it served the partition is fenced the same way (an older epoch).
      if (!(await this.log.fence(lease.partition, this.consumer, lease.epoch))) {
        throw new StreamFencedError(lease.partition, lease.epoch);
      }
      const pending = await this.log.claimPending(lease.partition, this.consumer, lease.epoch);
      if (!s.active) return;
      s.queue.push(...pending);
      const last = pending.at(-1);
      if (last !== undefined) s.lastId = last.id;
    } catch (error) {
      if (this.served.get(lease.partition) === s) this.stop(s);
      throw error;
    }
    s.reading = true;
    this.pump(s);
    this.wake?.();
  }

  /**
   * Stops reading the partitions and resolves once everything already handed
   * over settled and was acknowledged, and no read of them is still out.
   * Entries read but not handed over stay pending for the next owner, who
   * claims them after setting its fence. At `deadlineMs` (clock time) it
   * stops anyway and tells the sink to forget what is still out, as
   * `abandon` does.
   */
  async handOff(partitions: readonly number[], deadlineMs: number): Promise<void> {
    const leaving = partitions.flatMap((p) => {
      const s = this.served.get(p);
      return s === undefined ? [] : [s];
    });
    const waits = leaving.map((s) => {
      s.reading = false;
      // Not yet handed over: left pending for the next owner, who claims them in order.
      s.queue.length = 0;
      s.failed.length = 0;
      this.clearTimers(s);
      return new Promise<void>((resolve) => {
        s.drained = resolve;
        this.checkDrained(s);
      });
    });
    let timer: TimerHandle | null = null;
    const deadline = new Promise<void>((resolve) => {
      timer = this.clock.setTimer(resolve, Math.max(0, deadlineMs - this.clock.now()));
    });
    // A read still out may yet take entries of these partitions for this
    // member: they are dropped when it returns (pending here, claimed by the
    // next owner); once it is back nothing more is read for them.
    const read = this.currentRead;
    if (read !== null && leaving.some((s) => read.partitions.has(s.partition)))
      waits.push(read.done.then(() => undefined));
    await Promise.race([Promise.all(waits), deadline]);
    if (timer !== null) this.clock.clearTimer(timer);
    for (const s of leaving) {
      if (this.served.get(s.partition) !== s) continue;
      // Past the deadline, what is still out goes to the next owner as after `abandon`.
      const unfinished = [...s.delivered.values()];
      this.stop(s);
      if (unfinished.length > 0) this.sink.forget(s.partition, unfinished);
    }
  }

  /**
   * Stops the partitions at once: the sink forgets the entries it has not
   * finished, and nothing of them is acknowledged here any more, even if
   * they settle later.
   */
  abandon(partitions: readonly number[]): void {
    for (const p of partitions) {
      const s = this.served.get(p);
      if (s !== undefined) this.drop(s);
    }
  }

  /** Stops reading and acknowledging everything (after `handOff`, nothing is left to acknowledge). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.lagTimer);
    for (const s of [...this.served.values()]) this.stop(s);
    this.wake?.();
    await this.loop;
  }

  /** Stops the partition and tells the sink to forget what it has not finished. */
  private drop(s: Served): void {
    const unfinished = [...s.delivered.values()];
    this.stop(s);
    if (unfinished.length > 0) this.sink.forget(s.partition, unfinished);
  }

  /** Another member fenced the partition: it serves it now. */
  private fencedOut(s: Served): void {
    this.fencedCount.inc();
    this.logger?.warn(
      { partition: s.partition, epoch: s.epoch },
      'another member fenced the partition stream at a later epoch; dropping the partition here',
    );
    this.drop(s);
  }

  private stop(s: Served): void {
    s.active = false;
    s.reading = false;
    this.clearTimers(s);
    s.drained?.();
    s.drained = null;
    this.served.delete(s.partition);
    this.lagGauges.get(s.partition)?.set(0);
  }

  private clearTimers(s: Served): void {
    if (s.busyTimer !== null) this.clock.clearTimer(s.busyTimer);
    if (s.retryTimer !== null) this.clock.clearTimer(s.retryTimer);
    s.busyTimer = null;
    s.retryTimer = null;
  }

  private async readLoop(): Promise<void> {
    while (!this.closed) {
      const reading = [...this.served.values()].filter((s) => s.reading);
      const room = this.maxInFlight - this.inFlight;
      if (reading.length === 0 || room <= 0) {
        await this.pause(this.blockMs);
        continue;
      }
      const count = Math.max(1, Math.min(this.readCount, Math.floor(room / reading.length)));
      const asked = reading.map((s) => ({ partition: s.partition, epoch: s.epoch }));
      let results: PartitionRead[];
      const read = this.log.read(asked, this.consumer, { count });
      this.currentRead = { partitions: new Set(asked.map((a) => a.partition)), done: read.catch(() => undefined) };
      try {
        results = await read;
      } catch (error) {
        this.currentRead = null;
        await this.readFailed(error, reading);
        continue;
      }
      this.currentRead = null;
      const woken = this.woken;
      this.woken = new Map();
      let took = false;
      for (const [i, result] of results.entries()) {
        const s = this.served.get(result.partition);
        // Handed off, abandoned or served anew while the read was out: what it
        // read stays pending here and is claimed by whoever serves it next
        // (after setting its fence).
        if (s === undefined || !reading.includes(s) || !s.reading) continue;
        if (result.fence === 'taken') {
          // Read at an older epoch of ours while the fence moved to the new one: not lost.
          if (asked[i]?.epoch === s.epoch) this.fencedOut(s);
          continue;
        }
        if (result.fence === 'missing') {
          took = true;
          await this.refence(s);
          continue;
        }
        const last = result.entries.at(-1);
        if (last === undefined) {
          // The wait saw an entry the read could not take (one the group had
          // delivered already): wait past it, or the wait would not block.
          const seen = woken.get(s.partition);
          if (seen !== undefined && compareIds(seen, s.lastId) > 0) s.lastId = seen;
          continue;
        }
        took = true;
        s.lastId = last.id;
        s.queue.push(...result.entries);
        this.pump(s);
      }
      if (took) {
        this.readSucceeded();
        continue;
      }
      // Nothing new: wait for an entry after the last one taken (one appended
      // since the read is after it too, so the wait returns at once).
      const waiting = reading.filter((s) => s.reading);
      try {
        const found = await this.log.waitForEntries(
          waiting.map((s) => ({ partition: s.partition, afterId: s.lastId })),
          this.blockMs,
        );
        this.woken = new Map(found.map((f) => [f.partition, f.id]));
      } catch (error) {
        await this.readFailed(error, waiting);
        continue;
      }
      this.readSucceeded();
    }
  }

  private readSucceeded(): void {
    if (!this.readHealthy) this.logger?.info({}, 'reading the partition streams again');
    this.readHealthy = true;
    this.readBackoff.reset();
  }

  /** The partition's fence is gone (Redis lost its data): set it again at the epoch held, or drop the partition. */
  private async refence(s: Served): Promise<void> {
    this.logger?.warn(
      { partition: s.partition, epoch: s.epoch },
      'the partition stream fence is missing; setting it again',
    );
    const epoch = s.epoch;
    let fenced: boolean;
    try {
      fenced = await this.log.fence(s.partition, this.consumer, epoch);
    } catch (error) {
      await this.readFailed(error, [s]);
      return;
    }
    if (!fenced && s.active && s.epoch === epoch) this.fencedOut(s);
  }

  private async readFailed(error: unknown, reading: Served[]): Promise<void> {
    this.readFailures.inc();
    if (this.readHealthy) this.logger?.warn({ err: error }, 'reading the partition streams failed; retrying');
    this.readHealthy = false;
    await this.pause(this.readBackoff.next());
    // A stream deleted under us (its group with it) comes back on the next read.
    if (error instanceof Error && error.message.includes('NOGROUP')) {
      await Promise.all(reading.map((s) => this.log.ensureGroup(s.partition))).catch(() => undefined);
    }
  }

  /** Waits `ms`, or less when the served set changes or the consumer closes. */
  private pause(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      let timer: TimerHandle | null = null;
      const done = (): void => {
        if (timer !== null) this.clock.clearTimer(timer);
        if (this.wake === done) this.wake = null;
        resolve();
      };
      timer = this.clock.setTimer(done, ms);
      this.wake = done;
    });
  }

  /** Hands over the partition's waiting entries in order until the runtime is busy. */
  private pump(s: Served): void {
    while (s.active && s.busyTimer === null && s.queue.length > 0) {
      const entry = s.queue[0] as StreamEntry;
      if (entry.update === undefined) {
        s.queue.shift();
        this.malformed.inc();
        this.logger?.warn(
          { partition: s.partition, chatId: entry.chatId, updateId: entry.updateId, entryId: entry.id },
          'a stream entry does not decode; acknowledging it without processing',
        );
        this.settled(s, entry.id);
        continue;
      }
      let result: Promise<void> | 'busy';
      try {
        result = this.sink.deliver(s.partition, entry);
      } catch (error) {
        result = Promise.reject(error);
      }
      if (result === 'busy') {
        s.busyTimer = this.clock.setTimer(() => {
          s.busyTimer = null;
          this.pump(s);
        }, this.busyRetryMs);
        return;
      }
      s.queue.shift();
      s.delivered.set(entry.id, entry);
      result.then(
        () => this.delivered(s, entry, null),
        (error: unknown) => this.delivered(s, entry, error ?? new Error('delivery failed')),
      );
    }
  }

  private delivered(s: Served, entry: StreamEntry, error: unknown): void {
    if (!s.active || !s.delivered.delete(entry.id)) return;
    if (error === null) {
      s.retryBackoff.reset();
      this.settled(s, entry.id);
      return;
    }
    this.deliveryFailures.inc();
    this.logger?.warn(
      { err: error, partition: s.partition, chatId: entry.chatId, updateId: entry.updateId },
      'processing a stream entry failed; it stays pending and is handed over again',
    );
    if (!s.reading) {
      // Handing off: the next owner gets it.
      this.checkDrained(s);
      return;
    }
    s.failed.push(entry);
    if (s.retryTimer === null) {
      s.retryTimer = this.clock.setTimer(() => {
        s.retryTimer = null;
        const again = s.failed.splice(0).sort((a, b) => compareIds(a.id, b.id));
        s.queue.unshift(...again);
        this.pump(s);
      }, s.retryBackoff.next());
    }
  }

  private settled(s: Served, id: string): void {
    s.toAck.push(id);
    if (this.ackScheduled) return;
    this.ackScheduled = true;
    setImmediate(() => {
      this.ackScheduled = false;
      this.flushAcks();
    });
  }

  /** One acknowledgement per partition for everything settled since the last. */
  private flushAcks(): void {
    for (const s of this.served.values()) {
      if (!s.active || s.toAck.length === 0) continue;
      const ids = s.toAck.splice(0);
      s.acking += ids.length;
      this.log.ack(s.partition, this.consumer, s.epoch, ids).then(
        (count) => {
          s.acking -= ids.length;
          if (!this.ackHealthy) this.logger?.info({}, 'acknowledging stream entries again');
          this.ackHealthy = true;
          if (count < ids.length) {
            this.logger?.debug?.(
              { partition: s.partition, fenced: ids.length - count },
              'stream entries claimed by another member were not acknowledged',
            );
          }
          this.checkDrained(s);
          // A read loop waiting for room to read into goes on at once.
          this.wake?.();
        },
        (error: unknown) => {
          s.acking -= ids.length;
          this.ackFailures.inc();
          if (this.ackHealthy) this.logger?.warn({ err: error }, 'acknowledging stream entries failed; retrying');
          this.ackHealthy = false;
          if (!s.active) return;
          s.toAck.unshift(...ids);
          this.clock.setTimer(() => this.settledAgain(s), this.retryMinMs);
        },
      );
    }
  }

  private settledAgain(s: Served): void {
    if (!s.active || s.toAck.length === 0) return;
    const ids = s.toAck.splice(0);
    for (const id of ids) this.settled(s, id);
  }

  private checkDrained(s: Served): void {
    if (s.drained !== null && s.delivered.size === 0 && s.toAck.length === 0 && s.acking === 0) {
      const resolve = s.drained;
      s.drained = null;
      resolve();
    }
  }

  private async refreshLag(): Promise<void> {
    const partitions = this.partitions;
    if (partitions.length === 0) return;
    try {
      const lags = await this.log.lag(partitions);
      partitions.forEach((p, i) => {
        if (this.served.has(p)) this.lagGauge(p).set(lags[i] ?? 0);
      });
    } catch {
      // Redis is failing; the read loop reports it and the gauges keep their last values.
      this.readFailures.inc();
    }
  }

  private lagGauge(partition: number): Gauge {
    let gauge = this.lagGauges.get(partition);
    if (gauge === undefined) {
      gauge = this.metrics.gauge(
        'lekha_stream_lag',
        'Entries in the partition stream not yet acknowledged (0 when the partition is not served here)',
        undefined,
        { partition: String(partition) },
      );
      this.lagGauges.set(partition, gauge);
    }
    return gauge;
  }
}

function held(s: Served): number {
  return s.queue.length + s.delivered.size + s.failed.length + s.toAck.length + s.acking;
}

/** Orders stream ids (`<ms>-<seq>`) numerically. */
function compareIds(a: string, b: string): number {
  const [am = '0', as = '0'] = a.split('-');
  const [bm = '0', bs = '0'] = b.split('-');
  return Number(am) - Number(bm) || Number(as) - Number(bs);
}

function positive(option: string, value: number): number {
  if (!(value > 0)) throw new InvalidOptionError(option, `${option} must be positive, got ${value}`);
  return value;
}
