import { InvalidOptionError } from '../runtime/index.js';

/**
 * A budget that refills continuously: `perMinute` units, spread over the
 * minute. Groq meters requests and tokens per minute this way. A request may
 * reserve more than it ends up using and give the difference back.
 *
 * Hand-written (a dozen lines): the gateway needs "how long until N units
 * are free" to decide between waiting and answering offline, which the
 * rate-limit libraries at hand do not expose.
 */
export class TokenBucket {
  private tokens: number;
  private updatedMs: number;
  private readonly perMs: number;

  constructor(
    readonly perMinute: number,
    nowMs: number,
  ) {
    if (!(perMinute > 0)) throw new InvalidOptionError('perMinute', `perMinute must be positive, got ${perMinute}`);
    this.tokens = perMinute;
    this.updatedMs = nowMs;
    this.perMs = perMinute / 60_000;
  }

  /**
   * Takes `amount` units and returns 0, or takes nothing and returns how many
   * ms until they are there. An amount above the whole budget waits for a full bucket.
   */
  take(amount: number, nowMs: number): number {
    this.refill(nowMs);
    const need = Math.min(amount, this.perMinute);
    if (this.tokens >= need) {
      this.tokens -= need;
      return 0;
    }
    return Math.ceil((need - this.tokens) / this.perMs);
  }

  /** Gives back (positive) or charges extra (negative) units after the fact. */
  adjust(amount: number, nowMs: number): void {
    this.refill(nowMs);
    this.tokens = Math.min(this.perMinute, this.tokens + amount);
  }

  available(nowMs: number): number {
    this.refill(nowMs);
    return this.tokens;
  }

  private refill(nowMs: number): void {
    const elapsed = nowMs - this.updatedMs;
    if (elapsed <= 0) return;
    this.tokens = Math.min(this.perMinute, this.tokens + elapsed * this.perMs);
    this.updatedMs = nowMs;
  }
}
