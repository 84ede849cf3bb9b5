import {
  Actor,
  ActorQuarantinedError,
  AskTimeoutError,
  Cell,
  type CellHost,
  CellStatus,
  type Clock,
  Dispatcher,
  type DispatcherOptions,
  type HistogramSummary,
  InvalidOptionError,
  LekhaError,
  type Logger,
  MailboxFullError,
  type Message,
  MetricsRegistry,
  NotOwnedError,
  type OverflowPolicy,
  type Reply,
  ShuttingDownError,
  SystemClock,
  type TimerHandle,
  TimeSlice,
} from '../runtime/index.js';
import { CellTable } from './cell-table.js';
import { LruList } from './lru-list.js';
import { type RestartOptions, RestartPolicy } from './restart-policy.js';
import { SupervisorMetrics } from './supervisor-metrics.js';

export interface SupervisorOptions<K, M extends Message, S> {
  /** Builds the actor for `key` from its loaded state (`undefined`: a new key). */
  create(key: K, state: S | undefined): Actor<M, S>;
  /**
   * Brings back the last persisted state of `key` on activation and restart.
   * May answer synchronously. A `LekhaError` with `retryable: false` (corrupt
   * or unknown snapshot) quarantines the key at once: its state is never reset.
   */
  load?(key: K): S | undefined | Promise<S | undefined>;
  /**
   * Makes `state` durable; called when a dirty actor is passivated, shut
   * down or handed off. The state is the stopped actor's own (`Actor.lend`):
   * read or copy it before the returned promise settles and keep nothing of
   * it, since a passivated actor that got messages meanwhile goes on from it.
   */
  persist?(key: K, state: S): void | Promise<void>;
  /** Overflow policy per message; default `reject` for every message. */
  overflowPolicy?(msg: M): OverflowPolicy;
  /**
   * A message lost for good: the one whose turn kept failing when its key
   * was quarantined. Not called with `onQuarantine`, which is handed it.
   */
  onDeadLetter?(key: K, msg: M, error: unknown): void;
  /**
   * Takes the messages a key holds at the moment it is quarantined, oldest
   * first (the one whose turn kept failing among them), so that what sent
   * them can keep them elsewhere and go on: a quarantined key may hold them
   * for a long time. Without it they stay in the mailbox for the next
   * incarnation.
   */
  onQuarantine?(key: K, retained: M[], quarantine: { reason: string; untilMs: number }): void;
  /**
   * Cluster mode: whether this member serves `key` now. `tell` and `ask` to
   * a key it does not admit throw `NotOwnedError` (code `CHAT_NOT_OWNED`),
   * whether its actor is in memory or not; outcomes of side effects and
   * timers an actor started still reach it. Absent: every key is served.
   */
  admit?(key: K): boolean;
  mailboxCapacity?: number;
  /** An actor with nothing to do for this long is persisted and dropped. `0` disables. */
  idleMs?: number;
  /** Most actors in memory; the least recently used idle one is passivated to make room. */
  maxLive?: number;
  askTimeoutMs?: number;
  restart?: RestartOptions;
  dispatcher?: DispatcherOptions;
  clock?: Clock;
  metrics?: MetricsRegistry;
  logger?: Logger;
}

export interface QuarantinedKey<K> {
  key: K;
  reason: string;
  untilMs: number;
}

export interface SupervisorStats<K> {
  /** Actors in memory and ready to run. */
  live: number;
  /** Keys whose state is being loaded. */
  loading: number;
  /** Keys whose actor was persisted and dropped, and not re-activated since. */
  passivated: number;
  /** Keys this supervisor knows: in memory, loading, quarantined or passivated. */
  total: number;
  mailboxDepthMax: number;
  mailboxDepthSum: number;
  turns: number;
  turnsPerS: number;
  turnLatencyMs: HistogramSummary;
  restarts: number;
  quarantined: QuarantinedKey<K>[];
  overflowRejected: number;
  overflowDropped: number;
  overflowsByType: Record<string, number>;
  deadLetters: number;
  activations: number;
  passivations: number;
  persistFailures: number;
  inflightEffects: number;
}

/** What a hand-off of some keys did (see `Supervisor.handOff`). */
export interface HandOffReport {
  /** Dirty actors whose state was persisted. */
  persisted: number;
  /** Messages still queued when the actors were removed (deadline hit, quarantined keys). */
  undelivered: number;
  persistFailures: number;
}

export interface ShutdownReport {
  /** Every mailbox was empty and every side effect settled before the deadline. */
  drained: boolean;
  /** Messages still queued when the runtime stopped (quarantined keys, deadline hit). */
  undelivered: number;
  persisted: number;
  persistFailures: number;
}

interface Quarantine {
  reason: string;
  untilMs: number;
  timer: TimerHandle;
}

