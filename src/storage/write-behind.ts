import { performance } from 'node:perf_hooks';
import {
  Backoff,
  type BackoffOptions,
  type Clock,
  InvalidOptionError,
  LekhaError,
  type Logger,
  MetricsRegistry,
  SystemClock,
  type TimerHandle,
} from '../runtime/index.js';
import { StorageUnavailableError } from './errors.js';
import { HotTier, NO_HOT_MARKS } from './hot-tier.js';
import { HotTierMetrics } from './hot-tier-metrics.js';
import type { SnapshotFormat } from './snapshot-format.js';
import type { DurableSnapshotStore, SnapshotRecord, SnapshotStore } from './snapshot-store.js';
import { WriteBehindMetrics } from './write-behind-metrics.js';

/** Where changed actor states come from: the supervisor's `takeDirty`. */
export interface DirtySource<K, S> {
  takeDirty(): Array<[K, S]>;
}

/** Something else whose writes `afterFlush` waits for (the append writer). */
export interface FlushAwaitable {
  afterFlush(): Promise<void>;
}

export interface WriteBehindOptions<K, S> {
  format: SnapshotFormat<S>;
  /** Postgres: what "durable" means. */
  durable: DurableSnapshotStore;
  /** Redis, when configured: read first, written before Postgres. */
  hot?: SnapshotStore;
  /** Stored key of an actor key; default `String(key)`. */
  keyOf?: (key: K) => string;
  /** Period of the flush: the most state changes a hard crash can lose. */
  intervalMs: number;
  /** Backoff between failed flush attempts. */
  retry?: BackoffOptions;
  /** Most snapshot bytes in one write call. */
  maxBatchBytes?: number;
  /** Writes that `afterFlush` also waits for. */
  alsoAwait?: FlushAwaitable;
  clock?: Clock;
  metrics?: MetricsRegistry;
  logger?: Logger;
}

export interface WriteBehindStats {
  /** Snapshots taken but not yet durable. */
  pending: number;
  /** How long the oldest pending snapshot has waited. */
  flushLagMs: number;
  written: number;
  writeFailures: number;
  /** Keys whose Redis copy is known to be older than Postgres (Redis is skipped for them). */
  hotStale: number;
}

export interface WriteBehindCloseReport {
  /** Snapshots that could not be made durable before the deadline: lost when the process exits. */
  unwritten: number;
}

/** A snapshot taken and waiting to be written. `state` is dropped once it is encoded. */
interface Staged<S> {
  readonly key: string;
  readonly seq: number;
  readonly version: number;
  /** When this key last went from durable to pending; kept across newer snapshots of it. */
  readonly pendingSinceMs: number;
  state: S | undefined;
  bytes: Uint8Array | null;
}

interface Waiter {
  seq: number;
  resolve(): void;
  reject(error: unknown): void;
}

// Encoding runs in slices this long so turns keep running during a big flush.
const ENCODE_SLICE_MS = 4;

/**
 * Write-behind persistence of actor snapshots.
 *
 * Every `intervalMs` it takes the state of every actor that changed
 * (`takeDirty`), gives each a sequence number, encodes it once and writes
 * the batch: to Redis (one script call per batch) and then to Postgres (one
 * multi-row upsert per batch). A snapshot stays pending — and `load` keeps
 * answering from it — until Postgres has it; failed writes are retried with
 * backoff while turns go on. Stores refuse any write older than what they
 * hold, so retries, overlaps and restarts can never move a key backwards.
 *
 * Sequence numbers are `max(last + 1, now × 1000)` and never below any
 * sequence this process has loaded, so they keep growing across restarts.
 *
 * An actor's `snapshot()` may return its live state instead of a copy:
 * encoding always happens between turns, and a change made after the state
 * was taken marks the actor dirty again for the next cycle.
 *
 * When Redis is down, Postgres still takes every write and records, in the
 * same transaction, that those keys' Redis copies are stale; reads skip
 * Redis for them until a newer copy reaches it (see `HotTier`).
 */
