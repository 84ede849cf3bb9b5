import { Cron } from 'croner';
import type { JobSchedule } from '../ports/index.js';
import { InvalidDurationError, parseDuration } from '../runtime/index.js';
import { InvalidCronError } from './errors.js';

/** A schedule that runs every `duration` (see {@link parseDuration}). */
export function every(duration: string): JobSchedule & { kind: 'every' } {
  return { kind: 'every', everyMs: parseDuration(duration) };
}

/**
 * A schedule on a cron pattern (five fields, or six with seconds), read in
 * `timeZone` (an IANA name such as `Europe/Moscow`; UTC when omitted).
 * Throws {@link InvalidCronError} when croner cannot read either.
 */
export function cron(pattern: string, timeZone?: string): JobSchedule & { kind: 'cron' } {
  const schedule: JobSchedule & { kind: 'cron' } =
    timeZone === undefined ? { kind: 'cron', pattern } : { kind: 'cron', pattern, timeZone };
  cronOf(schedule);
  return schedule;
}

/** When a schedule runs next strictly after `afterMs`; null for a one-off job or a cron pattern with no later run. */
export function nextRunAfter(schedule: JobSchedule, afterMs: number): number | null {
  switch (schedule.kind) {
    case 'once':
      return null;
    case 'every':
      return afterMs + schedule.everyMs;
    case 'cron':
      return cronOf(schedule).nextRun(new Date(afterMs))?.getTime() ?? null;
  }
}

/**
 * The first run of `schedule` after `nowMs`, on its grid from `dueAtMs`
 * (an `every` job keeps its phase: due at 10:00 every hour, it runs at
 * 11:00, 12:00… whatever time it ran late).
 */
export function nextFutureRun(schedule: JobSchedule, dueAtMs: number, nowMs: number): number | null {
  if (schedule.kind === 'every') {
    const periods = Math.floor(Math.max(0, nowMs - dueAtMs) / schedule.everyMs) + 1;
    return dueAtMs + periods * schedule.everyMs;
  }
  return nextRunAfter(schedule, Math.max(dueAtMs, nowMs));
}

/** Checks a schedule a job is created with; throws the error its author needs. */
export function validateSchedule(schedule: JobSchedule): void {
  if (schedule.kind === 'cron') cronOf(schedule);
  if (schedule.kind === 'every' && !(Number.isSafeInteger(schedule.everyMs) && schedule.everyMs >= 1000)) {
    throw new InvalidDurationError(`${schedule.everyMs} ms`, 'a job cannot repeat more often than once a second');
  }
}

const MAX_CACHED_PATTERNS = 1000;
const parsed = new Map<string, Cron>();

function cronOf(schedule: JobSchedule & { kind: 'cron' }): Cron {
  const cacheKey = `${schedule.timeZone ?? ''}\n${schedule.pattern}`;
  const cached = parsed.get(cacheKey);
  if (cached !== undefined) return cached;
  if (schedule.timeZone !== undefined) checkTimeZone(schedule.pattern, schedule.timeZone);
  let job: Cron;
  try {
    job = new Cron(schedule.pattern, { paused: true, timezone: schedule.timeZone ?? 'UTC' });
  } catch (error) {
    throw new InvalidCronError(
      schedule.pattern,
      (error instanceof Error ? error.message : String(error)).replace(/^CronPattern: /, ''),
    );
  }
  // Patterns come from code (plugins), so this stays as small as the set of
  // recurring jobs; the bound only guards against a caller that makes them up.
  if (parsed.size >= MAX_CACHED_PATTERNS) parsed.clear();
  parsed.set(cacheKey, job);
  return job;
}

function checkTimeZone(pattern: string, timeZone: string): void {
  try {
    new Intl.DateTimeFormat('en', { timeZone });
  } catch {
    // Intl's RangeError says only "Invalid time zone specified"; ours names it.
    throw new InvalidCronError(pattern, `unknown time zone "${timeZone}" (use an IANA name such as Europe/Moscow)`);
  }
}
