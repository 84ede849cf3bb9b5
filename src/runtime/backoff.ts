import { InvalidOptionError } from './errors.js';

export interface BackoffOptions {
  /** First delay. */
  minMs?: number;
  /** Delays double up to this. */
  maxMs?: number;
}

/** A number in [0, 1), like `Math.random`; tests pass a fixed one so delays are known. */
export type RandomSource = () => number;

/** Draws 1 every time, putting every delay at the top of its jitter range: the full step, no jitter. */
export const noJitter: RandomSource = () => 1;

/**
 * Exponential backoff with jitter, the one used for every retry: snapshot
 * and append flushes, model calls, Telegram sends and actor restarts.
 * Hand-written rather than taken from a retry library because the delay is
 * scheduled on the runtime's injectable `Clock` (tests drive it with
 * `ManualClock`), the random source is injected too, and callers count their
 * failures in different ways: `next`/`reset` keep the count here, `delayMs`
 * takes it from the caller (attempts of one request, failures in a window).
 */
export class Backoff {
  readonly minMs: number;
  readonly maxMs: number;
  private failures = 0;

  constructor(
    options: BackoffOptions = {},
    private readonly random: RandomSource = Math.random,
  ) {
    this.minMs = options.minMs ?? 100;
    this.maxMs = options.maxMs ?? 30_000;
    if (!(this.minMs > 0)) throw new InvalidOptionError('minMs', `backoff minMs must be positive, got ${this.minMs}`);
    if (!(this.maxMs >= this.minMs)) throw new InvalidOptionError('maxMs', 'backoff maxMs must not be below minMs');
  }

  /** Consecutive failures so far. */
  get attempts(): number {
    return this.failures;
  }

  /** Records a failure and returns the delay before the next attempt (see `delayMs`). */
  next(): number {
    this.failures++;
    return this.delayMs(this.failures);
  }

  /**
   * The delay after the `failures`-th failure in a row (1 for the first):
   * between half and all of `minMs × 2^(failures − 1)`, capped at `maxMs`.
   */
  delayMs(failures: number): number {
    const step = Math.min(this.maxMs, this.minMs * 2 ** (failures - 1));
    return step / 2 + (step / 2) * this.random();
  }

  reset(): void {
    this.failures = 0;
  }
}