export class WriteBehind<K, S> {
  private readonly format: SnapshotFormat<S>;
  private readonly durable: DurableSnapshotStore;
  private readonly hot: HotTier<S> | undefined;
  private readonly keyOf: (key: K) => string;
  private readonly intervalMs: number;
  private readonly maxBatchBytes: number;
  private readonly alsoAwait: FlushAwaitable | undefined;
  private readonly clock: Clock;
  private readonly logger: Logger | undefined;
  private readonly backoff: Backoff;

  private readonly pending = new Map<string, Staged<S>>();
  private readonly waiters = new Map<string, Waiter[]>();
  private lastSeq = 0;
  private source: DirtySource<K, S> | null = null;
  private timer: TimerHandle | null = null;
  private retryTimer: TimerHandle | null = null;
  private draining = false;
  private drainAgain = false;
  private closing = false;
  private closed = false;
  private nextCycleWaiters: Array<{ key: string; waiter: Omit<Waiter, 'seq'> }> = [];
  private flushWaiters: Array<{ seq: number; resolve(): void }> = [];

  private readonly meters: WriteBehindMetrics;

  private constructor(options: WriteBehindOptions<K, S>, staleKeys: readonly string[]) {
    if (!(options.intervalMs > 0))
      throw new InvalidOptionError('intervalMs', `intervalMs must be positive, got ${options.intervalMs}`);
    this.format = options.format;
    this.durable = options.durable;
    this.keyOf = options.keyOf ?? String;
    this.intervalMs = options.intervalMs;
    this.maxBatchBytes = options.maxBatchBytes ?? 16 * 1024 * 1024;
    this.alsoAwait = options.alsoAwait;
    this.clock = options.clock ?? new SystemClock();
    this.logger = options.logger;
    this.backoff = new Backoff(options.retry);

    const m = options.metrics ?? new MetricsRegistry();
    this.meters = new WriteBehindMetrics(m, { pending: () => this.pending.size, flushLagMs: () => this.flushLagMs() });
    const hotMetrics = new HotTierMetrics(m, { staleKeys: () => this.hot?.staleCount ?? 0 });
    this.hot =
      options.hot === undefined
        ? undefined
        : new HotTier({
            store: options.hot,
            durable: options.durable,
            format: options.format,
            staleKeys,
            metrics: hotMetrics,
            ...(options.logger === undefined ? {} : { logger: options.logger }),
          });
  }

  /** Builds a write-behind; reads which keys' Redis copies are stale first, so no read can trust one. */
  static async create<K, S>(options: WriteBehindOptions<K, S>): Promise<WriteBehind<K, S>> {
    const stale = options.hot === undefined ? [] : await options.durable.staleHotKeys();
    return new WriteBehind(options, stale);
  }

  /** Starts the periodic flush, taking changed states from `source`. */
  start(source: DirtySource<K, S>): void {
    if (this.closing) throw new LekhaError('STORAGE_CLOSED', 'write-behind is closed');
    this.source = source;
    this.arm();
  }

