import { InvalidOptionError } from './errors.js';

export type BreakerState = 'closed' | 'open' | 'half-open';

export interface CircuitBreakerOptions {
  /** Consecutive failures that open the breaker. */
  failureThreshold?: number;
  /** How long it stays open before letting requests probe again. */
  cooldownMs?: number;
}

/**
 * Stops calling a failing upstream for a while, so replies fall back to the
 * offline responder at once instead of each waiting out timeouts and retries.
 * Closed → (N consecutive failures) → open → (cooldown) → half-open: the next
 * outcome decides (success closes, failure re-opens).
 *
 * Hand-written: a state machine this small, driven by the runtime's clock so
 * tests control time, is clearer than adapting a library that owns timers.
 */
export class CircuitBreaker {
  private current: BreakerState = 'closed';
  private failures = 0;
  private openedAtMs = 0;
  private opens = 0;
  readonly failureThreshold: number;
  readonly cooldownMs: number;

  constructor(options: CircuitBreakerOptions = {}) {
    this.failureThreshold = options.failureThreshold ?? 5;
    this.cooldownMs = options.cooldownMs ?? 30_000;
    if (!Number.isInteger(this.failureThreshold) || this.failureThreshold < 1)
      throw new InvalidOptionError('failureThreshold', 'failureThreshold must be a positive integer');
    if (!(this.cooldownMs > 0)) throw new InvalidOptionError('cooldownMs', 'cooldownMs must be positive');
  }

  /** True when a request may be made now. */
  allows(nowMs: number): boolean {
    if (this.current === 'open' && nowMs - this.openedAtMs >= this.cooldownMs) this.current = 'half-open';
    return this.current !== 'open';
  }

  state(nowMs: number): BreakerState {
    this.allows(nowMs);
    return this.current;
  }

  /** Times the breaker has opened. */
  get openings(): number {
    return this.opens;
  }

  success(): void {
    this.current = 'closed';
    this.failures = 0;
  }

  failure(nowMs: number): void {
    this.failures++;
    if (this.current === 'half-open' || (this.current === 'closed' && this.failures >= this.failureThreshold)) {
      this.current = 'open';
      this.openedAtMs = nowMs;
      this.opens++;
    }
  }
}
