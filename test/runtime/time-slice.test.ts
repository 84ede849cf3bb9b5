import { describe, expect, it } from 'vitest';
import { TimeSlice } from '../../src/runtime/index.js';

describe('TimeSlice', () => {
  it('is spent only once it has held its least number of steps, and starts counting again after a yield', async () => {
    const slice = new TimeSlice(0, 3);
    expect([slice.spent(), slice.spent(), slice.spent()]).toEqual([false, false, true]);
    let ranMeanwhile = false;
    setImmediate(() => (ranMeanwhile = true));
    await slice.next();
    expect(ranMeanwhile).toBe(true);
    expect([slice.spent(), slice.spent(), slice.spent()]).toEqual([false, false, true]);
  });

  it('is not spent before its time has run, however many steps it held', () => {
    const slice = new TimeSlice(60_000);
    for (let i = 0; i < 1000; i++) expect(slice.spent()).toBe(false);
  });
});
