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
  TimeSlice,
} from '../runtime/index.js';
import { StorageUnavailableError, WriteFencedError } from './errors.js';
import { HotTier, NO_HOT_MARKS } from './hot-tier.js';
import { HotTierMetrics } from './hot-tier-metrics.js';
import type { SnapshotFormat } from './snapshot-format.js';
import type {
  DurableSnapshotStore,
  FencedKeys,
  SnapshotFence,
  SnapshotRecord,
  SnapshotStore,
} from './snapshot-store.js';
import { WriteBehindMetrics } from './write-behind-metrics.js';

/** Where changed actor states come from: the supervisor's `lendDirty`. */
export interface DirtySource<K, S> {
  /** How many are listed as changed: the most one flush cycle takes. */
  readonly dirtyCount: number;
  /** Hands each changed state to `take`, lent: read at once, kept by no one; stops when `take` returns false. */
  lendDirty(take: (key: K, state: S) => boolean): void;
}

/**
 * The fence of an actor key as this member holds it now: its partition and
 * the lease epoch; `null` when this member does not serve the key.
 */
export type FenceOf<K> = (key: K) => SnapshotFence | null;

/** Something else whose writes `afterFlush` waits for (the append writer). */
export interface FlushAwaitable {
  afterFlush(): Promise<void>;
}

export interface WriteBehindOptions<K, S> {
  format: SnapshotFormat<S>;
  /** Postgres: what "durable" means. */
  durable: DurableSnapshotStore;
  /** Redis, when configured: read first, written before Postgres. Not with `fence`. */
  hot?: SnapshotStore;
  /**
   * Cluster mode: the fence each snapshot is written under, asked when the
   * state is taken. Postgres refuses a snapshot whose partition has moved
   * on to another epoch; `null` means the key is not this member's to write.
   * Excludes `hot`: Redis is written first and cannot check a fence.
   */
  fence?: FenceOf<K>;
  /** Stored key of an actor key; default `String(key)`. */
  keyOf?: (key: K) => string;
  /**
   * Whether a state holds work that must go on without a new message (a
   * chat's reply in flight). Such snapshots are written marked, and
   * `unfinishedKeys` lists them for the next start. Default: none is.
   */
  unfinished?: (state: S) => boolean;
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
  /** Snapshots not written because this member does not hold their partition (at their epoch). */
  fenced: number;
}

export interface WriteBehindCloseReport {
  /** Snapshots that could not be made durable before the deadline: lost when the process exits. */
  unwritten: number;
}

/** A snapshot taken, encoded and waiting to be written. */
interface Staged {
  readonly key: string;
  readonly seq: number;
  readonly version: number;
  /** When this key last went from durable to pending; kept across newer snapshots of it. */
  readonly pendingSinceMs: number;
  /** The lease it is written under (cluster mode). */
  readonly fence: SnapshotFence | undefined;
  readonly unfinished: boolean;
  readonly bytes: Uint8Array;
}

interface Waiter {
  seq: number;
  resolve(): void;
  reject(error: unknown): void;
}

// Taking and encoding run in slices this long so turns keep running during a big flush.
const ENCODE_SLICE_MS = 4;

/**
 * Write-behind persistence of actor snapshots.
 *
 * Every `intervalMs` it takes the state of every actor that changed
 * (`lendDirty`), gives each a sequence number, encodes it once and writes
 * the batch: to Redis (one script call per batch) and then to Postgres (one
 * multi-row upsert per batch). A snapshot stays pending — and `load` keeps
 * answering from it — until Postgres has it; failed writes are retried with
 * backoff while turns go on. Stores refuse any write older than what they
 * hold, so retries, overlaps and restarts can never move a key backwards.
 *
 * Sequence numbers are `max(last + 1, now × 1000)` and never below any
 * sequence this process has loaded, so they keep growing across restarts.
 *
 * States are lent (`Actor.lend`), not copied: each is encoded as it is
 * taken, between turns, and a change made after it was taken marks the
 * actor dirty again for the next cycle.
 *
 * When Redis is down, Postgres still takes every write and records, in the
 * same transaction, that those keys' Redis copies are stale; reads skip
 * Redis for them until a newer copy reaches it (see `HotTier`).
 *
 * In cluster mode (`fence`) each snapshot carries the lease epoch of its
 * partition at the moment it was taken, and Postgres writes it only while
 * the lease still has that epoch. A refused snapshot is dropped, never
 * retried: another member serves the key and its state wins. `discard`
 * drops the pending snapshots of a partition whose lease was lost.
 */
