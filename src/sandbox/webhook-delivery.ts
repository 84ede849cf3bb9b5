import type { Update } from 'grammy/types';
import type { Clock, TimerHandle } from '../runtime/index.js';
import type { UpdateQueue } from './update-queue.js';

/** A webhook as set with setWebhook. */
export interface Webhook {
  url: string;
  secret: string | undefined;
  maxConnections: number;
}

/** How long a failed delivery waits before the pending updates are posted again. */
const RETRY_MS = 500;

/**
 * Posts the queue's pending updates to the webhook: several at once (up to
 * `max_connections`), but one at a time per chat. A 2xx answer confirms an
 * update; anything else leaves it pending and retries after a pause on
 * `clock`, as Telegram keeps an update until the bot takes it.
 */
export class WebhookDelivery {
  /** Updates posted to the webhook (retries count again). */
  deliveries = 0;
  private webhook: Webhook | null = null;
  private readonly inFlight = new Set<number>();
  private readonly busyChats = new Set<number>();
  private retry: TimerHandle | null = null;
  private closed = false;

  constructor(
    private readonly queue: UpdateQueue,
    private readonly clock: Clock,
  ) {}

  /** The webhook set, or null while the bot polls. */
  get current(): Webhook | null {
    return this.webhook;
  }

  /** Sets (or, with null, removes) the webhook, and posts what is pending to a new one. */
  set(webhook: Webhook | null): void {
    this.webhook = webhook;
    this.deliver();
  }

  /** Posts every pending update that may go now. */
  deliver(): void {
    const webhook = this.webhook;
    if (webhook === null || this.closed) return;
    for (const update of this.queue.unconfirmed()) {
      if (this.inFlight.size >= webhook.maxConnections) break;
      if (this.inFlight.has(update.update_id)) continue;
      const chatId = chatIdOf(update);
      if (chatId !== undefined && this.busyChats.has(chatId)) continue;
      this.inFlight.add(update.update_id);
      if (chatId !== undefined) this.busyChats.add(chatId);
      this.deliveries++;
      void post(webhook, update).then((ok) => {
        this.inFlight.delete(update.update_id);
        if (chatId !== undefined) this.busyChats.delete(chatId);
        if (ok) {
          this.queue.confirm(update.update_id);
          this.deliver();
        } else {
          this.retry ??= this.clock.setTimer(() => {
            this.retry = null;
            this.deliver();
          }, RETRY_MS);
        }
      });
    }
  }

  close(): void {
    this.closed = true;
    if (this.retry !== null) this.clock.clearTimer(this.retry);
    this.retry = null;
  }
}

async function post(webhook: Webhook, update: Update): Promise<boolean> {
  try {
    const response = await fetch(webhook.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(webhook.secret === undefined ? {} : { 'x-telegram-bot-api-secret-token': webhook.secret }),
      },
      body: JSON.stringify(update),
      signal: AbortSignal.timeout(60_000),
    });
    await response.arrayBuffer();
    return response.ok;
  } catch {
    // The bot is down or slow: Telegram keeps the update and tries again, and so do we.
    return false;
  }
}

function chatIdOf(update: Update): number | undefined {
  const carrier = (update as { message?: { chat?: { id?: unknown } } }).message;
  return typeof carrier?.chat?.id === 'number' ? carrier.chat.id : undefined;
}
