import { performance } from 'node:perf_hooks';
import { type Cell, CellStatus } from './cell.js';
import { InvalidOptionError } from './errors.js';
import type { Message } from './message.js';
import type { Counter, Histogram } from './metrics.js';

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

/**
 * Runs turns. Cells with waiting messages sit in one FIFO run queue; each
 * gets up to `throughput` turns (fewer if the slice ends first), then goes to
 * the back if it has more. So a flooding chat gets its fair share and no
 * more, and a chat that just woke up waits for at most one round.
 *
 * Draining starts in a microtask right after the first message arrives, and
 * yields to the event loop every `sliceMs` so ingress and timers keep flowing.
 */
export class Dispatcher<M extends Message> {
  private queue: (Cell<M> | undefined)[] = [];
  private head = 0;
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
    return this.queue.length - this.head;
  }

  /** The cells waiting to run, for stats. */
  *waiting(): IterableIterator<Cell<M>> {
    for (let i = this.head; i < this.queue.length; i++) yield this.queue[i] as Cell<M>;
  }

  schedule(cell: Cell<M>): void {
    if (cell.scheduled) return;
    cell.scheduled = true;
    this.queue.push(cell);
    if (!this.pending) {
      this.pending = true;
      queueMicrotask(this.drain);
    }
  }

  private readonly drain = (): void => {
    this.pending = false;
    const { turns, turnLatency } = this.hooks;
    const started = performance.now();
    let now = started;
    this.hooks.sliceStarted();
    while (this.head < this.queue.length) {
      const cell = this.queue[this.head] as Cell<M>;
      this.queue[this.head++] = undefined;
      cell.scheduled = false;
      if (cell.status !== CellStatus.Live) continue; // the supervisor reschedules it when it is live again
      this.hooks.activated(cell);
      for (let i = 0; i < this.throughput; i++) {
        const msg = cell.mailbox.shift();
        if (msg === undefined) break;
        const behaviour = cell.behaviour;
        if (behaviour === null) {
          cell.mailbox.unshift(msg);
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
        if (cell.status !== CellStatus.Live || now - started >= this.sliceMs) break;
      }
      if (cell.status === CellStatus.Live && !cell.mailbox.isEmpty) this.requeue(cell);
      if (this.head >= 65_536) this.compact();
      if (now - started >= this.sliceMs && this.head < this.queue.length) {
        this.compact();
        this.pending = true;
        setImmediate(this.drain);
        return;
      }
    }
    this.queue = [];
    this.head = 0;
    this.hooks.idle();
  };

  private requeue(cell: Cell<M>): void {
    if (cell.scheduled) return;
    cell.scheduled = true;
    this.queue.push(cell);
  }

  private compact(): void {
    if (this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
  }
}