export class WriteBehind<K, S> {
  private readonly format: SnapshotFormat<S>;
  private readonly durable: DurableSnapshotStore;
  private readonly hot: HotTier<S> | undefined;
  private readonly keyOf: (key: K) => string;
  private readonly unfinishedOf: ((state: S) => boolean) | undefined;
  private readonly fenceOf: FenceOf<K> | undefined;
  private readonly intervalMs: number;
  private readonly maxBatchBytes: number;
  private readonly alsoAwait: FlushAwaitable | undefined;
  private readonly clock: Clock;
  private readonly logger: Logger | undefined;
  private readonly backoff: Backoff;

  private readonly pending = new Map<string, Staged>();
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
    this.unfinishedOf = options.unfinished;
    if (options.fence !== undefined && options.hot !== undefined)
      throw new InvalidOptionError('hot', 'a fenced write-behind cannot use a hot tier: Redis writes cannot be fenced');
    this.fenceOf = options.fence;
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
    const k = this.keyOf(key);
    const fence = this.fenceFor(key);
    if (fence === null) {
      this.meters.fenced.inc();
      throw new WriteFencedError(k, 'this member does not serve its partition');
    }
    this.stage(k, this.format.encode(state), fence, this.unfinishedOf?.(state) === true);
  }

  /**
   * Stored keys starting with `prefix` whose durable snapshot holds
   * unfinished work (see the `unfinished` option): what a start, or a
   * cluster member taking a partition over, wakes. Pending snapshots are
   * not looked at: right after a start, or for a partition just taken,
   * there are none.
   */
  unfinishedKeys(prefix: string): Promise<string[]> {
    return this.durable.unfinishedKeys(prefix);
  }

  /**
   * Drops the pending snapshots whose stored key matches, unwritten: the
   * lease of their partition was lost, and a later owner (this member
   * again, maybe) must load what Postgres holds, not these copies. Their
   * `afterFlush` callers are rejected with `WriteFencedError`. A write
   * already under way may still land (fenced, so only at its own epoch).
   * Returns how many were dropped.
   */
  discard(predicate: (key: string) => boolean): number {
    let dropped = 0;
    for (const key of this.pending.keys()) {
      if (!predicate(key)) continue;
      this.pending.delete(key);
      dropped++;
    }
    // Waiters are only ever registered for pending keys, so this settles every one of the dropped snapshots.
    for (const key of this.waiters.keys()) {
      if (predicate(key))
        this.settleWaiters(key, Number.POSITIVE_INFINITY, new WriteFencedError(key, 'its partition lease was lost'));
    }
    if (this.nextCycleWaiters.length > 0) {
      this.nextCycleWaiters = this.nextCycleWaiters.filter(({ key, waiter }) => {
        if (!predicate(key)) return true;
        waiter.reject(new WriteFencedError(key, 'its partition lease was lost'));
        return false;
      });
    }
    if (dropped > 0) this.settleFlushWaiters();
    return dropped;
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
      fenced: this.meters.fenced.value,
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

  /**
   * One flush cycle: take changed states, stage and encode each as it is
   * taken, answer `afterFlush` callers, write. The states are lent by their
   * actors, not copied (a copy cost twice the encoding), so each is encoded
   * before anything else runs; the cycle takes them in slices of
   * ENCODE_SLICE_MS so turns keep running during a big flush, and takes no
   * more than were listed when it began, so a busy process cannot keep it
   * from writing.
   */
  private async runCycle(): Promise<void> {
    const waiting = new Map<string, Array<Omit<Waiter, 'seq'>>>();
    for (const { key, waiter } of this.nextCycleWaiters) {
      const list = waiting.get(key);
      if (list === undefined) waiting.set(key, [waiter]);
      else list.push(waiter);
    }
    this.nextCycleWaiters = [];
    let notOurs = 0;
    let budget = this.source?.dirtyCount ?? 0;
    const slice = new TimeSlice(ENCODE_SLICE_MS);
    let sliceFull = false;
    const take = (key: K, state: S): boolean => {
      budget--;
      const k = this.keyOf(key);
      const waiters = waiting.get(k);
      waiting.delete(k);
      const fence = this.fenceFor(key);
      if (fence === null) {
        notOurs++;
        for (const waiter of waiters ?? [])
          waiter.reject(new WriteFencedError(k, 'this member does not serve its partition'));
      } else {
        let bytes: Uint8Array | undefined;
        let unfinished = false;
        try {
          bytes = this.format.encode(state);
          unfinished = this.unfinishedOf?.(state) === true;
        } catch (error) {
          this.dropUnencodable(k, error, waiters ?? []);
        }
        if (bytes !== undefined) {
          this.stage(k, bytes, fence, unfinished);
          for (const waiter of waiters ?? []) this.waitForDurable(k, waiter);
        }
      }
      sliceFull = budget > 0 && slice.spent();
      return budget > 0 && !sliceFull;
    };
    for (;;) {
      sliceFull = false;
      try {
        this.source?.lendDirty(take);
      } catch (error) {
        this.logger?.error({ err: error }, 'taking changed actor states failed');
        break;
      }
      if (!sliceFull) break;
      await slice.next();
    }
    if (notOurs > 0) {
      this.meters.fenced.inc(notOurs);
      this.logger?.warn(
        { snapshots: notOurs },
        'changed states of chats this member no longer serves were not written',
      );
    }
    for (const [key, waiters] of waiting) for (const waiter of waiters) this.waitForDurable(key, waiter);
    this.kick();
  }

  /** The fence of `key` now: `undefined` outside cluster mode, `null` when it is not this member's. */
  private fenceFor(key: K): SnapshotFence | null | undefined {
    return this.fenceOf === undefined ? undefined : this.fenceOf(key);
  }

  private stage(key: string, bytes: Uint8Array, fence: SnapshotFence | undefined, unfinished: boolean): void {
    const previous = this.pending.get(key);
    this.lastSeq = Math.max(this.lastSeq + 1, this.clock.now() * 1000);
    this.pending.set(key, {
      key,
      seq: this.lastSeq,
      version: this.format.version,
      pendingSinceMs: previous?.pendingSinceMs ?? this.clock.now(),
      fence,
      unfinished,
      bytes,
    });
  }

  /**
   * A changed state that cannot be encoded is dropped, and the key's pending
   * snapshot with it (it would have been superseded); everyone waiting on
   * the key (`waiters`, just taken, among them) learns why.
   */
  private dropUnencodable(key: string, error: unknown, waiters: ReadonlyArray<Omit<Waiter, 'seq'>>): void {
    this.meters.encodeFailures.inc();
    this.pending.delete(key);
    this.logger?.error({ err: error, key }, 'actor state cannot be encoded; this snapshot is dropped');
    this.settleWaiters(key, Number.POSITIVE_INFINITY, error);
    for (const waiter of waiters) waiter.reject(error);
    this.settleFlushWaiters();
  }

  private fromStaged(entry: Staged): S {
    this.meters.loads.pending.inc();
    return this.format.decode(entry.key, entry.version, entry.bytes);
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
      const ready = [...this.pending.values()];
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
  private async writeAll(entries: Staged[]): Promise<unknown> {
    const batches = this.batches(entries);
    let next = 0;
    let failure: { error: unknown } | undefined;
    const worker = async (): Promise<void> => {
      while (failure === undefined && next < batches.length) {
        const batch = batches[next++] as Staged[];
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

  private batches(entries: Staged[]): Staged[][] {
    const limit = this.durable.batchSize;
    const out: Staged[][] = [];
    let current: Staged[] = [];
    let bytes = 0;
    for (const entry of entries) {
      const size = entry.bytes.length;
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

  private async writeBatch(batch: Staged[]): Promise<void> {
    const records: SnapshotRecord[] = batch.map((e) => {
      const record = { key: e.key, version: e.version, seq: e.seq, bytes: e.bytes, unfinished: e.unfinished };
      return e.fence === undefined ? record : { ...record, fence: e.fence };
    });
    const marks = this.hot === undefined ? NO_HOT_MARKS : await this.hot.write(records);
    let refused: FencedKeys;
    try {
      refused = await this.durable.writeTracked(records, marks.stale, marks.fresh);
    } catch (error) {
      this.meters.writeFailures.inc();
      throw error;
    }
    this.hot?.applyMarks(marks);
    this.meters.written.inc(records.length - refused.length);
    const fenced = refused.length === 0 ? null : new Set(refused);
    for (const entry of batch) {
      if (this.pending.get(entry.key) === entry) this.pending.delete(entry.key);
      if (fenced?.has(entry.key) === true) this.refused(entry);
      else this.settleWaiters(entry.key, entry.seq);
    }
  }

  /** Postgres refused `entry`: its partition's lease has another epoch now. Dropped, never retried. */
  private refused(entry: Staged): void {
    this.meters.fenced.inc();
    this.logger?.warn(
      { key: entry.key, partition: entry.fence?.partition, epoch: entry.fence?.epoch },
      'snapshot refused: its partition lease has moved on to another epoch; another member serves the chat',
    );
    this.settleWaiters(
      entry.key,
      entry.seq,
      new WriteFencedError(
        entry.key,
        `the lease of partition ${entry.fence?.partition} is no longer at epoch ${entry.fence?.epoch}`,
      ),
    );
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