const rejectAll = (): OverflowPolicy => 'reject';

/** The idle sweep and the persists of a shutdown or hand-off yield to the event loop after a slice this long… */
const SLICE_MS = 4;
/** …and no sooner than after this many actors, so that a small one always ends in one go. */
const SLICE_MIN_ACTORS = 16;

/** About six days: stamps stay well inside V8's small integers (2^30 with pointer compression, 2^31 without). */
const activityRebaseMs = 2 ** 29;

/**
 * Owns the actors of one kind, one per key: spawns them on first use,
 * routes messages to them, restarts them when a turn fails, passivates idle
 * ones and shuts them all down without losing what they hold.
 */
export class Supervisor<K, M extends Message, S = unknown> implements CellHost<M> {
  readonly clock: Clock;
  readonly metrics: MetricsRegistry;

  private readonly cells = new CellTable<K, Cell<M>>();
  private readonly passivatedKeys = new Set<K>();
  private readonly lru = new LruList<M>();
  private readonly dispatcher: Dispatcher<M>;
  private readonly policy: RestartPolicy;
  private readonly restartTimers = new Map<Cell<M>, TimerHandle>();
  private readonly quarantines = new Map<Cell<M>, Quarantine>();
  private readonly transitions = new Set<Promise<unknown>>();
  private dirtyCells: Cell<M>[] = [];
  private loadingCount = 0;
  private inflightTotal = 0;
  private sweepTimer: TimerHandle | null = null;
  private stopping = false;
  private shutdownResult: Promise<ShutdownReport> | null = null;
  /** Run whenever the supervisor may have become (partly) quiet: by shutdown and hand-offs waiting for it. */
  private readonly quiescenceChecks = new Set<() => void>();
  private rate: { turns: number; atMs: number; perS: number };
  /**
   * The clock, read once per dispatcher slice and stamped on every cell that
   * runs in it: at most one slice stale, where a read per activation was a
   * measurable share of routing time. On the activity scale (see `activityMs`).
   */
  private sliceStartedMs = 0;
  /**
   * Where the activity scale starts on the clock. Cells are stamped with
   * milliseconds since then rather than the clock's own reading: a small
   * integer is stored in the cell itself, a clock reading (about 1.7e12)
   * would cost each cell a boxed number. The idle sweep moves it forward
   * before stamps outgrow small integers.
   */
  private activityEpochMs: number;
  private readonly overflowsByType = new Map<string, number>();

  readonly mailboxCapacity: number;
  private readonly idleMs: number;
  private readonly maxLive: number;
  private readonly askTimeoutMs: number;
  private readonly policyOf: (msg: M) => OverflowPolicy;
  private readonly admit: ((key: K) => boolean) | undefined;
  private readonly logger: Logger | undefined;

  private readonly meters: SupervisorMetrics;

  constructor(private readonly options: SupervisorOptions<K, M, S>) {
    this.mailboxCapacity = options.mailboxCapacity ?? 1000;
    this.idleMs = options.idleMs ?? 10 * 60_000;
    this.maxLive = options.maxLive ?? Number.POSITIVE_INFINITY;
    this.askTimeoutMs = options.askTimeoutMs ?? 5000;
    if (!Number.isInteger(this.mailboxCapacity) || this.mailboxCapacity < 1) {
      throw new InvalidOptionError(
        'mailboxCapacity',
        `mailboxCapacity must be a positive integer, got ${this.mailboxCapacity}`,
      );
    }
    if (!(this.idleMs >= 0))
      throw new InvalidOptionError('idleMs', `idleMs must be 0 (never) or positive, got ${this.idleMs}`);
    if (!(this.maxLive >= 1))
      throw new InvalidOptionError('maxLive', `maxLive must be at least 1, got ${this.maxLive}`);
    if (!(this.askTimeoutMs > 0))
      throw new InvalidOptionError('askTimeoutMs', `askTimeoutMs must be positive, got ${this.askTimeoutMs}`);
    this.policy = new RestartPolicy(options.restart);
    this.policyOf = options.overflowPolicy ?? rejectAll;
    this.admit = options.admit?.bind(options);
    this.clock = options.clock ?? new SystemClock();
    this.metrics = options.metrics ?? new MetricsRegistry();
    this.logger = options.logger;
    this.rate = { turns: 0, atMs: this.clock.now(), perS: 0 };
    this.activityEpochMs = this.clock.now();

    this.meters = new SupervisorMetrics(this.metrics, {
      live: () => this.lru.size,
      passivated: () => this.passivatedKeys.size,
      quarantined: () => this.quarantines.size,
      sideEffectsInflight: () => this.inflightTotal,
      mailboxDepth: () => this.mailboxDepth(),
    });

    this.dispatcher = new Dispatcher<M>(
      {
        turns: this.meters.turns,
        turnLatency: this.meters.turnLatency,
        sliceStarted: () => {
          this.sliceStartedMs = this.activityMs();
        },
        activated: (cell) => {
          cell.lastActiveMs = this.sliceStartedMs;
          this.lru.touch(cell);
        },
        turnFailed: (cell, msg, error) => this.turnFailed(cell, msg, error),
        idle: () => this.checkQuiescence(),
      },
      options.dispatcher,
    );
  }

