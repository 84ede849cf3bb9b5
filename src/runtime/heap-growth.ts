import v8 from 'node:v8';
import { InvalidOptionError } from './errors.js';

/** The most growth {@link setHeapGrowth} accepts: ten times the live heap. */
export const MAX_HEAP_GROWTH_PERCENT = 1000;

/**
 * Sets how far V8 lets the old generation grow past what the last full
 * collection left alive before it collects again: 100 lets it double. 0
 * gives the choice back to V8, which computes it from how fast its
 * collections run against how fast the program promotes objects (from
 * about 10% to 300%).
 *
 * V8's choice goes wrong beside busy worker threads: with the embedding pool
 * saturated it let a 50 MB heap grow by only about 10%, so marking began
 * again soon after the last cycle ended, and the main thread spent ~25 ms of
 * every ~70 in marking steps of up to 12 ms (event-loop p99 7.6–9.1 ms; with
 * 100%: 1.7–2.9 ms). A fixed factor makes memory predictable too: the old
 * generation stays under (1 + percent/100) × what lives.
 *
 * It is a V8 flag, so it holds for the whole process, worker threads
 * included, from the next collection on.
 */
export function setHeapGrowth(percent: number): void {
  if (!Number.isInteger(percent) || percent < 0 || percent > MAX_HEAP_GROWTH_PERCENT) {
    throw new InvalidOptionError(
      'heapGrowthPercent',
      `heap growth must be a whole number of percent from 0 to ${MAX_HEAP_GROWTH_PERCENT}, got ${percent}`,
    );
  }
  v8.setFlagsFromString(`--heap-growing-percent=${percent}`);
}
