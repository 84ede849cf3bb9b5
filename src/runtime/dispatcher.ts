import { performance } from 'node:perf_hooks';
import { type Cell, CellStatus } from './cell.js';
import { InvalidOptionError } from './errors.js';
import type { Message } from './message.js';
import type { Counter, Histogram } from './metrics.js';
import { RunQueue } from './run-queue.js';

export interface DispatcherOptions {
  /** Turns one actor may run before the next actor gets its go. Low values keep cold chats fast next to a hot one. */
  throughput?: number;
  /**
   * How long one drain may hold the event loop before it yields to I/O
   * (default 1 ms). An update that arrives while turns run waits up to this
   * long before the ingress even sees it, and a cell's batch of turns ends
   * early when the slice does; so this bounds how long a cold chat waits
   * behind a hot one. Yielding costs a few microseconds.
   */
  sliceMs?: number;
}

export interface DispatcherHooks<M extends Message> {
  turns: Counter;
  turnLatency: Histogram;
  /**
   * Called when a drain starts and after each yield, before any `activated`
   * of that slice: the moment to read the clock once for all of them.
   */
  sliceStarted(): void;
  /** Called when a cell starts a batch of turns (for least-recently-used tracking). */
  activated(cell: Cell<M>): void;
  turnFailed(cell: Cell<M>, msg: M, error: unknown): void;
  /** Called when the run queue has emptied. */
  idle(): void;
}

/** Woken cells run before running ones, but never more than this many in a row while some running cell waits. */
const wokenBurst = 16;

/**
 * Runs turns. A cell with waiting messages sits in one of two FIFO run
 * queues: `woken` when it just went from idle to having work, `running` when
 * it already had its go and has more. Each gets up to `throughput` turns
 * (fewer if the slice ends first), then goes to the back of `running` if it
 * has more. Woken cells go first: a chat that wakes up next to a flooding
 * one waits for the turn in progress, not for the flood's next go as well.
 * So that a stream of wake-ups cannot starve the cells already running, one
 * running cell gets its go after every {@link wokenBurst} woken ones.
 *
 * Draining starts in a microtask right after the first message arrives, and
 * yields to the event loop every `sliceMs` so ingress and timers keep flowing.
 */
export class Dispatcher<M extends Message> {
  private readonly woken = new RunQueue<Cell<M>>();
  private readonly running = new RunQueue<Cell<M>>();
  private pending = false;
  private readonly throughput: number;
  private readonly sliceMs: number;

  constructor(
    private readonly hooks: DispatcherHooks<M>,
    options: DispatcherOptions = {},
  ) {
    this.throughput = options.throughput ?? 4;
    this.sliceMs = options.sliceMs ?? 1;
    if (!Number.isInteger(this.throughput) || this.throughput < 1) {
      throw new InvalidOptionError(
        'throughput',
        `dispatcher throughput must be a positive integer, got ${this.throughput}`,
      );
    }
    if (!(this.sliceMs > 0))
      throw new InvalidOptionError('sliceMs', `dispatcher sliceMs must be positive, got ${this.sliceMs}`);
  }

  /** Cells waiting to run. */
  get length(): number {
    return this.woken.length + this.running.length;
  }

  /** The cells waiting to run, for stats. */
  *waiting(): IterableIterator<Cell<M>> {
    yield* this.woken;
    yield* this.running;
  }

  schedule(cell: Cell<M>): void {
    if (cell.scheduled) return;
    cell.scheduled = true;
    this.woken.push(cell);
    if (!this.pending) {
      this.pending = true;
      queueMicrotask(this.drain);
    }
  }

  private readonly drain = (): void => {
    this.pending = false;
    const { turns, turnLatency } = this.hooks;
    const { woken, running, throughput, sliceMs } = this;
    const started = performance.now();
    let now = started;
    let wokenInARow = 0;
    this.hooks.sliceStarted();
    for (;;) {
      let cell: Cell<M> | undefined;
      if (woken.length > 0 && (wokenInARow < wokenBurst || running.length === 0)) {
        cell = woken.shift() as Cell<M>;
        wokenInARow++;
      } else {
        cell = running.shift();
        if (cell === undefined) break;
        wokenInARow = 0;
      }
      if (cell.status !== CellStatus.Live) {
        cell.scheduled = false; // the supervisor reschedules it when it is live again
        continue;
      }
      this.hooks.activated(cell);
      for (let i = 0; i < throughput; i++) {
        const msg = cell.shift();
        if (msg === undefined) break;
        const behaviour = cell.behaviour;
        if (behaviour === null) {
          cell.unshift(msg);
          break;
        }
        try {
          behaviour.receive(msg);
        } catch (error) {
          this.hooks.turnFailed(cell, msg, error);
          now = performance.now();
          break;
        }
        const end = performance.now();
        turnLatency.recordMs(end - now);
        turns.value++;
        now = end;
        if (cell.status !== CellStatus.Live || now - started >= sliceMs) break;
      }
      // A cell stays marked scheduled through its turns, so a message it gets meanwhile
      // (one it sends itself, say) does not wake it into the woken queue ahead of others.
      if (cell.status === CellStatus.Live && !cell.isEmpty) running.push(cell);
      else cell.scheduled = false;
      if (now - started >= sliceMs && woken.length + running.length > 0) {
        this.pending = true;
        setImmediate(this.drain);
        return;
      }
    }
    woken.trim();
    running.trim();
    this.hooks.idle();
  };
}
