export interface BackoffOptions {
  /** First delay. */
  minMs?: number;
  /** Delays double up to this. */
  maxMs?: number;
}

/**
 * Exponential backoff with jitter for background retries. Hand-written
 * rather than taken from a retry library because the delay is scheduled on
 * the runtime's injectable `Clock` (tests drive it with `ManualClock`) and
 * the retried work is a loop that picks up new rows each attempt, not one
 * call to repeat.
 */
export class Backoff {
  readonly minMs: number;
  readonly maxMs: number;
  private failures = 0;

  constructor(options: BackoffOptions = {}, private readonly random: () => number = Math.random) {
    this.minMs = options.minMs ?? 100;
    this.maxMs = options.maxMs ?? 30_000;
    if (!(this.minMs > 0)) throw new RangeError(`backoff minMs must be positive, got ${this.minMs}`);
    if (!(this.maxMs >= this.minMs)) throw new RangeError('backoff maxMs must not be below minMs');
  }

  /** Consecutive failures so far. */
  get attempts(): number {
    return this.failures;
  }

  /** Records a failure and returns the delay before the next attempt: between half and all of the capped exponential step. */
  next(): number {
    const step = Math.min(this.maxMs, this.minMs * 2 ** Math.min(this.failures, 30));
    this.failures++;
    return step / 2 + (step / 2) * this.random();
  }

  reset(): void {
    this.failures = 0;
  }
}
