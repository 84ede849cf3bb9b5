import { Backoff, InvalidOptionError, noJitter, type RandomSource } from '../runtime/index.js';

/** How the supervisor treats a key whose turns keep failing. */
export interface RestartOptions {
  /** Delay before the first restart; doubles with each further failure in the window. */
  minBackoffMs?: number;
  maxBackoffMs?: number;
  /** Failures within `windowMs` that put the key in quarantine. */
  maxFailures?: number;
  windowMs?: number;
  /** How long a quarantined key refuses messages before it is tried again. */
  cooldownMs?: number;
  /**
   * Jitter of the restart delays, so keys that failed together do not all
   * restart at once; default none: each restart waits its full step.
   */
  random?: RandomSource;
}

export class RestartPolicy {
  readonly minBackoffMs: number;
  readonly maxBackoffMs: number;
  readonly maxFailures: number;
  readonly windowMs: number;
  readonly cooldownMs: number;
  private readonly backoff: Backoff;

  constructor(options: RestartOptions = {}) {
    this.minBackoffMs = positive('restart.minBackoffMs', options.minBackoffMs ?? 100);
    this.maxBackoffMs = positive('restart.maxBackoffMs', options.maxBackoffMs ?? 30_000);
    this.maxFailures = positive('restart.maxFailures', options.maxFailures ?? 5);
    this.windowMs = positive('restart.windowMs', options.windowMs ?? 60_000);
    this.cooldownMs = positive('restart.cooldownMs', options.cooldownMs ?? 300_000);
    if (this.maxBackoffMs < this.minBackoffMs) {
      throw new InvalidOptionError(
        'restart.maxBackoffMs',
        'restart.maxBackoffMs must not be below restart.minBackoffMs',
      );
    }
    this.backoff = new Backoff({ minMs: this.minBackoffMs, maxMs: this.maxBackoffMs }, options.random ?? noJitter);
  }

  /**
   * Records a failure at `nowMs` into `failures` (timestamps, pruned to the
   * window) and says what to do: restart after a backoff, or quarantine.
   */
  onFailure(failures: number[], nowMs: number): { quarantine: true } | { quarantine: false; backoffMs: number } {
    failures.push(nowMs);
    while (failures.length > 0 && (failures[0] as number) <= nowMs - this.windowMs) failures.shift();
    if (failures.length >= this.maxFailures) return { quarantine: true };
    return { quarantine: false, backoffMs: this.backoff.delayMs(failures.length) };
  }
}

function positive(name: string, value: number): number {
  if (!(value > 0) || !Number.isFinite(value))
    throw new InvalidOptionError(name, `${name} must be a positive number, got ${value}`);
  return value;
}
