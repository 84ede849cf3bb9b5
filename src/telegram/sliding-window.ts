import { InvalidOptionError } from '../runtime/index.js';

/**
 * At most `limit` events in any `windowMs`: Telegram states its limits this
 * way ("20 messages per minute in a group"), and a token bucket would let
 * twice that through across a window boundary. Keeps the last `limit` event
 * times in a ring, so it costs `limit` numbers per active chat.
 *
 * Hand-written: the rate-limit libraries we have (bottleneck via the grammY
 * throttler) own their queues and timers, while the sender needs only the
 * answer "when may the next one go", to schedule many chats off one loop.
 */
export class SlidingWindow {
  private readonly times: number[] = [];
  private next = 0;

  constructor(
    readonly limit: number,
    readonly windowMs: number,
  ) {
    if (!Number.isInteger(limit) || limit < 1)
      throw new InvalidOptionError('limit', `limit must be a positive integer, got ${limit}`);
    if (!(windowMs > 0)) throw new InvalidOptionError('windowMs', `windowMs must be positive, got ${windowMs}`);
  }

  /** The earliest time (ms) at which one more event fits; `nowMs` when it fits now. */
  nextAllowedAt(nowMs: number): number {
    if (this.times.length < this.limit) return nowMs;
    const oldest = this.times[this.next] as number;
    return Math.max(nowMs, oldest + this.windowMs);
  }

  record(nowMs: number): void {
    if (this.times.length < this.limit) {
      this.times.push(nowMs);
      return;
    }
    this.times[this.next] = nowMs;
    this.next = (this.next + 1) % this.limit;
  }

  /** True when the window holds nothing that still limits anyone (safe to forget). */
  isClear(nowMs: number): boolean {
    if (this.times.length === 0) return true;
    const newest = this.times[(this.next + this.times.length - 1) % this.times.length] as number;
    return newest + this.windowMs <= nowMs;
  }
}