  /**
   * The supervisor's `load` hook: the newest state of `key` — a pending
   * snapshot first, then Redis, then Postgres; `undefined` for a new key.
   * Throws non-retryable `SnapshotVersionUnknownError`/`SnapshotCorruptError`
   * for snapshots it must not replace, `StorageUnavailableError` when
   * Postgres cannot be read.
   */
  async load(key: K): Promise<S | undefined> {
    const k = this.keyOf(key);
    const staged = this.pending.get(k);
    if (staged !== undefined) return this.fromStaged(staged);

    const hotCopy = this.hot === undefined ? undefined : await this.hot.read(k);
    if (hotCopy !== undefined) {
      // A snapshot staged while we were reading is newer than anything stored.
      const stagedMeanwhile = this.pending.get(k);
      if (stagedMeanwhile !== undefined) return this.fromStaged(stagedMeanwhile);
      if ('state' in hotCopy) {
        this.meters.loads.hot.inc();
        this.lastSeq = Math.max(this.lastSeq, hotCopy.record.seq);
        return hotCopy.state;
      }
    }

    let record: SnapshotRecord | undefined;
    try {
      record = await this.durable.read(k);
    } catch (error) {
      throw new StorageUnavailableError(`cannot read the snapshot of ${k} from Postgres`, error);
    }
    const stagedMeanwhile = this.pending.get(k);
    if (stagedMeanwhile !== undefined) return this.fromStaged(stagedMeanwhile);
    // Never replace an undecodable Redis copy with nothing or an older durable one: that would silently lose state.
    if (hotCopy !== undefined && 'error' in hotCopy && (record === undefined || record.seq < hotCopy.record.seq))
      throw hotCopy.error;
    if (record === undefined) {
      this.meters.loads.empty.inc();
      return undefined;
    }
    // Throws (and so quarantines the key) before anything is copied: a snapshot goes to Redis only once it decodes.
    const state = this.format.decode(k, record.version, record.bytes);
    this.meters.loads.durable.inc();
    this.lastSeq = Math.max(this.lastSeq, record.seq);
    this.hot?.refresh(record, hotCopy !== undefined);
    return state;
  }

  /**
   * The supervisor's `persist` hook (passivation, shutdown): stages the
   * state for the next flush. `load` answers from it at once; `close`
   * writes it before the process exits. Throws if the state cannot be
   * encoded, so the supervisor keeps the actor.
   */
  persist(key: K, state: S): void {
    if (this.closing) throw new LekhaError('STORAGE_CLOSED', 'write-behind is closed; the state was not taken');
    const entry = this.stage(this.keyOf(key), state);
    entry.bytes = this.format.encode(state);
    entry.state = undefined;
  }

  /**
   * Resolves once every change made to `key`'s actor before this call is
   * durable in Postgres (and, with `alsoAwait`, every row appended before
   * it). Takes effect at the next flush; waits through retries while
   * Postgres is down. Rejects if the state could not be encoded.
   */
  afterFlush(key: K): Promise<void> {
    const own = new Promise<void>((resolve, reject) => {
      this.nextCycleWaiters.push({ key: this.keyOf(key), waiter: { resolve, reject } });
    });
    if (this.closing) void this.runCycle();
    return this.alsoAwait === undefined ? own : Promise.all([own, this.alsoAwait.afterFlush()]).then(() => undefined);
  }

  /** Takes changed states now and resolves once everything pending is durable. */
  async flush(): Promise<void> {
    await this.runCycle();
    const target = this.lastSeq;
    if (!this.hasPendingUpTo(target)) return;
    await new Promise<void>((resolve) => this.flushWaiters.push({ seq: target, resolve }));
  }

  /**
   * Stops the periodic flush and writes everything pending, retrying until
   * `deadlineMs`. Call after the supervisor's shutdown, which hands over the
   * state of every dirty actor.
   */
  async close(options: { deadlineMs?: number } = {}): Promise<WriteBehindCloseReport> {
    this.closing = true;
    if (this.timer !== null) this.clock.clearTimer(this.timer);
    this.timer = null;
    if (this.retryTimer !== null) {
      this.clock.clearTimer(this.retryTimer);
      this.retryTimer = null;
      this.backoff.reset();
    }
    const deadlineMs = options.deadlineMs ?? 10_000;
    let deadline: TimerHandle | null = null;
    const timedOut = new Promise<void>((resolve) => {
      deadline = this.clock.setTimer(resolve, deadlineMs);
    });
    await Promise.race([this.flush(), timedOut]);
    if (deadline !== null) this.clock.clearTimer(deadline);
    this.closed = true;
    if (this.retryTimer !== null) this.clock.clearTimer(this.retryTimer);
    this.retryTimer = null;
    const unwritten = this.pending.size;
    if (unwritten > 0) {
      this.logger?.error(
        { unwritten, deadlineMs },
        'snapshots could not be written before the deadline; their latest changes are lost',
      );
    }
    return { unwritten };
  }

