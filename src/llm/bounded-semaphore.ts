import { InvalidOptionError } from '../runtime/index.js';

/**
 * Caps concurrent model calls. Waiters queue in order up to `maxWaiting`;
 * beyond that `acquire` answers false at once, so a traffic spike turns into
 * offline replies rather than an unbounded queue (p-limit, the usual choice,
 * queues without bound).
 */
export class BoundedSemaphore {
  private active = 0;
  private readonly waiting: Array<(granted: boolean) => void> = [];

  constructor(
    readonly limit: number,
    readonly maxWaiting: number,
  ) {
    if (!Number.isInteger(limit) || limit < 1)
      throw new InvalidOptionError('limit', `limit must be a positive integer, got ${limit}`);
    if (!Number.isInteger(maxWaiting) || maxWaiting < 0)
      throw new InvalidOptionError('maxWaiting', `maxWaiting must be a non-negative integer, got ${maxWaiting}`);
  }

  get inUse(): number {
    return this.active;
  }

  get queued(): number {
    return this.waiting.length;
  }

  /** Resolves true with a slot held (call `release` once), or false when the queue is full or `signal` aborts. */
  acquire(signal?: AbortSignal): Promise<boolean> {
    if (this.active < this.limit) {
      this.active++;
      return Promise.resolve(true);
    }
    if (this.waiting.length >= this.maxWaiting || signal?.aborted === true) return Promise.resolve(false);
    return new Promise<boolean>((resolve) => {
      const waiter = (granted: boolean): void => {
        signal?.removeEventListener('abort', onAbort);
        resolve(granted);
      };
      const onAbort = (): void => {
        const i = this.waiting.indexOf(waiter);
        if (i >= 0) this.waiting.splice(i, 1);
        resolve(false);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiting.push(waiter);
    });
  }

  release(): void {
    const next = this.waiting.shift();
    if (next === undefined) this.active--;
    else next(true);
  }
}
