import {
  Backoff,
  InvalidOptionError,
  MailboxFullError,
  noJitter,
  ShuttingDownError,
  type Clock,
  type Logger,
  type MetricsRegistry,
} from '../runtime/index.js';
import type { OffsetTracker } from './offset-tracker.js';
import type { UpdateRouter } from './update-router.js';
import { ALLOWED_UPDATES } from './update-schema.js';

/** The one Bot API call polling needs (grammY's `Api` has it). */
export interface PollingApi {
  getUpdates(
    other?: {
      offset?: number;
      limit?: number;
      timeout?: number;
      allowed_updates?: ReadonlyArray<(typeof ALLOWED_UPDATES)[number]>;
    },
    signal?: AbortSignal,
  ): Promise<readonly unknown[]>;
}

export interface LongPollingOptions {
  api: PollingApi;
  router: UpdateRouter;
  tracker: OffsetTracker;
  clock: Clock;
  metrics: MetricsRegistry;
  logger?: Logger;
  /** Updates per getUpdates call (Telegram allows 1–100). */
  limit?: number;
  /** Long-poll wait in seconds. */
  timeoutS?: number;
  /** Wait before retrying a chat whose mailbox is full. */
  backpressureMs?: number;
  /** First and largest wait after a failed getUpdates. */
  retryMinMs?: number;
  retryMaxMs?: number;
}

/**
 * Long polling that never confirms an update before it is finished.
 *
 * grammY's `bot.start()` and `@grammyjs/runner` confirm a batch as soon as
 * they fetch the next one, so a crash loses whatever was being handled. Here
 * every getUpdates call passes the tracker's confirmable offset (the lowest
 * unfinished update), and the next batch is fetched while actors work on the
 * current one. Because Telegram answers from that offset, the reply repeats
 * updates still in flight: those are skipped. When the in-flight window fills
 * a whole batch, polling waits for the offset to move instead of spinning.
 */
export class LongPolling {
  private controller: AbortController | null = null;
  private loop: Promise<void> | null = null;
  private readonly limit: number;
  private readonly timeoutS: number;
  private readonly backpressureMs: number;
  private readonly retryBackoff: Backoff;
  private readonly polls;
  private readonly pollFailures;
  private readonly backpressureWaits;
  private readonly pollLatency;
  private lastError: string | null = null;

  constructor(private readonly options: LongPollingOptions) {
    this.limit = options.limit ?? 100;
    this.timeoutS = options.timeoutS ?? 30;
    this.backpressureMs = options.backpressureMs ?? 50;
    if (!Number.isInteger(this.limit) || this.limit < 1 || this.limit > 100)
      throw new InvalidOptionError('limit', `limit must be 1–100, got ${this.limit}`);
    if (!Number.isInteger(this.timeoutS) || this.timeoutS < 0)
      throw new InvalidOptionError('timeoutS', `timeoutS must be a non-negative integer, got ${this.timeoutS}`);
    const retryMinMs = options.retryMinMs ?? 500;
    const retryMaxMs = options.retryMaxMs ?? 30_000;
    if (!(retryMinMs > 0)) throw new InvalidOptionError('retryMinMs', `retryMinMs must be positive, got ${retryMinMs}`);
    if (!(retryMaxMs >= retryMinMs))
      throw new InvalidOptionError('retryMaxMs', 'retryMaxMs must not be below retryMinMs');
    // Telegram allows one poller per bot, so there is nothing to spread: each wait is the full step.
    this.retryBackoff = new Backoff({ minMs: retryMinMs, maxMs: retryMaxMs }, noJitter);
    const m = options.metrics;
    this.polls = m.counter('lekha_telegram_polls_total', 'getUpdates calls');
    this.pollFailures = m.counter('lekha_telegram_poll_failures_total', 'getUpdates calls that failed');
    this.backpressureWaits = m.counter(
      'lekha_telegram_backpressure_waits_total',
      'Waits because a chat mailbox was full',
    );
    this.pollLatency = m.histogram(
      'lekha_telegram_poll_ms',
      'getUpdates round trip, the long-poll wait included: near timeoutS when idle, short when updates are flowing',
    );
  }

