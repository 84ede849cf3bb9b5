import { describe, expect, it } from 'vitest';
import { Backoff, noJitter } from '../../src/runtime/index.js';

describe('Backoff', () => {
  it('doubles its delay up to the cap, each delay between half and all of its step', () => {
    const low = new Backoff({ minMs: 100, maxMs: 1000 }, () => 0);
    const high = new Backoff({ minMs: 100, maxMs: 1000 }, () => 1);
    expect([1, 2, 3, 4, 5, 6].map(() => low.next())).toEqual([50, 100, 200, 400, 500, 500]);
    expect([1, 2, 3, 4, 5, 6].map(() => high.next())).toEqual([100, 200, 400, 800, 1000, 1000]);
  });

  it('takes its jitter from the injected random source', () => {
    const draws = [0.5, 0.25];
    const backoff = new Backoff({ minMs: 400, maxMs: 10_000 }, () => draws.shift() as number);
    expect(backoff.next()).toBe(300);
    expect(backoff.next()).toBe(500);
  });

  it('gives the delay for a failure count kept by the caller, the same as the running count', () => {
    const counted = new Backoff({ minMs: 100, maxMs: 1000 }, () => 1);
    const running = new Backoff({ minMs: 100, maxMs: 1000 }, () => 1);
    expect([1, 2, 3, 4, 5].map((failures) => counted.delayMs(failures))).toEqual(
      [1, 2, 3, 4, 5].map(() => running.next()),
    );
    expect(counted.attempts).toBe(0);
  });

  it('stays at the cap however many failures there were', () => {
    const backoff = new Backoff({ minMs: 1, maxMs: 5000 }, () => 1);
    expect(backoff.delayMs(2000)).toBe(5000);
  });

  it('waits the full step every time without jitter', () => {
    const backoff = new Backoff({ minMs: 100, maxMs: 1000 }, noJitter);
    expect([1, 2, 3, 4, 5].map((failures) => backoff.delayMs(failures))).toEqual([100, 200, 400, 800, 1000]);
  });

  it('starts over after a reset', () => {
    const backoff = new Backoff({ minMs: 10, maxMs: 1000 }, () => 1);
    backoff.next();
    backoff.next();
    expect(backoff.attempts).toBe(2);
    backoff.reset();
    expect(backoff.next()).toBe(10);
  });

  it('rejects a cap below the first delay', () => {
    expect(() => new Backoff({ minMs: 100, maxMs: 50 })).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTION', option: 'maxMs' }),
    );
  });
});
