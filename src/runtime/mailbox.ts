import { InvalidOptionError } from './errors.js';

/**
 * What happens to a message that meets a full mailbox.
 * - `reject`: the sender is told (the message is a command or carries user intent).
 * - `drop-oldest`: low-value traffic; the oldest low-value message makes room,
 *   or the new one is dropped when nothing older may go.
 */
export type OverflowPolicy = 'reject' | 'drop-oldest';

/**
 * - `accepted`: queued.
 * - `displaced`: queued after the oldest low-value message was dropped.
 * - `dropped`: not queued; the message itself was low-value.
 * - `rejected`: not queued; the sender must be told.
 */
export type OfferResult = 'accepted' | 'displaced' | 'dropped' | 'rejected';

/** Two or more waiting messages: `items` from `head` on. */
class Backlog<M> {
  constructor(
    public items: (M | undefined)[],
    public head: number,
  ) {}

  get size(): number {
    return this.items.length - this.head;
  }
}

/**
 * A bounded FIFO queue. Storage exists only while messages wait, and all of
 * it hangs off one field, so an idle owner pays one empty slot: the field
 * holds nothing, the only waiting message (the usual case when traffic is
 * spread over many chats), or a backlog once a second one queues up.
 *
 * The capacity is left to the subclass, so that the many mailboxes of one
 * owner (the cells of a supervisor) can share it instead of each storing it.
 */
export abstract class MessageQueue<M> {
  abstract readonly capacity: number;
  /** Nothing, the only waiting message, or a backlog of two or more. */
  private waiting: M | Backlog<M> | undefined = undefined;

  get size(): number {
    const waiting = this.waiting;
    if (waiting === undefined) return 0;
    return waiting instanceof Backlog ? waiting.size : 1;
  }

  get isEmpty(): boolean {
    return this.waiting === undefined;
  }

  /** Queues `msg` if there is room, otherwise applies the overflow policies. */
  offer(msg: M, policyOf: (msg: M) => OverflowPolicy): OfferResult {
    if (this.waiting === undefined) {
      this.waiting = msg;
      return 'accepted';
    }
    if (this.size < this.capacity) {
      this.push(msg);
      return 'accepted';
    }
    if (this.removeOldest(policyOf)) {
      this.push(msg);
      return 'displaced';
    }
    return policyOf(msg) === 'drop-oldest' ? 'dropped' : 'rejected';
  }

  /**
   * Queues `msg` regardless of capacity. Only for messages that must never be
   * lost and whose number is bounded elsewhere (results of side effects the
   * actor started, timers it set).
   */
  push(msg: M): void {
    const waiting = this.waiting;
    if (waiting === undefined) this.waiting = msg;
    else if (waiting instanceof Backlog) (waiting as Backlog<M>).items.push(msg);
    else this.waiting = new Backlog<M>([waiting, msg], 0);
  }

  /** Puts `msg` back at the front, for a turn that is going to be retried. */
  unshift(msg: M): void {
    const waiting = this.waiting;
    if (waiting === undefined) {
      this.waiting = msg;
    } else if (waiting instanceof Backlog) {
      const backlog = waiting as Backlog<M>;
      if (backlog.head > 0) backlog.items[--backlog.head] = msg;
      else backlog.items.unshift(msg);
    } else {
      this.waiting = new Backlog<M>([msg, waiting], 0);
    }
  }

  shift(): M | undefined {
    const waiting = this.waiting;
    if (!(waiting instanceof Backlog)) {
      this.waiting = undefined;
      return waiting;
    }
    const backlog = waiting as Backlog<M>;
    const items = backlog.items;
    const msg = items[backlog.head];
    // Release the slot so a processed message can be collected.
    items[backlog.head++] = undefined;
    if (backlog.head === items.length) {
      this.waiting = undefined;
    } else if (backlog.head >= 1024 && backlog.head * 2 >= items.length) {
      backlog.items = items.slice(backlog.head);
      backlog.head = 0;
    }
    return msg;
  }

  /** Removes and returns every queued message, oldest first. */
  drain(): M[] {
    const waiting = this.waiting;
    this.waiting = undefined;
    if (waiting === undefined) return [];
    if (!(waiting instanceof Backlog)) return [waiting];
    const backlog = waiting as Backlog<M>;
    return (backlog.head === 0 ? backlog.items : backlog.items.slice(backlog.head)) as M[];
  }

  private removeOldest(policyOf: (msg: M) => OverflowPolicy): boolean {
    const waiting = this.waiting;
    if (waiting === undefined) return false;
    if (!(waiting instanceof Backlog)) {
      if (policyOf(waiting) !== 'drop-oldest') return false;
      this.waiting = undefined;
      return true;
    }
    const backlog = waiting as Backlog<M>;
    const items = backlog.items;
    for (let i = backlog.head; i < items.length; i++) {
      if (policyOf(items[i] as M) === 'drop-oldest') {
        items.splice(i, 1);
        if (backlog.head === items.length) this.waiting = undefined;
        return true;
      }
    }
    return false;
  }
}

/** A {@link MessageQueue} that holds its own capacity. */
export class Mailbox<M> extends MessageQueue<M> {
  constructor(readonly capacity: number) {
    super();
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new InvalidOptionError('capacity', `mailbox capacity must be a positive integer, got ${capacity}`);
    }
  }
}
