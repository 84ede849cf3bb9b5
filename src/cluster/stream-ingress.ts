import {
  Backoff,
  type BackoffOptions,
  type Clock,
  type Counter,
  InvalidOptionError,
  type Logger,
  type MetricsRegistry,
  SystemClock,
  type TimerHandle,
} from '../runtime/index.js';
import type { StreamAppend, StreamLog } from './cluster-ports.js';
import { StreamIngressClosedError } from './stream-errors.js';

export interface StreamIngressOptions {
  log: StreamLog;
  metrics: MetricsRegistry;
  logger?: Logger;
  /** Most updates in one append. */
  maxBatch?: number;
  /**
   * An append not acknowledged by then counts as failed and is retried (a
   * Redis client can leave a command unanswered when its connection drops).
   */
  appendTimeoutMs?: number;
  /** Delays between attempts while appends fail. */
  backoff?: BackoffOptions;
  clock?: Clock;
}

interface Waiting {
  readonly item: StreamAppend;
  resolve(): void;
  reject(error: unknown): void;
}

/**
 * The leader's side of the streams: every update `add`ed in one turn of the
 * event loop goes to Redis in one pipelined append, and each `add` resolves
 * once its batch is acknowledged — only then may the Telegram offset move
 * past it. One append is in flight at a time and a failed batch is retried
 * (with backoff) before anything after it, so the updates of a partition
 * enter its stream in the order they were added. A retried batch may land
 * twice, partly or wholly; the runtime skips an update it has seen. An append that
 * times out is retried while it may still land, so a batch can even land
 * again after later ones; the first copy of each update is in order.
 */
export class StreamIngress {
  private readonly log: StreamLog;
  private readonly logger: Logger | undefined;
  private readonly clock: Clock;
  private readonly maxBatch: number;
  private readonly appendTimeoutMs: number;
  private readonly backoff: Backoff;
  private readonly failures: Counter;
  private readonly queue: Waiting[] = [];
  private scheduled = false;
  private flushing: Promise<void> | null = null;
  private retryTimer: TimerHandle | null = null;
  private closed = false;

  constructor(options: StreamIngressOptions) {
    this.maxBatch = options.maxBatch ?? 500;
    if (!Number.isInteger(this.maxBatch) || this.maxBatch < 1) {
      throw new InvalidOptionError('maxBatch', `maxBatch must be a positive integer, got ${this.maxBatch}`);
    }
    this.appendTimeoutMs = options.appendTimeoutMs ?? 5000;
    if (!(this.appendTimeoutMs > 0)) {
      throw new InvalidOptionError('appendTimeoutMs', `appendTimeoutMs must be positive, got ${this.appendTimeoutMs}`);
    }
    this.log = options.log;
    this.logger = options.logger;
    this.clock = options.clock ?? new SystemClock();
    this.backoff = new Backoff({ minMs: 50, maxMs: 2000, ...options.backoff });
    this.failures = options.metrics.counter(
      'lekha_stream_append_failures_total',
      'Appends to the partition streams that failed (retried until they succeed or the ingress closes)',
    );
  }

  /** Updates added and not yet acknowledged by Redis. */
  get pending(): number {
    return this.queue.length;
  }

  /** Appends the update to its partition's stream; resolves once Redis acknowledged it. */
  add(item: StreamAppend): Promise<void> {
    if (this.closed) return Promise.reject(new StreamIngressClosedError());
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.schedule();
    });
  }

  /**
   * Stops appending: waits for an append in flight, then rejects every
   * update not appended with `StreamIngressClosedError`.
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.retryTimer !== null) this.clock.clearTimer(this.retryTimer);
    this.retryTimer = null;
    await this.flushing;
    const error = new StreamIngressClosedError();
    for (const waiting of this.queue.splice(0)) waiting.reject(error);
  }

  private schedule(): void {
    if (this.scheduled || this.flushing !== null || this.retryTimer !== null || this.closed) return;
    this.scheduled = true;
    // After the current turn, so every update added in it joins the batch.
    setImmediate(() => {
      this.scheduled = false;
      this.flush();
    });
  }

  private flush(): void {
    if (this.closed || this.queue.length === 0) return;
    const batch = this.queue.slice(0, this.maxBatch);
    this.flushing = this.appendBatch(batch).finally(() => {
      this.flushing = null;
      if (this.queue.length > 0 && this.retryTimer === null) this.schedule();
    });
  }

  private appendInTime(items: StreamAppend[]): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const timer = this.clock.setTimer(
        () => reject(new Error(`the stream append was not acknowledged within ${this.appendTimeoutMs} ms`)),
        this.appendTimeoutMs,
      );
      this.log.append(items).then(
        () => {
          this.clock.clearTimer(timer);
          resolve();
        },
        (error: unknown) => {
          this.clock.clearTimer(timer);
          reject(error);
        },
      );
    });
  }

  private async appendBatch(batch: Waiting[]): Promise<void> {
    try {
      await this.appendInTime(batch.map((w) => w.item));
    } catch (error) {
      this.failures.inc();
      if (this.closed) return;
      const delayMs = this.backoff.next();
      if (this.backoff.attempts === 1 || this.backoff.attempts % 10 === 0) {
        this.logger?.warn(
          { err: error, updates: batch.length, attempts: this.backoff.attempts, retryInMs: Math.round(delayMs) },
          'appending updates to the partition streams failed; retrying',
        );
      }
      this.retryTimer = this.clock.setTimer(() => {
        this.retryTimer = null;
        this.flush();
      }, delayMs);
      return;
    }
    if (this.backoff.attempts > 0) this.logger?.info({ attempts: this.backoff.attempts }, 'stream appends recovered');
    this.backoff.reset();
    // The batch is the head of the queue: nothing else takes from it while an append is in flight.
    this.queue.splice(0, batch.length);
    for (const waiting of batch) waiting.resolve();
  }
}
