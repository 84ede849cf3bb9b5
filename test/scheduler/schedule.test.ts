import { describe, expect, it } from 'vitest';
import {
  cron,
  every,
  InvalidCronError,
  nextFutureRun,
  nextRunAfter,
  validateSchedule,
} from '../../src/scheduler/index.js';
import { InvalidDurationError, parseDuration } from '../../src/runtime/index.js';

const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;

describe('parseDuration', () => {
  it.each([
    ['30s', 30 * S],
    ['10m', 10 * M],
    ['2h', 2 * H],
    ['1d', D],
    ['1h30m', 90 * M],
    [' 1d 12h ', 36 * H],
    ['2H', 2 * H],
  ])('reads %j as %d ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each([
    ['', /empty/],
    ['   ', /empty/],
    ['10', /"10" is not a number followed by s, m, h or d/],
    ['10x', /"10x" is not a number followed by s, m, h or d/],
    ['ten minutes', /"ten minutes" is not/],
    ['1h later', /"later" is not/],
    ['-5m', /"-5m" is not/],
    ['1.5h', /"1.5h" is not/],
    ['0m', /longer than zero/],
    ['99999999999999999d', /too long/],
  ])('refuses %j with a message saying what is wrong', (text, message) => {
    let thrown: unknown;
    try {
      parseDuration(text);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(InvalidDurationError);
    expect(thrown).toMatchObject({ code: 'INVALID_DURATION', retryable: false, input: text });
    expect((thrown as Error).message).toMatch(message);
  });
});

describe('every and cron', () => {
  it('build schedules from a duration and from a cron pattern in a time zone', () => {
    expect(every('1h')).toEqual({ kind: 'every', everyMs: H });
    expect(cron('0 9 * * *', 'Europe/Moscow')).toEqual({
      kind: 'cron',
      pattern: '0 9 * * *',
      timeZone: 'Europe/Moscow',
    });
    expect(cron('*/5 * * * *')).toEqual({ kind: 'cron', pattern: '*/5 * * * *' });
  });

  it.each([
    ['0 9 * *', undefined, /exactly five, six, or seven/],
    ['61 * * * *', undefined, /Invalid value for minute: 61/],
    ['0 25 * * *', undefined, /hour/],
    ['every day', undefined, /cannot read cron pattern "every day"/],
    ['0 9 * * *', 'Mars/Olympus', /unknown time zone "Mars\/Olympus"/],
  ])('refuses pattern %j in zone %j with a clear error', (pattern, zone, message) => {
    expect(() => cron(pattern, zone)).toThrow(message);
    expect(() => cron(pattern, zone)).toThrow(InvalidCronError);
  });

  it('refuses a repeat shorter than a second and a bad pattern given as a plain schedule', () => {
    expect(() => validateSchedule({ kind: 'every', everyMs: 10 })).toThrow(/more often than once a second/);
    expect(() => validateSchedule({ kind: 'cron', pattern: 'nope' })).toThrow(InvalidCronError);
    expect(() => validateSchedule({ kind: 'once' })).not.toThrow();
  });
});

describe('next runs', () => {
  const jan1 = Date.UTC(2026, 0, 1);

  it('reads a cron pattern in its time zone', () => {
    // 09:00 in Moscow (UTC+3) is 06:00 UTC; in New York in January (UTC-5) 14:00 UTC.
    expect(nextRunAfter(cron('0 9 * * *', 'Europe/Moscow'), jan1)).toBe(jan1 + 6 * H);
    expect(nextRunAfter(cron('0 9 * * *', 'America/New_York'), jan1)).toBe(jan1 + 14 * H);
    expect(nextRunAfter(cron('0 9 * * *'), jan1)).toBe(jan1 + 9 * H);
    expect(nextRunAfter(cron('0 9 * * *', 'Europe/Moscow'), jan1 + 6 * H)).toBe(jan1 + D + 6 * H);
  });

  it('follows daylight saving time in the zone', () => {
    // Berlin moves to UTC+2 on 29 March 2026: 09:00 local is 08:00 UTC before, 07:00 UTC after.
    const march28 = Date.UTC(2026, 2, 28);
    const berlin = cron('0 9 * * *', 'Europe/Berlin');
    expect(nextRunAfter(berlin, march28)).toBe(march28 + 8 * H);
    expect(nextRunAfter(berlin, march28 + 8 * H)).toBe(march28 + D + 7 * H);
  });

  it('has no next run for a one-off job and adds the period for a repeating one', () => {
    expect(nextRunAfter({ kind: 'once' }, jan1)).toBeNull();
    expect(nextRunAfter(every('10m'), jan1)).toBe(jan1 + 10 * M);
  });

  it("finds the first future slot on a repeating job's grid after a downtime", () => {
    expect(nextFutureRun(every('1h'), jan1, jan1 + 5 * H + 10)).toBe(jan1 + 6 * H);
    expect(nextFutureRun(every('1h'), jan1, jan1 + 10)).toBe(jan1 + H);
    expect(nextFutureRun(every('1h'), jan1, jan1 - 10)).toBe(jan1 + H);
    expect(nextFutureRun(cron('0 9 * * *'), jan1 + 9 * H, jan1 + 3 * D)).toBe(jan1 + 3 * D + 9 * H);
  });
});
