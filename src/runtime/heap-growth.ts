import v8 from 'node:v8';
import { InvalidOptionError } from './errors.js';

/** The most growth {@link setHeapGrowth} accepts: ten times the live heap. */
export const MAX_HEAP_GROWTH_PERCENT = 1000;

/**
 * Sets how far V8 lets the old generation grow past what the last full
 * collection left alive before it collects again: 100 lets it double. 0
 * gives the choice back to V8, which computes it from how fast its
 * collections run against how fast the program promotes objects, between
 * 10% and 300%.
 *
 * V8's choice goes wrong beside busy worker threads: with the embedding pool
 * saturated it chose 10% on a 50 MB heap, so the next incremental marking
 * started as soon as the last one ended, and the main thread spent ~25 ms of
 * every ~70 in marking steps of up to 12 ms (event-loop p99 ~9 ms; with
 * 100%: ~2.5 ms). A fixed factor makes memory predictable instead: the
 * heap stays under (1 + percent/100) × what lives, plus the young generation.
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
