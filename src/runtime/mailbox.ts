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

/**
 * A bounded FIFO queue. Storage exists only while messages wait: an empty
 * mailbox holds nothing, so idle actors stay small. A single waiting message
 * (the usual case when traffic is spread over many chats) sits in a field of
 * its own; the backing array is allocated only once a second one queues up.
 */
export class Mailbox<M> {
  /** The only waiting message while `items` is null. */
  private lone: M | undefined = undefined;
  /** Waiting messages from `head` on, while two or more wait (or did since it was last emptied). */
  private items: M[] | null = null;
  private head = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new InvalidOptionError('capacity', `mailbox capacity must be a positive integer, got ${capacity}`);
    }
  }

  get size(): number {
    if (this.items !== null) return this.items.length - this.head;
    return this.lone === undefined ? 0 : 1;
  }

  get isEmpty(): boolean {
    return this.items === null && this.lone === undefined;
  }

  /** Queues `msg` if there is room, otherwise applies the overflow policies. */
  offer(msg: M, policyOf: (msg: M) => OverflowPolicy): OfferResult {
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
    if (this.items !== null) {
      this.items.push(msg);
    } else if (this.lone === undefined) {
      this.lone = msg;
    } else {
      this.items = [this.lone, msg];
      this.lone = undefined;
    }
  }

  /** Puts `msg` back at the front, for a turn that is going to be retried. */
  unshift(msg: M): void {
    if (this.items === null) {
      if (this.lone === undefined) {
        this.lone = msg;
      } else {
        this.items = [msg, this.lone];
        this.lone = undefined;
      }
    } else if (this.head > 0) {
      this.items[--this.head] = msg;
    } else {
      this.items.unshift(msg);
    }
  }

  shift(): M | undefined {
    const items = this.items;
    if (items === null) {
      const msg = this.lone;
      this.lone = undefined;
      return msg;
    }
    const msg = items[this.head] as M;
    // Release the slot so a processed message can be collected.
    (items as (M | undefined)[])[this.head] = undefined;
    this.head++;
    if (this.head === items.length) {
      this.items = null;
      this.head = 0;
    } else if (this.head >= 1024 && this.head * 2 >= items.length) {
      this.items = items.slice(this.head);
      this.head = 0;
    }
    return msg;
  }

  /** Removes and returns every queued message, oldest first. */
  drain(): M[] {
    const items = this.items;
    if (items === null) {
      const lone = this.lone;
      this.lone = undefined;
      return lone === undefined ? [] : [lone];
    }
    const out = this.head === 0 ? items : items.slice(this.head);
    this.items = null;
    this.head = 0;
    return out;
  }

  private removeOldest(policyOf: (msg: M) => OverflowPolicy): boolean {
    const items = this.items;
    if (items === null) {
      if (this.lone === undefined || policyOf(this.lone) !== 'drop-oldest') return false;
      this.lone = undefined;
      return true;
    }
    for (let i = this.head; i < items.length; i++) {
      if (policyOf(items[i] as M) === 'drop-oldest') {
        items.splice(i, 1);
        if (this.head === items.length) {
          this.items = null;
          this.head = 0;
        }
        return true;
      }
    }
    return false;
  }
}
