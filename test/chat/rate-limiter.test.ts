import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fullBucket, msUntilToken, type RateLimit, type RateVerdict, takeToken } from '../../src/chat/rate-limiter.js';

const limitArb = fc.record({
  capacity: fc.integer({ min: 1, max: 20 }),
  refillPerMinute: fc.double({ min: 0.5, max: 120, noNaN: true }),
});
const gapsArb = fc.array(fc.integer({ min: 0, max: 120_000 }), { minLength: 1, maxLength: 200 });

function replay(limit: RateLimit, gaps: number[]): Array<{ atMs: number; verdict: RateVerdict }> {
  let now = 0;
  const bucket = fullBucket(limit, now);
  return gaps.map((gap) => {
    now += gap;
    return { atMs: now, verdict: takeToken(bucket, limit, now) };
  });
}

describe('token-bucket rate limiter', () => {
  it('never allows more than capacity plus what refilled in any time span', () => {
    fc.assert(
      fc.property(limitArb, gapsArb, (limit, gaps) => {
        const log = replay(limit, gaps);
        for (let i = 0; i < log.length; i++) {
          let allowed = 0;
          for (let j = i; j < log.length; j++) {
            if (log[j]!.verdict === 'allowed') allowed++;
            const spanMs = log[j]!.atMs - log[i]!.atMs;
            expect(allowed).toBeLessThanOrEqual(limit.capacity + (spanMs * limit.refillPerMinute) / 60_000 + 1e-9);
          }
        }
      }),
    );
  });

  it('warns exactly once per stretch of refusals, then stays silent', () => {
    fc.assert(
      fc.property(limitArb, gapsArb, (limit, gaps) => {
        const verdicts = replay(limit, gaps).map((e) => e.verdict);
        let refusedSinceAllowed = 0;
        for (const v of verdicts) {
          if (v === 'allowed') {
            refusedSinceAllowed = 0;
            continue;
          }
          expect(v).toBe(refusedSinceAllowed === 0 ? 'warn' : 'silent');
          refusedSinceAllowed++;
        }
      }),
    );
  });

  it('allows the next interaction once enough time has passed for one token', () => {
    fc.assert(
      fc.property(limitArb, gapsArb, (limit, gaps) => {
        let now = 0;
        const bucket = fullBucket(limit, now);
        for (const gap of gaps) {
          now += gap;
          takeToken(bucket, limit, now);
        }
        now += msUntilToken(bucket, limit, now);
        expect(takeToken(bucket, limit, now)).toBe('allowed');
      }),
    );
  });

  it('lets a full burst of capacity through at once, then warns', () => {
    const limit = { capacity: 3, refillPerMinute: 6 };
    expect(replay(limit, [0, 0, 0, 0, 0]).map((e) => e.verdict)).toEqual([
      'allowed',
      'allowed',
      'allowed',
      'warn',
      'silent',
    ]);
  });

  it('refills nothing when the clock goes backwards', () => {
    const limit = { capacity: 1, refillPerMinute: 60 };
    const bucket = fullBucket(limit, 10_000);
    expect(takeToken(bucket, limit, 10_000)).toBe('allowed');
    expect(takeToken(bucket, limit, 5_000)).toBe('warn');
    expect(msUntilToken(bucket, limit, 10_000)).toBe(1000);
  });
});
