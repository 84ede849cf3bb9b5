import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/runtime/index.js';

describe('ManualClock', () => {
  it('fires due timers in time order as it advances, and none early', async () => {
    const clock = new ManualClock(0);
    const fired: string[] = [];
    clock.setTimer(() => fired.push(`b@${clock.now()}`), 200);
    clock.setTimer(() => fired.push(`a@${clock.now()}`), 100);
    const c = clock.setTimer(() => fired.push('c'), 150);
    clock.clearTimer(c);
    await clock.advance(99);
    expect(fired).toEqual([]);
    await clock.advance(150);
    expect(fired).toEqual(['a@100', 'b@200']);
    expect(clock.now()).toBe(249);
  });

  it('fires timers set by other timers within the same advance', async () => {
    const clock = new ManualClock(0);
    const fired: number[] = [];
    clock.setTimer(() => {
      fired.push(clock.now());
      clock.setTimer(() => fired.push(clock.now()), 10);
    }, 10);
    await clock.advance(25);
    expect(fired).toEqual([10, 20]);
  });
});
