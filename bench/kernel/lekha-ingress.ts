import type { Update } from 'grammy/types';
import { MailboxFullError } from '../../src/runtime/index.js';
import type { Supervisor } from '../../src/supervisor/index.js';
import type { UpdateReceived } from './update-actor.js';
import type { UpdateFeed } from './update-feed.js';

/** The most updates one `getUpdates` call returns; the baseline's runner uses the same cap. */
const fetchLimit = 100;

/**
 * Feeds a supervisor the way a Telegram ingress does: wait for updates to be
 * available, take at most 100, `tell` each to its chat, yield to the event
 * loop (where the dispatcher drains), repeat.
 *
 * A chat whose mailbox is full answers `MailboxFullError`; the ingress then
 * holds that chat's updates, in order, and retries them on every later pass
 * while it keeps reading updates for other chats. Nothing is dropped, a
 * flooding chat only delays itself.
 */
export class LekhaIngress {
  /** Updates refused by a full mailbox, per chat, oldest first. */
  private readonly held = new Map<number, UpdateReceived[]>();
  /** Times a mailbox answered `MailboxFullError`. */
  refusals = 0;

  constructor(
    private readonly supervisor: Supervisor<number, UpdateReceived, null>,
    /** Stamp each message with its enqueue time (costs one clock read per message). */
    private readonly stampEnqueue = false,
  ) {}

  /** Resolves once every update of `feed` is queued in a mailbox (not yet necessarily handled). */
  async run(feed: UpdateFeed): Promise<void> {
    feed.start();
    while (!feed.exhausted || this.held.size > 0) {
      await feed.arrival();
      if (this.held.size > 0) this.retryHeld();
      for (const update of feed.take(fetchLimit)) this.offer(update);
    }
  }

  private offer(update: Update): void {
    const chatId = update.message?.chat.id;
    if (chatId === undefined) throw new TypeError(`update ${update.update_id} has no chat`);
    const msg: UpdateReceived = {
      type: 'UpdateReceived',
      update,
      enqueuedMs: this.stampEnqueue ? performance.now() : 0,
    };
    const waiting = this.held.size === 0 ? undefined : this.held.get(chatId);
    if (waiting !== undefined) {
      waiting.push(msg);
      return;
    }
    if (!this.tell(chatId, msg)) this.held.set(chatId, [msg]);
  }

  private retryHeld(): void {
    for (const [chatId, waiting] of this.held) {
      let sent = 0;
      while (sent < waiting.length && this.tell(chatId, waiting[sent] as UpdateReceived)) sent++;
      if (sent === waiting.length) this.held.delete(chatId);
      else waiting.splice(0, sent);
    }
  }

  private tell(chatId: number, msg: UpdateReceived): boolean {
    try {
      this.supervisor.tell(chatId, msg);
      return true;
    } catch (error) {
      if (!(error instanceof MailboxFullError)) throw error;
      this.refusals++;
      return false;
    }
  }
}
