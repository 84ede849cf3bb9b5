import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Update } from 'grammy/types';

/** Telegram supergroup ids look like -100xxxxxxxxxx: too large for a small integer, as in production. */
const firstChatId = -1_001_000_000_000;

/**
 * What a Telegram ingress sees: updates in order, each becoming available at
 * a set offset from the start (all at once for a backlog, at a steady rate for
 * paced load). Both the Lekha ingress and the grammY runner's source read the
 * same feed the same way: `await arrival()`, then `take(100)` — the most one
 * `getUpdates` call returns.
 *
 * One reader at a time: `start()` rewinds it.
 */
export class UpdateFeed {
  private next = 0;
  private startedAtMs = 0;

  private constructor(
    readonly length: number,
    private readonly updateAt: (index: number) => Update,
    private readonly offsetMs: (index: number) => number,
  ) {}

  /** The chat id of the chat ranked `rank` (0 is the busiest). */
  static chatId(rank: number): number {
    return firstChatId - rank;
  }

  /**
   * One update per chat rank, built once and reused by the feeds below, so a
   * measurement is routing, not building test data.
   */
  static chatUpdates(chats: number): Update[] {
    const out = new Array<Update>(chats);
    for (let rank = 0; rank < chats; rank++) out[rank] = groupUpdate(UpdateFeed.chatId(rank), rank);
    return out;
  }

  /** `order.length` updates, all waiting at the start; the i-th is `perChat[order[i]]`. */
  static backlog(perChat: readonly Update[], order: Int32Array): UpdateFeed {
    return new UpdateFeed(
      order.length,
      (i) => perChat[order[i] as number] as Update,
      () => 0,
    );
  }

  /** Like {@link UpdateFeed.backlog}, but the i-th update arrives at `i / ratePerS` seconds. */
  static paced(perChat: readonly Update[], order: Int32Array, ratePerS: number): UpdateFeed {
    const intervalMs = 1000 / ratePerS;
    return new UpdateFeed(
      order.length,
      (i) => perChat[order[i] as number] as Update,
      (i) => i * intervalMs,
    );
  }

  /**
   * One chat sends `hotCount` updates at `hotRatePerS` while `coldChats` other
   * chats send one update each, spread evenly over the same span. Update ids
   * are the positions in the feed, so a handler can look up when its update
   * arrived with {@link UpdateFeed.arrivedAtMs}.
   */
  static flood(options: { hotCount: number; hotRatePerS: number; coldChats: number }): {
    feed: UpdateFeed;
    hotChatId: number;
  } {
    const hotChatId = UpdateFeed.chatId(0);
    const spanMs = (options.hotCount * 1000) / options.hotRatePerS;
    const arrivals: Array<{ chatId: number; atMs: number }> = [];
    for (let i = 0; i < options.hotCount; i++)
      arrivals.push({ chatId: hotChatId, atMs: (i * 1000) / options.hotRatePerS });
    for (let i = 0; i < options.coldChats; i++) {
      arrivals.push({ chatId: UpdateFeed.chatId(i + 1), atMs: ((i + 0.5) * spanMs) / options.coldChats });
    }
    arrivals.sort((a, b) => a.atMs - b.atMs);
    const updates = arrivals.map((a, i) => groupUpdate(a.chatId, i));
    const offsets = Float64Array.from(arrivals, (a) => a.atMs);
    return {
      feed: new UpdateFeed(
        updates.length,
        (i) => updates[i] as Update,
        (i) => offsets[i] as number,
      ),
      hotChatId,
    };
  }

  /** Rewinds the feed; arrival offsets count from now. */
  start(): void {
    this.next = 0;
    this.startedAtMs = performance.now();
  }

  get exhausted(): boolean {
    return this.next >= this.length;
  }

  /** When the update at `index` became available, on the `performance.now()` scale. */
  arrivedAtMs(index: number): number {
    return this.startedAtMs + this.offsetMs(index);
  }

  /**
   * Resolves on the first event-loop turn at which an update is available
   * (like a long poll returning). Polls with setImmediate rather than a timer
   * so arrivals are seen within microseconds, not a timer's millisecond.
   */
  async arrival(): Promise<void> {
    do {
      await nextTurn();
    } while (!this.exhausted && this.arrivedAtMs(this.next) > performance.now());
  }

  /** Up to `limit` of the updates available now, oldest first. */
  take(limit: number): Update[] {
    const now = performance.now();
    const out: Update[] = [];
    while (out.length < limit && this.next < this.length && this.arrivedAtMs(this.next) <= now) {
      out.push(this.updateAt(this.next++));
    }
    return out;
  }
}

function groupUpdate(chatId: number, updateId: number): Update {
  return {
    update_id: updateId,
    message: {
      message_id: updateId + 1,
      date: 1_700_000_000,
      chat: { id: chatId, type: 'supergroup', title: `chat ${chatId}` },
      from: { id: 10_000 + (updateId % 1000), is_bot: false, first_name: 'Member' },
      text: 'привет',
    },
  };
}
