import type { Counter, Histogram, MetricsRegistry } from '../runtime/index.js';

/** What the Telegram sender counts and shows; the gauge reads the sender's queue at collection time. */
export class TelegramSenderMetrics {
  readonly sent: Counter;
  readonly failed: Counter;
  readonly retried: Counter;
  readonly floodWaits: Counter;
  readonly overflowed: Counter;
  readonly typingSent: Counter;
  readonly typingDropped: Counter;
  readonly latency: Histogram;

  constructor(metrics: MetricsRegistry, read: { queued(): number }) {
    this.sent = metrics.counter('lekha_telegram_messages_sent_total', 'Messages sent to Telegram');
    this.failed = metrics.counter(
      'lekha_telegram_send_failures_total',
      'Replies given up (refused by Telegram or retries exhausted)',
    );
    this.retried = metrics.counter('lekha_telegram_send_retries_total', 'Sends retried after a 5xx or network error');
    this.floodWaits = metrics.counter('lekha_telegram_flood_waits_total', '429 answers that paused a queue');
    this.overflowed = metrics.counter(
      'lekha_telegram_egress_overflow_total',
      'Replies refused because a send queue was full',
    );
    this.typingSent = metrics.counter('lekha_telegram_typing_sent_total', 'Typing indicators sent');
    this.typingDropped = metrics.counter(
      'lekha_telegram_typing_dropped_total',
      'Typing indicators skipped for lack of rate budget',
    );
    this.latency = metrics.histogram(
      'lekha_telegram_send_latency_ms',
      'From queueing a reply to its last part being sent',
    );
    metrics.gauge('lekha_telegram_egress_queued', 'Message parts waiting to be sent', read.queued);
  }
}
