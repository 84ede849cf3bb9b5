import type { Cell } from './cell.js';
import type { Message, Outcome, SideEffect } from './message.js';

const cellOf = Symbol('cell');

/**
 * An actor: private state plus a `receive` that handles one message at a
 * time, in arrival order.
 *
 * `receive` is synchronous. It must not await I/O: long work is started with
 * {@link Actor.pipe} and its result comes back later as another message, so a
 * slow LLM call never holds up the chat's other messages and two turns of one
 * actor never overlap.
 *
 * Subclass it for each kind of actor; the supervisor creates instances through
 * a factory and restarts them from their last persisted state when a turn
 * throws.
 */
export abstract class Actor<M extends Message, S = unknown> {
  private [cellOf]: Cell<M> | null = null;

  /** Handles one message. Called by the runtime only. */
  abstract receive(msg: M): void;

  /** The state to persist. Called between turns, so it is always consistent. */
  abstract snapshot(): S;

  /**
   * The state as it is, not a copy, for a caller that reads it before any
   * turn runs and keeps nothing of it: how the write-behind encodes a
   * changed state, and how passivation, shutdown and hand-off give the
   * state of an actor that stops to `persist`, without copying it first.
   * `snapshot()` unless the actor says otherwise.
   */
  lend(): S {
    return this.snapshot();
  }

  /**
   * Called once after the actor is attached to its cell and before its first
   * turn. The place to arm timers: timers are not persisted, so an actor that
   * needs one re-arms it here from its state. A change it makes to the state
   * (`markDirty`) is written like a turn's.
   */
  onStart(): void {}

  /** Called when this incarnation stops (passivation, restart, shutdown). */
  onStop(): void {}

  /** The key this actor was spawned for. */
  protected get key(): unknown {
    return this.cell.key;
  }

  /**
   * Starts a side effect and delivers its outcome to this actor's mailbox as
   * `toMsg(outcome)`. Pass a function that declares a parameter to receive
   * an `AbortSignal` that fires if the runtime shuts down first (one that
   * declares none is given a signal that never fires); the outcome of an
   * aborted effect is discarded. The outcome survives a restart of this
   * actor (it goes to the next incarnation, which must accept outcomes it
   * did not ask for) and is never dropped for a full mailbox.
   */
  protected pipe<T>(work: Promise<T> | SideEffect<T>, toMsg: (outcome: Outcome<T>) => M): void {
    this.cell.pipe(work, toMsg);
  }

  /** Sends `msg` to this actor after `ms`. Returns an id for {@link Actor.cancelTimer}. */
  protected after(ms: number, msg: M): number {
    return this.cell.after(ms, msg);
  }

  /** Sends `msg` to this actor every `ms` until cancelled or the actor stops. */
  protected every(ms: number, msg: M): number {
    return this.cell.every(ms, msg);
  }

  protected cancelTimer(id: number): void {
    this.cell.cancelTimer(id);
  }

  /** Marks the state as changed since the last snapshot, so it will be persisted. */
  protected markDirty(): void {
    this.cell.markDirty();
  }

  private get cell(): Cell<M> {
    const cell = this[cellOf];
    if (cell === null) throw new Error('actor is not attached yet: use onStart() instead of the constructor');
    return cell;
  }

  /** @internal */
  static attach<M extends Message>(actor: Actor<M, unknown>, cell: Cell<M>): void {
    actor[cellOf] = cell;
  }
}