  stats(): WriteBehindStats {
    return {
      pending: this.pending.size,
      flushLagMs: this.flushLagMs(),
      written: this.meters.written.value,
      writeFailures: this.meters.writeFailures.value,
      hotStale: this.hot?.staleCount ?? 0,
    };
  }

  // ---- taking snapshots ----

  private arm(): void {
    if (this.closing || this.timer !== null) return;
    this.timer = this.clock.setTimer(() => {
      this.timer = null;
      this.runCycle()
        .catch((error: unknown) => this.logger?.error({ err: error }, 'snapshot flush cycle failed'))
        .finally(() => this.arm());
    }, this.intervalMs);
  }

  /** One flush cycle: take changed states, stage them, answer `afterFlush` callers, encode, write. */
  private async runCycle(): Promise<void> {
    const waiting = this.nextCycleWaiters;
    this.nextCycleWaiters = [];
    let taken: Array<[K, S]> = [];
    try {
      taken = this.source?.takeDirty() ?? [];
    } catch (error) {
      this.logger?.error({ err: error }, 'taking changed actor states failed');
    }
    const staged = taken.map(([key, state]) => this.stage(this.keyOf(key), state));
    for (const { key, waiter } of waiting) this.waitForDurable(key, waiter);
    let sliceStart = performance.now();
    for (const entry of staged) {
      this.encode(entry);
      if (performance.now() - sliceStart >= ENCODE_SLICE_MS) {
        await new Promise<void>((resolve) => setImmediate(resolve));
        sliceStart = performance.now();
      }
    }
    this.kick();
  }

  private stage(key: string, state: S): Staged<S> {
    const previous = this.pending.get(key);
    this.lastSeq = Math.max(this.lastSeq + 1, this.clock.now() * 1000);
    const entry: Staged<S> = {
      key,
      seq: this.lastSeq,
      version: this.format.version,
      pendingSinceMs: previous?.pendingSinceMs ?? this.clock.now(),
      state,
      bytes: null,
    };
    this.pending.set(key, entry);
    return entry;
  }

  private encode(entry: Staged<S>): void {
    if (entry.bytes !== null) return;
    const state = entry.state as S;
    entry.state = undefined;
    if (this.pending.get(entry.key) !== entry) return; // superseded before it was written; the newer one counts
    try {
      entry.bytes = this.format.encode(state);
    } catch (error) {
      this.meters.encodeFailures.inc();
      this.pending.delete(entry.key);
      this.logger?.error({ err: error, key: entry.key }, 'actor state cannot be encoded; this snapshot is dropped');
      this.settleWaiters(entry.key, Number.POSITIVE_INFINITY, error);
      this.settleFlushWaiters();
    }
  }

  private fromStaged(entry: Staged<S>): S {
    this.encode(entry);
    this.meters.loads.pending.inc();
    return this.format.decode(entry.key, entry.version, entry.bytes as Uint8Array);
  }

  // ---- writing ----

  private kick(): void {
    if (this.retryTimer !== null) return; // the scheduled retry picks everything up
    if (this.draining) {
      this.drainAgain = true;
      return;
    }
    this.draining = true;
    void this.drain().finally(() => {
      this.draining = false;
    });
  }

  private async drain(): Promise<void> {
    for (;;) {
      this.drainAgain = false;
      const ready: Staged<S>[] = [];
      for (const entry of this.pending.values()) if (entry.bytes !== null) ready.push(entry);
      if (ready.length === 0) return;
      const started = performance.now();
      const error = await this.writeAll(ready);
      this.meters.flushDuration.recordMs(performance.now() - started);
      this.settleFlushWaiters();
      if (error !== undefined) {
        this.scheduleRetry(error);
        return;
      }
      this.backoff.reset();
    }
  }

