import { performance } from 'node:perf_hooks';

/**
 * Tells a long synchronous loop (an idle sweep, a shutdown's persists, a
 * write-behind cycle's encoding) when it has held the event loop long
 * enough: call `spent()` after each step and, when it answers true,
 * `await next()`, which lets turns, timers and I/O run before the next
 * slice starts. A loop that yields this way never stalls the process for
 * more than about one slice, however many steps it has.
 */
export class TimeSlice {
  private startedMs = performance.now();
  private steps = 0;

  constructor(
    /** How long one slice may run. */
    private readonly ms: number,
    /** Steps a slice holds at least, so that a short loop ends in one go. */
    private readonly minSteps = 1,
  ) {}

  /** Counts a step; true once this slice has run `ms` and held at least `minSteps` steps. */
  spent(): boolean {
    return ++this.steps >= this.minSteps && performance.now() - this.startedMs >= this.ms;
  }

  /** Yields to the event loop, then starts a new slice. */
  async next(): Promise<void> {
    await new Promise<void>((resolve) => setImmediate(resolve));
    this.startedMs = performance.now();
    this.steps = 0;
  }
}