  /**
   * Sends `msg` to the actor for `key`, spawning it if needed. Returns once
   * the message is queued; throws `MailboxFullError`, `ActorQuarantinedError`,
   * `NotOwnedError` or `ShuttingDownError` when it is not.
   */
  tell(key: K, msg: M): void {
    if (this.stopping) throw new ShuttingDownError();
    if (this.admit !== undefined && !this.admit(key)) throw new NotOwnedError(key);
    let cell = this.cells.get(key);
    if (cell === undefined) {
      cell = this.spawn(key);
    } else if (cell.status === CellStatus.Quarantined) {
      const q = this.quarantines.get(cell) as Quarantine;
      throw new ActorQuarantinedError(key, q.reason, q.untilMs);
    } else if (cell.status === CellStatus.Stopped) {
      // Being handed off: it leaves the table once its state is staged.
      throw new NotOwnedError(key);
    }
    const result = cell.mailbox.offer(msg, this.policyOf);
    if (result !== 'accepted') this.overflowed(key, msg, result);
    if (cell.status === CellStatus.Live) this.dispatcher.schedule(cell);
  }

  /**
   * Starts the actor for `key` from its stored state when it is not in
   * memory, with no message: for a key whose state has work to go on with
   * (a reply in flight when the last process stopped). Returns whether it
   * started one; a key that is in memory (live, loading, quarantined),
   * not this process's (`admit`), or asked for during shutdown is left as
   * it is.
   */
  wake(key: K): boolean {
    if (this.stopping || this.cells.get(key) !== undefined) return false;
    if (this.admit !== undefined && !this.admit(key)) return false;
    this.meters.wakes.inc();
    this.spawn(key);
    return true;
  }