  /** Writes entries in batches, several at once; returns the first error, if any. */
  private async writeAll(entries: Staged<S>[]): Promise<unknown> {
    const batches = this.batches(entries);
    let next = 0;
    let failure: { error: unknown } | undefined;
    const worker = async (): Promise<void> => {
      while (failure === undefined && next < batches.length) {
        const batch = batches[next++] as Staged<S>[];
        try {
          await this.writeBatch(batch);
        } catch (error) {
          failure ??= { error };
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.durable.parallelism, batches.length) }, worker));
    return failure?.error;
  }

  private batches(entries: Staged<S>[]): Staged<S>[][] {
    const limit = this.durable.batchSize;
    const out: Staged<S>[][] = [];
    let current: Staged<S>[] = [];
    let bytes = 0;
    for (const entry of entries) {
      const size = (entry.bytes as Uint8Array).length;
      if (current.length > 0 && (current.length >= limit || bytes + size > this.maxBatchBytes)) {
        out.push(current);
        current = [];
        bytes = 0;
      }
      current.push(entry);
      bytes += size;
    }
    if (current.length > 0) out.push(current);
    return out;
  }

  private async writeBatch(batch: Staged<S>[]): Promise<void> {
    const records: SnapshotRecord[] = batch.map((e) => ({
      key: e.key,
      version: e.version,
      seq: e.seq,
      bytes: e.bytes as Uint8Array,
    }));
    const marks = this.hot === undefined ? NO_HOT_MARKS : await this.hot.write(records);
    try {
      await this.durable.writeTracked(records, marks.stale, marks.fresh);
    } catch (error) {
      this.meters.writeFailures.inc();
      throw error;
    }
    this.hot?.applyMarks(marks);
    this.meters.written.inc(records.length);
    for (const entry of batch) {
      if (this.pending.get(entry.key) === entry) this.pending.delete(entry.key);
      this.settleWaiters(entry.key, entry.seq);
    }
  }

  private scheduleRetry(error: unknown): void {
    if (this.closed) return;
    const delayMs = this.closing ? this.backoff.minMs : this.backoff.next();
    this.logger?.error(
      { err: error, pending: this.pending.size, attempt: this.backoff.attempts, retryInMs: Math.round(delayMs) },
      'writing snapshots to Postgres failed; they stay pending and are retried',
    );
    this.retryTimer = this.clock.setTimer(() => {
      this.retryTimer = null;
      this.kick();
    }, delayMs);
  }

  // ---- waiting for durability ----

  private waitForDurable(key: string, waiter: Omit<Waiter, 'seq'>): void {
    const entry = this.pending.get(key);
    if (entry === undefined) {
      waiter.resolve();
      return;
    }
    const list = this.waiters.get(key);
    const full: Waiter = { seq: entry.seq, resolve: waiter.resolve, reject: waiter.reject };
    if (list === undefined) this.waiters.set(key, [full]);
    else list.push(full);
  }

  private hasPendingUpTo(seq: number): boolean {
    for (const entry of this.pending.values()) if (entry.seq <= seq) return true;
    return false;
  }

  /** Resolves `flush` callers whose snapshots are all durable (or dropped as unencodable). */
  private settleFlushWaiters(): void {
    if (this.flushWaiters.length === 0) return;
    this.flushWaiters = this.flushWaiters.filter((waiter) => {
      if (this.hasPendingUpTo(waiter.seq)) return true;
      waiter.resolve();
      return false;
    });
  }

  /** Settles the waiters of `key` up to `seq`: resolved, or rejected with `error`. */
  private settleWaiters(key: string, seq: number, error?: unknown): void {
    const list = this.waiters.get(key);
    if (list === undefined) return;
    const left = list.filter((w) => w.seq > seq);
    for (const w of list) {
      if (w.seq > seq) continue;
      if (error === undefined) w.resolve();
      else w.reject(error);
    }
    if (left.length === 0) this.waiters.delete(key);
    else this.waiters.set(key, left);
  }

  private flushLagMs(): number {
    const oldest = this.pending.values().next();
    return oldest.done === true ? 0 : this.clock.now() - oldest.value.pendingSinceMs;
  }
}
