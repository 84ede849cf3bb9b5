import type { Clock, TimerHandle } from './clock.js';
import { Mailbox } from './mailbox.js';
import type { Message, Outcome, SideEffect } from './message.js';

export const CellStatus = {
  Loading: 0,
  Live: 1,
  Restarting: 2,
  Quarantined: 3,
  Passivating: 4,
  Stopped: 5,
} as const;
export type CellStatus = (typeof CellStatus)[keyof typeof CellStatus];

/** The behaviour a cell runs: the part of `Actor` the kernel calls. */
export interface Behaviour<M extends Message> {
  receive(msg: M): void;
}

/** What a cell needs from whoever owns it (the supervisor). */
export interface CellHost<M extends Message> {
  readonly clock: Clock;
  /** A message was pushed into a cell outside of `tell` (side-effect result, timer). */
  delivered(cell: Cell<M>): void;
  /** The number of side effects in flight changed by `delta`. */
  inflightChanged(delta: number): void;
  /** The cell's state changed since the last snapshot. */
  dirtied(cell: Cell<M>): void;
  /** `toMsg` of a side effect threw: treated like a failed turn. */
  turnFailed(cell: Cell<M>, msg: M | undefined, error: unknown): void;
}

/**
 * The runtime's container for one key: its mailbox, its current actor
 * incarnation and everything the kernel tracks about it. The cell outlives
 * restarts; the actor inside it is replaced.
 *
 * Fields are plain and nullable on purpose: an idle cell holds no arrays,
 * sets, maps, closures or timers. The cell *is* its mailbox (it extends
 * `Mailbox`) rather than pointing to one: routing a message then touches one
 * object instead of two, which shows in throughput once there are many
 * thousands of cells.
 */
export class Cell<M extends Message> extends Mailbox<M> {
  behaviour: Behaviour<M> | null = null;
  status: CellStatus = CellStatus.Loading;
  scheduled = false;
  dirty = false;
  lastActiveMs = 0;
  /** Intrusive links of the supervisor's least-recently-used list. */
  lruPrev: Cell<M> | null = null;
  lruNext: Cell<M> | null = null;
  /** Timestamps of recent failures, only while there are any. */
  failures: number[] | null = null;
  private inflight: Set<AbortController> | null = null;
  private timers: Map<number, TimerHandle> | null = null;
  private nextTimerId = 0;

  constructor(
    readonly key: unknown,
    capacity: number,
    private readonly host: CellHost<M>,
  ) {
    super(capacity);
  }

  /** This cell's queue of waiting messages. */
  get mailbox(): Mailbox<M> {
    return this;
  }

  markDirty(): void {
    if (this.dirty) return;
    this.dirty = true;
    this.host.dirtied(this);
  }

  get inflightCount(): number {
    return this.inflight === null ? 0 : this.inflight.size;
  }

  /** Starts `work` now and delivers its outcome to this cell's mailbox as `toMsg(outcome)`. */
  pipe<T>(work: Promise<T> | SideEffect<T>, toMsg: (outcome: Outcome<T>) => M): void {
    const controller = new AbortController();
    (this.inflight ??= new Set()).add(controller);
    this.host.inflightChanged(1);
    let promise: Promise<T>;
    try {
      promise = typeof work === 'function' ? work(controller.signal) : work;
    } catch (error) {
      promise = Promise.reject(error);
    }
    promise.then(
      (value) => this.settle(controller, { ok: true, value }, toMsg),
      (error: unknown) => this.settle(controller, { ok: false, error }, toMsg),
    );
  }

  /** Delivers `msg` to this cell after `ms`; returns an id for `cancelTimer`. */
  after(ms: number, msg: M): number {
    return this.arm(++this.nextTimerId, ms, msg, false);
  }

  /** Delivers `msg` to this cell every `ms` until cancelled or the actor stops. */
  every(ms: number, msg: M): number {
    return this.arm(++this.nextTimerId, ms, msg, true);
  }

  cancelTimer(id: number): void {
    const handle = this.timers?.get(id);
    if (handle === undefined) return;
    this.host.clock.clearTimer(handle);
    this.forgetTimer(id);
  }

  /** Aborts every side effect in flight; their outcomes will not be delivered. */
  cancelInflight(): void {
    const inflight = this.inflight;
    if (inflight === null) return;
    this.inflight = null;
    this.host.inflightChanged(-inflight.size);
    for (const controller of inflight) controller.abort();
  }

  cancelTimers(): void {
    const timers = this.timers;
    if (timers === null) return;
    this.timers = null;
    for (const handle of timers.values()) this.host.clock.clearTimer(handle);
  }

  private arm(id: number, ms: number, msg: M, repeat: boolean): number {
    const handle = this.host.clock.setTimer(() => {
      if (repeat) this.arm(id, ms, msg, true);
      else this.forgetTimer(id);
      this.mailbox.push(msg);
      this.host.delivered(this);
    }, ms);
    (this.timers ??= new Map()).set(id, handle);
    return id;
  }

  private forgetTimer(id: number): void {
    const timers = this.timers;
    if (timers === null) return;
    timers.delete(id);
    if (timers.size === 0) this.timers = null;
  }

  private settle<T>(controller: AbortController, outcome: Outcome<T>, toMsg: (outcome: Outcome<T>) => M): void {
    const inflight = this.inflight;
    if (inflight === null || !inflight.delete(controller)) return; // cancelled: the actor stopped
    if (inflight.size === 0) this.inflight = null;
    this.host.inflightChanged(-1);
    let msg: M;
    try {
      msg = toMsg(outcome);
    } catch (error) {
      this.host.turnFailed(this, undefined, error);
      return;
    }
    this.mailbox.push(msg);
    this.host.delivered(this);
  }
}
