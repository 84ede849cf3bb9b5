import type { Update } from 'grammy/types';
import type { Clock } from '../runtime/index.js';
import { BotApiError } from './bot-api-error.js';
import type { EmulatorIds } from './emulator-ids.js';

/** What a getUpdates call asks for. */
export interface PollRequest {
  /** Confirms every update below it (negative: keeps only the last `-offset`), and fetches from it. */
  offset: number | undefined;
  limit: number;
  /** Long-poll: how long to wait for an update when there is none. */
  timeoutS: number;
}

interface Waiter {
  wake: () => void;
  conflict: () => void;
}

const KNOWN_KINDS = new Set([
  'message',
  'edited_message',
  'channel_post',
  'edited_channel_post',
  'business_connection',
  'business_message',
  'edited_business_message',
  'deleted_business_messages',
  'message_reaction',
  'message_reaction_count',
  'inline_query',
  'chosen_inline_result',
  'callback_query',
  'shipping_query',
  'pre_checkout_query',
  'purchased_paid_media',
  'poll',
  'poll_answer',
  'my_chat_member',
  'chat_member',
  'chat_join_request',
  'chat_boost',
  'removed_chat_boost',
]);

/**
 * The Bot API emulator's pending updates. An update stays pending until a
 * getUpdates offset (or a 2xx webhook answer) confirms it, as on Telegram, so
 * a bot restarted after a crash is handed its unconfirmed updates again. One
 * long poll waits at a time (on `clock`'s timers); a newer poll ends it with
 * 409.
 */
export class UpdateQueue {
  /** Updates queued since start. */
  injected = 0;
  private readonly pending: Update[] = [];
  private head = 0;
  private waiter: Waiter | null = null;
  private allowed: string[] = [];
  private confirmationsHeld = false;
  private closed = false;

  constructor(
    private readonly ids: EmulatorIds,
    private readonly clock: Clock,
  ) {}

  /** Updates not yet confirmed. */
  get pendingCount(): number {
    return this.pending.length - this.head;
  }

  /** The update kinds asked for last (empty: all). */
  get allowedUpdates(): string[] {
    return this.allowed;
  }

  /** Queues `body` as an update, with its own `update_id` if it carries one; returns the id used. */
  enqueue(body: Record<string, unknown>): number {
    const given = body.update_id;
    const updateId = typeof given === 'number' ? given : this.ids.nextUpdateId();
    if (typeof given === 'number') this.ids.skipUpdateIdsTo(given);
    this.pending.push({ ...body, update_id: updateId } as Update);
    this.injected++;
    this.waiter?.wake();
    return updateId;
  }

  /** Answers a getUpdates call: confirms below the offset, then hands out what is pending or waits for it. */
  async poll(request: PollRequest): Promise<Update[]> {
    const { offset, limit, timeoutS } = request;
    if (offset !== undefined && !this.confirmationsHeld) this.confirmBelow(offset);
    const from = offset !== undefined && offset > 0 ? offset : 0;
    // A newer poll ends an older one, as on Telegram.
    this.endPoll();
    let batch = this.takeBatch(limit, from);
    if (batch.length === 0 && timeoutS > 0 && !this.closed) {
      await this.waitForUpdate(timeoutS * 1000);
      batch = this.takeBatch(limit, from);
    }
    return batch;
  }

  /** Ends a waiting long poll with 409 (a newer poll came, or a webhook was set). */
  endPoll(): void {
    this.waiter?.conflict();
    this.waiter = null;
  }

  setAllowedUpdates(kinds: unknown): void {
    if (Array.isArray(kinds)) this.allowed = kinds.filter((u): u is string => typeof u === 'string');
  }

  /** While held, offsets fetch onward but confirm nothing, as if every confirming request had been lost. */
  holdConfirmations(held: boolean): void {
    this.confirmationsHeld = held;
  }

  /** Confirms everything pending (`drop_pending_updates`). */
  drop(): void {
    this.head = this.pending.length;
  }

  /** Confirms one update (a webhook answered it 2xx). */
  confirm(updateId: number): void {
    const i = this.pending.findIndex((u, idx) => idx >= this.head && u.update_id === updateId);
    if (i < 0) return;
    if (i === this.head) this.head++;
    else this.pending.splice(i, 1);
  }

  /** The pending updates, oldest first. */
  *unconfirmed(): Generator<Update> {
    for (let i = this.head; i < this.pending.length; i++) yield this.pending[i] as Update;
  }

  /** Ends a waiting long poll with what there is, and waits no more. */
  close(): void {
    this.closed = true;
    this.waiter?.wake();
  }

  private waitForUpdate(ms: number): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const done = (): void => {
        this.clock.clearTimer(timer);
        if (this.waiter === waiter) this.waiter = null;
        resolve();
      };
      const timer = this.clock.setTimer(done, ms);
      const waiter: Waiter = {
        wake: done,
        conflict: () => {
          this.clock.clearTimer(timer);
          reject(
            new BotApiError(
              409,
              'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running',
            ),
          );
        },
      };
      this.waiter = waiter;
    });
  }

  private takeBatch(limit: number, fromId: number): Update[] {
    const out: Update[] = [];
    for (let i = this.head; i < this.pending.length && out.length < limit; i++) {
      const update = this.pending[i] as Update;
      if (update.update_id >= fromId && this.isAllowed(update)) out.push(update);
    }
    return out;
  }

  private isAllowed(update: Update): boolean {
    if (this.allowed.length === 0) return true;
    const kind = Object.keys(update).find((k) => k !== 'update_id');
    // Updates that are not objects of a known kind (malformed on purpose) are always delivered.
    return kind === undefined || this.allowed.includes(kind) || !KNOWN_KINDS.has(kind);
  }

  private confirmBelow(offset: number): void {
    if (offset < 0) {
      this.head = Math.max(this.head, this.pending.length + offset);
    } else {
      while (this.head < this.pending.length && (this.pending[this.head] as Update).update_id < offset) this.head++;
    }
    if (this.head > 4096 && this.head * 2 > this.pending.length) {
      this.pending.splice(0, this.head);
      this.head = 0;
    }
  }
}
