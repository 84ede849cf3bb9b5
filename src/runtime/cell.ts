import type { Clock, TimerHandle } from './clock.js';
import { MessageQueue } from './mailbox.js';
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
  /** The capacity of every mailbox of this host. */
  readonly mailboxCapacity: number;
  /** A message was pushed into a cell outside of `tell` (side-effect result, timer). */
  delivered(cell: Cell<M>): void;
  /** The number of side effects in flight changed by `delta`. */
  inflightChanged(delta: number): void;
  /** The cell's state changed since the last snapshot. */
  dirtied(cell: Cell<M>): void;
  /** `toMsg` of a side effect threw: treated like a failed turn. */
  turnFailed(cell: Cell<M>, msg: M | undefined, error: unknown): void;
}

const statusMask = 0b111;
const scheduledFlag = 0b1000;
const dirtyFlag = 0b10000;

/** What a side effect that declares no signal parameter is called with: it cannot read it by name. */
const NEVER_ABORTED = new AbortController().signal;

/**
 * What only some cells ever need: recent failures, side effects in flight,
 * timers. Created on first use, so a cell that never had any costs one empty
 * field for all of them.
 */
class CellExtras {
  failures: number[] | null = null;
  /** Each side effect's AbortController, or a plain token for one given no signal (see {@link Cell.pipe}). */
  inflight: Set<object> | null = null;
  timers: Map<number, TimerHandle> | null = null;
  /** Never reset: an id the actor still holds must not name a later timer. */
  nextTimerId = 0;
}

/**
 * The runtime's container for one key: its mailbox, its current actor
 * incarnation and everything the kernel tracks about it. The cell outlives
 * restarts; the actor inside it is replaced.
 *
 * A live idle cell is most of a supervisor's memory, so it holds as few
 * fields as it can: no arrays, sets, maps, closures or timers; status and
 * the scheduled and dirty marks packed in one small integer; the mailbox
 * capacity read from the host; rarely used state in a side object made on
 * first use. The cell *is* its mailbox (it extends the queue) rather than
 * pointing to one: routing a message then touches one object instead of two,
 * which shows in throughput once there are many thousands of cells.
 */
export class Cell<M extends Message> extends MessageQueue<M> {
  behaviour: Behaviour<M> | null = null;
  /** Status in the low bits, then the scheduled and dirty marks. */
  private flags: number = CellStatus.Loading;
  /**
   * When the cell last ran, on the host's time scale (the host picks one whose
   * values stay small integers, which V8 stores in the field itself).
   */
  lastActiveMs = 0;
  /** Where the supervisor's least-recently-used list holds this cell; -1 when it does not. */
  lruAt = -1;
  private extras: CellExtras | null = null;

  constructor(
    readonly key: unknown,
    private readonly host: CellHost<M>,
  ) {
    super();
  }

  get capacity(): number {
    return this.host.mailboxCapacity;
  }

  /** This cell's queue of waiting messages. */
  get mailbox(): MessageQueue<M> {
    return this;
  }

  get status(): CellStatus {
    return (this.flags & statusMask) as CellStatus;
  }

  set status(status: CellStatus) {
    this.flags = (this.flags & ~statusMask) | status;
  }

  /** In the dispatcher's run queue. */
  get scheduled(): boolean {
    return (this.flags & scheduledFlag) !== 0;
  }

  set scheduled(scheduled: boolean) {
    this.flags = scheduled ? this.flags | scheduledFlag : this.flags & ~scheduledFlag;
  }

  /** The state changed since the last snapshot. */
  get dirty(): boolean {
    return (this.flags & dirtyFlag) !== 0;
  }

  set dirty(dirty: boolean) {
    this.flags = dirty ? this.flags | dirtyFlag : this.flags & ~dirtyFlag;
  }

  /** Timestamps of recent failures, only while there are any. */
  get failures(): number[] | null {
    return this.extras === null ? null : this.extras.failures;
  }

