import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { InvalidOptionError, setHeapGrowth } from '../../src/runtime/index.js';
import { childReport } from '../support/child-report.js';

const child = path.join(path.dirname(fileURLToPath(import.meta.url)), 'heap-growth-child.ts');

/** Full collections a fixed workload took in a process whose heap growth was set to `percent`. */
async function fullCollections(percent: number): Promise<number> {
  return (await childReport<{ full: number }>(child, [String(percent)], ['--expose-gc'])).full;
}

describe('setHeapGrowth', () => {
  it('sets how far the heap grows between full collections, for the whole process', async () => {
    const [tight, loose] = await Promise.all([fullCollections(10), fullCollections(300)]);
    // Growth of 10% collects after every few MB promoted, 300% after ~3× the live heap.
    expect(loose).toBeGreaterThan(0);
    expect(tight).toBeGreaterThan(3 * loose);
  }, 120_000);

  it('refuses what is not a whole number of percent from 0 to 1000', () => {
    for (const bad of [-1, 1001, 12.5, Number.NaN]) {
      expect(() => setHeapGrowth(bad), String(bad)).toThrow(InvalidOptionError);
    }
  });
});