  /**
   * Sends a request built around a reply channel and waits for the answer.
   * Rejects with `AskTimeoutError` after `timeoutMs`, or with whatever `tell`
   * throws.
   */
  ask<R>(key: K, build: (reply: Reply<R>) => M, timeoutMs = this.askTimeoutMs): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      let settled = false;
      const timer = this.clock.setTimer(() => {
        if (settled) return;
        settled = true;
        reject(new AskTimeoutError(key, timeoutMs));
      }, timeoutMs);
      const finish = (): boolean => {
        if (settled) return false;
        settled = true;
        this.clock.clearTimer(timer);
        return true;
      };
      const reply: Reply<R> = {
        resolve: (value) => {
          if (finish()) resolve(value);
        },
        reject: (error) => {
          if (finish()) reject(error);
        },
      };
      try {
        this.tell(key, build(reply));
      } catch (error) {
        if (finish()) reject(error);
      }
    });
  }

  /** True when the actor for `key` is in memory (reads of it are cheap). */
  isLive(key: K): boolean {
    return this.cells.get(key)?.status === CellStatus.Live;
  }

  /** Keys of the actors in memory. */
  *liveKeys(): IterableIterator<K> {
    for (const [key, cell] of this.cells) if (cell.status === CellStatus.Live) yield key;
  }

  /**
   * Takes the state of every live actor that changed since it was last taken,
   * clearing its dirty mark. Runs between turns, so each state is consistent.
   */
  takeDirty(): Array<[K, S]> {
    const out: Array<[K, S]> = [];
    this.drainDirty(
      (actor) => actor.snapshot(),
      (key, state) => {
        out.push([key, state]);
        return true;
      },
    );
    return out;
  }

  /** How many actors are listed as changed since their state was last taken (an upper bound: some may be gone). */
  get dirtyCount(): number {
    return this.dirtyCells.length;
  }

  /**
   * Hands the state of every live actor that changed since it was last taken
   * to `take`, lent (`Actor.lend`): `take` reads it before it returns and
   * keeps nothing of it. Clears each dirty mark once `take` returns, and
   * stops when it returns false: the actors not reached stay changed, first
   * in line for the next call. Write-behind persistence calls this on its
   * own schedule, encoding each state as it is handed over.
   */
  lendDirty(take: (key: K, state: S) => boolean): void {
    this.drainDirty((actor) => actor.lend(), take);
  }

  private drainDirty(read: (actor: Actor<M, S>) => S, take: (key: K, state: S) => boolean): void {
    const cells = this.dirtyCells;
    this.dirtyCells = [];
    let next = 0;
    try {
      while (next < cells.length) {
        const cell = cells[next] as Cell<M>;
        if (!cell.dirty || cell.status !== CellStatus.Live) {
          next++;
          continue;
        }
        let state: S;
        try {
          state = read(cell.behaviour as Actor<M, S>);
        } catch (error) {
          // Stays dirty and listed: it is offered again at the next take, and the others are not held up.
          this.dirtyCells.push(cell);
          this.logger?.error({ err: error, key: cell.key }, 'actor snapshot threw; state not taken');
          next++;
          continue;
        }
        // If `take` throws, the cell stays dirty and listed with the rest (below).
        const more = take(cell.key as K, state);
        cell.dirty = false;
        next++;
        if (!more) break;
      }
    } finally {
      if (next < cells.length) this.dirtyCells = cells.slice(next).concat(this.dirtyCells);
    }
  }

  /** Ends a quarantine early (an admin fixed the cause). */
  release(key: K): boolean {
    const cell = this.cells.get(key);
    if (cell === undefined || cell.status !== CellStatus.Quarantined) return false;
    this.endQuarantine(cell);
    return true;
  }

  /** Messages waiting, summed over every mailbox that holds any, and the deepest one. */
  private mailboxDepth(): { max: number; sum: number } {
    const depth = { max: 0, sum: 0 };
    const count = (cell: Cell<M>): void => {
      const size = cell.mailbox.size;
      depth.sum += size;
      if (size > depth.max) depth.max = size;
    };
    for (const cell of this.dispatcher.waiting()) count(cell);
    for (const cell of this.restartTimers.keys()) count(cell);
    for (const cell of this.quarantines.keys()) count(cell);
    return depth;
  }

  stats(): SupervisorStats<K> {
    const now = this.clock.now();
    const depth = this.mailboxDepth();
    const elapsedMs = now - this.rate.atMs;
    if (elapsedMs >= 1000) {
      this.rate = {
        turns: this.meters.turns.value,
        atMs: now,
        perS: ((this.meters.turns.value - this.rate.turns) * 1000) / elapsedMs,
      };
    }
    return {
      live: this.lru.size,
      loading: this.loadingCount,
      passivated: this.passivatedKeys.size,
      total: this.cells.size + this.passivatedKeys.size,
      mailboxDepthMax: depth.max,
      mailboxDepthSum: depth.sum,
      turns: this.meters.turns.value,
      turnsPerS: this.rate.perS,
      turnLatencyMs: this.meters.turnLatency.summary(),
      restarts: this.meters.restarts.value,
      quarantined: [...this.quarantines].map(([cell, q]) => ({
        key: cell.key as K,
        reason: q.reason,
        untilMs: q.untilMs,
      })),
      overflowRejected: this.meters.overflowRejected.value,
      overflowDropped: this.meters.overflowDropped.value,
      overflowsByType: Object.fromEntries(this.overflowsByType),
      deadLetters: this.meters.deadLetters.value,
      activations: this.meters.activations.value,
      passivations: this.meters.passivations.value,
      persistFailures: this.meters.persistFailures.value,
      inflightEffects: this.inflightTotal,
    };
  }

  /**
   * Stops intake, lets queued messages and side effects in flight finish
   * until `deadlineMs`, then persists every dirty actor. Resolves only when
   * no turn and no persist is running any more.
   */
  shutdown(options: { deadlineMs?: number } = {}): Promise<ShutdownReport> {
    this.shutdownResult ??= this.runShutdown(options.deadlineMs ?? 10_000);
    return this.shutdownResult;
  }

  /**
   * The keys' lease was lost: every actor whose key matches stops at once,
   * without persisting — side effects in flight are cancelled, queued
   * messages discarded, restart and quarantine timers cleared — and its key
   * is forgotten (not counted as passivated either). Whatever it held since
   * its last durable snapshot belongs to the partition's next owner to
   * redo. Returns how many actors were stopped.
   */
  drop(predicate: (key: K) => boolean): number {
    let dropped = 0;
    for (const [key, cell] of this.cells) {
      if (!predicate(key)) continue;
      this.removeCell(key, cell);
      cell.mailbox.drain();
      dropped++;
    }
    this.forgetPassivated(predicate);
    if (dropped > 0) this.logger?.info({ actors: dropped }, 'actors dropped without persisting: their lease was lost');
    this.checkQuiescence();
    return dropped;
  }

  /**
   * A graceful hand-off of the keys that match: waits until each of their
   * actors is idle (nothing queued, loading, in flight or waiting to
   * restart) or `deadlineMs` has passed, then persists the dirty ones and
   * removes them all, in slices; other keys keep running throughout. A key
   * whose state is not handed to `persist` yet is refused with
   * `NotOwnedError`. Make `admit` refuse these keys first, or new messages
   * keep them busy while it waits. Whatever is
   * still queued at the deadline is counted as undelivered and dropped,
   * side effects still in flight are cancelled.
   */
  async handOff(predicate: (key: K) => boolean, options: { deadlineMs: number }): Promise<HandOffReport> {
    const cells: Array<[K, Cell<M>]> = [];
    for (const entry of this.cells) if (predicate(entry[0])) cells.push(entry);
    await this.waitUntil(
      () => cells.every(([key, cell]) => this.cells.get(key) !== cell || isSettled(cell)),
      options.deadlineMs,
    );
    // Cells of these keys that appeared while waiting go too.
    const leaving: Array<[K, Cell<M>]> = [];
    for (const entry of this.cells) if (predicate(entry[0])) leaving.push(entry);
    const { undelivered, writes } = this.stopCells(leaving, 'persist failed during hand-off', true);
    this.forgetPassivated(predicate);
    // A shutdown meanwhile waits until every state of these keys is handed to `persist`.
    this.track(writes);
    const { persisted, persistFailures } = await writes;
    return { persisted, undelivered, persistFailures };
  }

  // ---- CellHost ----

  delivered(cell: Cell<M>): void {
    if (cell.status === CellStatus.Live) this.dispatcher.schedule(cell);
  }

  dirtied(cell: Cell<M>): void {
    this.dirtyCells.push(cell);
  }

  inflightChanged(delta: number): void {
    this.inflightTotal += delta;
    // Checked once the outcome is queued (a cell delivers it right after this call), not before.
    if (delta < 0 && this.quiescenceChecks.size > 0) queueMicrotask(() => this.checkQuiescence());
  }

  turnFailed(cell: Cell<M>, msg: M | undefined, error: unknown): void {
    const key = cell.key as K;
    this.stopIncarnation(cell);
    this.meters.restarts.inc();
    const decision = this.policy.onFailure((cell.failures ??= []), this.clock.now());
    this.logger?.error({ err: error, key, message: msg?.type, failures: cell.failures.length }, 'actor turn failed');
    if (decision.quarantine) {
      if (msg !== undefined) {
        this.meters.deadLetters.inc();
        if (this.options.onQuarantine === undefined) this.options.onDeadLetter?.(key, msg, error);
        else cell.mailbox.unshift(msg);
      }
      this.quarantine(cell, describe(error));
      return;
    }
    // The message is retried by the next incarnation: a transient failure loses nothing.
    if (msg !== undefined) cell.mailbox.unshift(msg);
    this.scheduleRestart(cell, decision.backoffMs);
  }

  // ---- lifecycle ----

  private spawn(key: K): Cell<M> {
    if (this.lru.size >= this.maxLive) this.evictLeastRecentlyUsed();
    const cell = new Cell<M>(key, this);
    this.cells.set(key, cell);
    this.passivatedKeys.delete(key);
    this.activate(cell);
    return cell;
  }

  /** Loads the key's state and starts an actor on it. */
  private activate(cell: Cell<M>): void {
    cell.status = CellStatus.Loading;
    const key = cell.key as K;
    let loaded: S | undefined | Promise<S | undefined>;
    try {
      loaded = this.options.load?.(key);
    } catch (error) {
      this.loadFailed(cell, error);
      return;
    }
    if (isPromise(loaded)) {
      this.loadingCount++;
      const done = loaded.then(
        (state) => this.start(cell, state),
        (error: unknown) => this.loadFailed(cell, error),
      );
      this.track(done.finally(() => this.loadingCount--));
    } else {
      this.start(cell, loaded);
    }
  }

  private start(cell: Cell<M>, state: S | undefined): void {
    if (cell.status !== CellStatus.Loading) return; // shut down while loading
    let actor: Actor<M, S>;
    try {
      actor = this.options.create(cell.key as K, state);
      Actor.attach(actor, cell);
      cell.behaviour = actor;
      cell.status = CellStatus.Live;
      // The state it starts from is stored; a change `onStart` makes is not, and stays marked.
      cell.dirty = false;
      actor.onStart();
    } catch (error) {
      this.turnFailed(cell, undefined, error);
      return;
    }
    cell.lastActiveMs = this.activityMs();
    this.lru.touch(cell);
    this.meters.activations.inc();
    this.armSweep();
    if (!cell.mailbox.isEmpty) this.dispatcher.schedule(cell);
  }

  private loadFailed(cell: Cell<M>, error: unknown): void {
    if (cell.status !== CellStatus.Loading) return;
    if (error instanceof LekhaError && !error.retryable) {
      this.logger?.error({ err: error, key: cell.key }, 'actor state cannot be loaded; quarantining the key');
      this.quarantine(cell, describe(error));
      return;
    }
    this.turnFailed(cell, undefined, error);
  }

  /**
   * Ends the current incarnation. Its timers die with it; side effects in
   * flight do not: their outcomes are delivered to the next incarnation, so a
   * restart never loses, say, a reply the LLM is still writing. Only shutdown
   * aborts them.
   */
  private stopIncarnation(cell: Cell<M>): void {
    const actor = cell.behaviour as Actor<M, S> | null;
    cell.behaviour = null;
    cell.status = CellStatus.Restarting;
    cell.dirty = false;
    cell.cancelTimers();
    this.lru.remove(cell);
    if (actor === null) return;
    try {
      actor.onStop();
    } catch (error) {
      this.logger?.warn({ err: error, key: cell.key }, 'actor onStop threw');
    }
  }

  private scheduleRestart(cell: Cell<M>, backoffMs: number): void {
    cell.status = CellStatus.Restarting;
    const timer = this.clock.setTimer(() => {
      this.restartTimers.delete(cell);
      if (cell.status === CellStatus.Restarting) this.activate(cell);
      this.checkQuiescence();
    }, backoffMs);
    this.restartTimers.set(cell, timer);
  }

  private quarantine(cell: Cell<M>, reason: string): void {
    cell.status = CellStatus.Quarantined;
    const untilMs = this.clock.now() + this.policy.cooldownMs;
    const timer = this.clock.setTimer(() => this.endQuarantine(cell), this.policy.cooldownMs);
    this.quarantines.set(cell, { reason, untilMs, timer });
    const retained = this.options.onQuarantine === undefined ? [] : cell.mailbox.drain();
    this.logger?.warn(
      { key: cell.key, reason, untilMs, retained: cell.mailbox.size, handedOff: retained.length },
      'actor quarantined',
    );
    if (retained.length > 0) this.options.onQuarantine?.(cell.key as K, retained, { reason, untilMs });
  }

  private endQuarantine(cell: Cell<M>): void {
    const q = this.quarantines.get(cell);
    if (q === undefined) return;
    this.clock.clearTimer(q.timer);
    this.quarantines.delete(cell);
    cell.failures = null;
    if (this.stopping) return;
    if (cell.mailbox.isEmpty) {
      // Nothing waits for this key: its state is loaded again with its next message, not now and over again.
      this.cells.delete(cell.key as K);
      this.passivatedKeys.add(cell.key as K);
      return;
    }
    this.activate(cell);
  }

  private overflowed(key: K, msg: M, result: 'displaced' | 'dropped' | 'rejected'): void {
    this.overflowsByType.set(msg.type, (this.overflowsByType.get(msg.type) ?? 0) + 1);
    if (result === 'rejected') {
      this.meters.overflowRejected.inc();
      throw new MailboxFullError(key, this.mailboxCapacity);
    }
    this.meters.overflowDropped.inc();
  }

  // ---- passivation ----

  private armSweep(): void {
    if (this.sweepTimer !== null || this.idleMs === 0 || this.stopping) return;
    this.sweepTimer = this.clock.setTimer(() => {
      this.sweepTimer = null;
      this.sweepIdle()
        .catch((error: unknown) => this.logger?.error({ err: error }, 'idle sweep failed'))
        .finally(() => {
          if (this.lru.size > 0) this.armSweep();
        });
    }, this.idleMs);
  }

  /**
   * Passivates the actors idle for `idleMs`, in slices: each persist (an
   * encode, with the write-behind) runs inside the slice of its actor, and
   * once a slice has taken SLICE_MS, after at least SLICE_MIN_ACTORS
   * actors, other work gets a turn. A sweep over thousands of idle chats
   * then never stalls the busy ones for seconds.
   */
  private async sweepIdle(): Promise<void> {
    this.rebaseActivity();
    const cutoff = this.activityMs() - this.idleMs;
    const stale = this.lru.oldest(Number.POSITIVE_INFINITY, (cell) => cell.lastActiveMs <= cutoff);
    const slice = new TimeSlice(SLICE_MS, SLICE_MIN_ACTORS);
    for (const cell of stale) {
      if (this.stopping) return;
      // Between slices an actor may have had messages, or been removed.
      if (!isIdle(cell) || cell.lastActiveMs > cutoff || this.cells.get(cell.key as K) !== cell) continue;
      this.passivate(cell);
      await null; // the persist passivate queued runs now, in this slice
      if (slice.spent()) await slice.next();
    }
  }

  /** Now on the scale of `lastActiveMs`. */
  private activityMs(): number {
    // Whole milliseconds: V8 boxes the difference of two clock readings even
    // when it is an integer, and a boxed value in a cell field costs a box per cell.
    return Math.floor(this.clock.now() - this.activityEpochMs);
  }

  /** Moves the activity scale's start to now once stamps near the end of the small-integer range. */
  private rebaseActivity(): void {
    const shiftMs = this.activityMs();
    if (shiftMs < activityRebaseMs) return;
    this.activityEpochMs += shiftMs;
    this.sliceStartedMs -= shiftMs;
    for (const cell of this.lru.oldest(Number.POSITIVE_INFINITY)) cell.lastActiveMs -= shiftMs;
  }

  private evictLeastRecentlyUsed(): void {
    // Busy actors are skipped; a few are enough to look at before giving up.
    for (const cell of this.lru.oldest(64)) {
      if (isIdle(cell)) {
        this.passivate(cell);
        return;
      }
    }
  }

  private passivate(cell: Cell<M>): void {
    const key = cell.key as K;
    const actor = cell.behaviour as Actor<M, S>;
    const dirty = cell.dirty;
    // Lent, not copied: this incarnation never runs another turn, and the state goes
    // to `persist` and, if the actor must go on, to the next incarnation, one after the other.
    const state = actor.lend();
    this.stopIncarnation(cell);
    cell.status = CellStatus.Passivating;
    const persist = this.options.persist;
    const written =
      dirty && persist !== undefined ? Promise.resolve().then(() => persist(key, state)) : Promise.resolve();
    const done = written.then(
      () => {
        if (cell.status !== CellStatus.Passivating) return; // dropped or handed off meanwhile
        this.meters.passivations.inc();
        if (cell.mailbox.isEmpty) {
          cell.status = CellStatus.Stopped;
          this.cells.delete(key);
          this.passivatedKeys.add(key);
        } else {
          // Messages came in while persisting: carry on from the state in hand.
          cell.status = CellStatus.Loading;
          this.start(cell, state);
        }
      },
      (error: unknown) => {
        this.meters.persistFailures.inc();
        if (cell.status !== CellStatus.Passivating) {
          this.logger?.error({ err: error, key }, 'persist failed during passivation of an actor dropped meanwhile');
          return;
        }
        // Keep the actor in memory with its state; it is retried at the next sweep.
        this.logger?.error({ err: error, key }, 'persist failed during passivation; keeping the actor');
        cell.status = CellStatus.Loading;
        this.start(cell, state);
        cell.markDirty();
      },
    );
    this.track(done);
  }

  // ---- shutdown ----

  private async runShutdown(deadlineMs: number): Promise<ShutdownReport> {
    this.stopping = true;
    if (this.sweepTimer !== null) this.clock.clearTimer(this.sweepTimer);
    this.sweepTimer = null;
    const drained = await this.waitUntil(
      () =>
        this.dispatcher.length === 0 &&
        this.inflightTotal === 0 &&
        this.loadingCount === 0 &&
        this.restartTimers.size === 0 &&
        this.transitions.size === 0,
      deadlineMs,
    );
    await Promise.allSettled([...this.transitions]);
    const { undelivered, writes } = this.stopCells(this.cells, 'persist failed during shutdown', false);
    this.restartTimers.clear();
    this.quarantines.clear();
    const { persisted, persistFailures } = await writes;
    return { drained, undelivered, persisted, persistFailures };
  }

  /**
   * Stops the actors of `cells` for good: the live ones lend their states,
   * which are persisted when dirty; timers are cleared and side effects in flight
   * cancelled. Returns the messages left queued and the persists started
   * in slices (see `persistAll`), which never reject: failures are counted
   * and logged. With `leave` the cells also leave the table: at once when
   * there is nothing to persist, otherwise right after their persist, so a
   * key asked for again never finds storage without its last state (until
   * then `tell` refuses it as not served here).
   */
  private stopCells(
    cells: Iterable<[K, Cell<M>]>,
    failureMessage: string,
    leave: boolean,
  ): { undelivered: number; writes: Promise<{ persisted: number; persistFailures: number }> } {
    let undelivered = 0;
    const dirtyStates: Array<[K, S, Cell<M>]> = [];
    for (const [key, cell] of cells) {
      if (cell.status === CellStatus.Stopped) continue; // another hand-off has it
      this.clearCellTimers(cell);
      undelivered += cell.mailbox.size;
      let toPersist = false;
      if (cell.status === CellStatus.Live) {
        const actor = cell.behaviour as Actor<M, S>;
        toPersist = cell.dirty && this.options.persist !== undefined;
        // Lent, not copied: this incarnation never runs another turn.
        const state = actor.lend();
        this.stopIncarnation(cell);
        if (toPersist) dirtyStates.push([key, state, cell]);
      }
      cell.cancelInflight();
      cell.status = CellStatus.Stopped;
      if (leave && !toPersist) this.removeCell(key, cell);
    }
    return { undelivered, writes: this.persistAll(dirtyStates, failureMessage, leave) };
  }

  /**
   * Hands every state to `persist`, once every cell is stopped, and lets go
   * of each as it is handed over: a persist hook that encodes (the
   * write-behind) leaves the state garbage, so a shutdown of 100k chats
   * marks a heap that shrinks as it goes instead of one holding them all.
   * The event loop gets a turn after every SLICE_MS (and at least
   * SLICE_MIN_ACTORS states), so a stop that encodes 100k states keeps
   * answering health checks and metrics scrapes, and a hand-off does not
   * stall the chats that stay. With `leave`, each cell leaves the table
   * once its state is handed over; one dropped meanwhile (its lease was
   * lost) is not persisted.
   */
  private async persistAll(
    states: Array<[K, S, Cell<M>] | undefined>,
    failureMessage: string,
    leave: boolean,
  ): Promise<{ persisted: number; persistFailures: number }> {
    let persisted = 0;
    let persistFailures = 0;
    const failed = (key: K, error: unknown): void => {
      persistFailures++;
      this.meters.persistFailures.inc();
      this.logger?.error({ err: error, key }, failureMessage);
    };
    const persist = this.options.persist;
    if (persist === undefined) return { persisted, persistFailures };
    const pending: Promise<void>[] = [];
    const slice = new TimeSlice(SLICE_MS, SLICE_MIN_ACTORS);
    for (let i = 0; i < states.length; i++) {
      const [key, state, cell] = states[i] as [K, S, Cell<M>];
      states[i] = undefined;
      if (leave && this.cells.get(key) !== cell) continue;
      try {
        const done = persist(key, state);
        if (done === undefined) persisted++;
        else
          pending.push(
            done.then(
              () => void persisted++,
              (error: unknown) => failed(key, error),
            ),
          );
      } catch (error) {
        failed(key, error);
      }
      if (leave) this.removeCell(key, cell);
      if (slice.spent()) await slice.next();
    }
    await Promise.all(pending);
    return { persisted, persistFailures };
  }

  /** Clears the cell's restart or quarantine timer, if it has one. */
  private clearCellTimers(cell: Cell<M>): void {
    const restartTimer = this.restartTimers.get(cell);
    if (restartTimer !== undefined) {
      this.clock.clearTimer(restartTimer);
      this.restartTimers.delete(cell);
    }
    const q = this.quarantines.get(cell);
    if (q !== undefined) {
      this.clock.clearTimer(q.timer);
      this.quarantines.delete(cell);
    }
  }

  /** Stops the cell's actor without persisting and forgets the key (drop, and the end of a hand-off). */
  private removeCell(key: K, cell: Cell<M>): void {
    this.clearCellTimers(cell);
    if (cell.status === CellStatus.Live) this.stopIncarnation(cell);
    cell.cancelTimers();
    cell.cancelInflight();
    cell.dirty = false;
    cell.status = CellStatus.Stopped;
    if (this.cells.get(key) === cell) this.cells.delete(key);
  }

  private forgetPassivated(predicate: (key: K) => boolean): void {
    for (const key of this.passivatedKeys) if (predicate(key)) this.passivatedKeys.delete(key);
  }

  /** Resolves true once `quiet()` holds (checked whenever work settles); false at the deadline. */
  private waitUntil(quiet: () => boolean, deadlineMs: number): Promise<boolean> {
    return new Promise<boolean>((resolve) => {
      const check = (): void => {
        if (quiet()) finish(true);
      };
      const finish = (done: boolean): void => {
        if (!this.quiescenceChecks.delete(check)) return;
        this.clock.clearTimer(deadline);
        resolve(done);
      };
      const deadline = this.clock.setTimer(() => finish(false), deadlineMs);
      this.quiescenceChecks.add(check);
      check();
    });
  }

  private checkQuiescence(): void {
    if (this.quiescenceChecks.size === 0) return;
    for (const check of [...this.quiescenceChecks]) check();
  }

  private track(transition: Promise<unknown>): void {
    this.transitions.add(transition);
    void transition.finally(() => {
      this.transitions.delete(transition);
      this.checkQuiescence();
    });
  }
}

function isIdle<M extends Message>(cell: Cell<M>): boolean {
  return cell.status === CellStatus.Live && cell.mailbox.isEmpty && !cell.scheduled && cell.inflightCount === 0;
}

/** Nothing more will happen to the cell on its own: idle, or quarantined (it holds its messages until released). */
function isSettled<M extends Message>(cell: Cell<M>): boolean {
  return isIdle(cell) || cell.status === CellStatus.Quarantined || cell.status === CellStatus.Stopped;
}

function isPromise<T>(value: T | Promise<T>): value is Promise<T> {
  return typeof (value as { then?: unknown } | undefined)?.then === 'function';
}

function describe(error: unknown): string {
  if (error instanceof Error) return error instanceof LekhaError ? `${error.code}: ${error.message}` : error.message;
  return String(error);
}