  set failures(failures: number[] | null) {
    if (failures === null && this.extras === null) return;
    this.withExtras().failures = failures;
  }

  markDirty(): void {
    if (this.dirty) return;
    this.dirty = true;
    this.host.dirtied(this);
  }

  get inflightCount(): number {
    const inflight = this.extras === null ? null : this.extras.inflight;
    return inflight === null ? 0 : inflight.size;
  }

  /** Starts `work` now and delivers its outcome to this cell's mailbox as `toMsg(outcome)`. */
  pipe<T>(work: Promise<T> | SideEffect<T>, toMsg: (outcome: Outcome<T>) => M): void {
    // An AbortController and its signal take ~2 µs to make, and the chat actor pipes a memory write that takes no
    // signal for every member message: an effect that declares no signal parameter, or a promise already started,
    // gets none, and a plain token marks it in flight instead.
    const controller = typeof work === 'function' && work.length > 0 ? new AbortController() : null;
    const token: object = controller ?? {};
    const extras = this.withExtras();
    (extras.inflight ??= new Set()).add(token);
    this.host.inflightChanged(1);
    let promise: Promise<T>;
    try {
      promise = typeof work === 'function' ? work(controller === null ? NEVER_ABORTED : controller.signal) : work;
    } catch (error) {
      promise = Promise.reject(error);
    }
    promise.then(
      (value) => this.settle(token, { ok: true, value }, toMsg),
      (error: unknown) => this.settle(token, { ok: false, error }, toMsg),
    );
  }

  /** Delivers `msg` to this cell after `ms`; returns an id for `cancelTimer`. */
  after(ms: number, msg: M): number {
    return this.arm(++this.withExtras().nextTimerId, ms, msg, false);
  }

  /** Delivers `msg` to this cell every `ms` until cancelled or the actor stops. */
  every(ms: number, msg: M): number {
    return this.arm(++this.withExtras().nextTimerId, ms, msg, true);
  }

  cancelTimer(id: number): void {
    const handle = this.extras?.timers?.get(id);
    if (handle === undefined) return;
    this.host.clock.clearTimer(handle);
    this.forgetTimer(id);
  }

  /** Aborts every side effect in flight; their outcomes will not be delivered. */
  cancelInflight(): void {
    const extras = this.extras;
    if (extras === null || extras.inflight === null) return;
    const inflight = extras.inflight;
    extras.inflight = null;
    this.host.inflightChanged(-inflight.size);
    for (const token of inflight) if (token instanceof AbortController) token.abort();
  }

  cancelTimers(): void {
    const extras = this.extras;
    if (extras === null || extras.timers === null) return;
    const timers = extras.timers;
    extras.timers = null;
    for (const handle of timers.values()) this.host.clock.clearTimer(handle);
  }

  private withExtras(): CellExtras {
    return (this.extras ??= new CellExtras());
  }

  private arm(id: number, ms: number, msg: M, repeat: boolean): number {
    const handle = this.host.clock.setTimer(() => {
      if (repeat) this.arm(id, ms, msg, true);
      else this.forgetTimer(id);
      this.mailbox.push(msg);
      this.host.delivered(this);
    }, ms);
    (this.withExtras().timers ??= new Map()).set(id, handle);
    return id;
  }

  private forgetTimer(id: number): void {
    const extras = this.extras;
    if (extras === null || extras.timers === null) return;
    const timers = extras.timers;
    timers.delete(id);
    if (timers.size === 0) extras.timers = null;
  }

  private settle<T>(token: object, outcome: Outcome<T>, toMsg: (outcome: Outcome<T>) => M): void {
    const extras = this.extras;
    const inflight = extras === null ? null : extras.inflight;
    if (extras === null || inflight === null || !inflight.delete(token)) return; // cancelled: the actor stopped
    if (inflight.size === 0) extras.inflight = null;
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