  get running(): boolean {
    return this.controller !== null;
  }

  /** The last getUpdates failure, or null once a call succeeded again. */
  get error(): string | null {
    return this.lastError;
  }

  start(): void {
    if (this.loop !== null) return;
    this.controller = new AbortController();
    this.loop = this.run(this.controller.signal);
  }

  /** Stops fetching; an update being handed over finishes first. */
  async stop(): Promise<void> {
    this.controller?.abort();
    this.controller = null;
    await this.loop;
    this.loop = null;
  }

  /**
   * Tells Telegram to forget every finished update. Call after the runtime
   * has drained and persisted, so a restart is not handed them again.
   */
  async confirmFinished(): Promise<void> {
    const offset = this.options.tracker.confirmableOffset;
    if (offset === undefined) return;
    await this.options.api.getUpdates({ offset, limit: 1, timeout: 0, allowed_updates: ALLOWED_UPDATES });
  }

  private async run(signal: AbortSignal): Promise<void> {
    const { api, tracker, logger } = this.options;
    let failures = 0;
    while (!signal.aborted) {
      if (tracker.inFlight >= this.limit) {
        await this.until(tracker.progress(), signal);
        continue;
      }
      let updates: readonly unknown[];
      const offset = tracker.confirmableOffset;
      const startedMs = this.options.clock.now();
      try {
        this.polls.inc();
        updates = await api.getUpdates(
          {
            ...(offset === undefined ? {} : { offset }),
            limit: this.limit,
            timeout: this.timeoutS,
            allowed_updates: ALLOWED_UPDATES,
          },
          signal,
        );
        this.pollLatency.recordMs(this.options.clock.now() - startedMs);
        failures = 0;
        this.lastError = null;
      } catch (error) {
        if (signal.aborted) break;
        this.pollFailures.inc();
        failures++;
        this.lastError = error instanceof Error ? error.message : String(error);
        const waitMs = this.retryBackoff.delayMs(failures);
        logger?.warn({ err: error, failures, waitMs }, 'getUpdates failed; retrying');
        await this.sleep(waitMs, signal);
        continue;
      }
      let fresh = 0;
      for (const raw of updates) {
        const id = (raw as { update_id?: unknown } | null)?.update_id;
        if (typeof id === 'number' && id <= tracker.highest) continue; // still in flight from an earlier batch
        if (!(await this.handOver(raw, signal))) return;
        fresh++;
      }
      // Everything returned was already in flight, so Telegram answered at once: wait for
      // progress, unless it came while the call was out (then no further progress may come).
      if (updates.length > 0 && fresh === 0 && tracker.confirmableOffset === offset)
        await this.until(tracker.progress(), signal);
    }
  }

  /** Hands one update over, waiting out full mailboxes. False when stopping. */
  private async handOver(raw: unknown, signal: AbortSignal): Promise<boolean> {
    for (;;) {
      try {
        this.options.router.dispatch(raw);
        return true;
      } catch (error) {
        if (error instanceof MailboxFullError) {
          // Backpressure: the chat is behind. Later updates wait too, so per-chat order holds.
          this.backpressureWaits.inc();
          await this.sleep(this.backpressureMs, signal);
          if (signal.aborted) return false;
          continue;
        }
        if (error instanceof ShuttingDownError) return false;
        // Not a refusal we know: keep the update (dropping it would lose it) and say so loudly.
        this.options.logger?.error({ err: error }, 'handing an update over failed; retrying');
        await this.sleep(this.retryBackoff.minMs, signal);
        if (signal.aborted) return false;
      }
    }
  }

  private sleep(ms: number, signal: AbortSignal): Promise<void> {
    return this.until(new Promise<void>((resolve) => this.options.clock.setTimer(resolve, ms)), signal);
  }

  private until(promise: Promise<void>, signal: AbortSignal): Promise<void> {
    if (signal.aborted) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const onAbort = (): void => resolve();
      signal.addEventListener('abort', onAbort, { once: true });
      void promise.then(() => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      });
    });
  }
}
