const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/** A reminder as `/reminders` lists it. */
export interface ReminderListing {
  id: string;
  dueAtMs: number;
  text: string;
}

/** Where a moment falls in the chat's local calendar, seen from now: the parts a phrasebook words a date with. */
export interface LocalMoment {
  /** "09:00" */
  clock: string;
  /** Local calendar days from today (0 today, 1 tomorrow). */
  daysAhead: number;
  /** 0 = Monday … 6 = Sunday. */
  weekday: number;
  dayOfMonth: number;
  /** 0 = January. */
  month: number;
  year: number;
  sameYear: boolean;
}

export function localMoment(atMs: number, nowMs: number, utcOffsetMinutes: number): LocalMoment {
  const offsetMs = utcOffsetMinutes * MINUTE_MS;
  const local = new Date(atMs + offsetMs);
  const today = Math.floor((nowMs + offsetMs) / DAY_MS);
  const day = Math.floor((atMs + offsetMs) / DAY_MS);
  const pad = (n: number): string => String(n).padStart(2, '0');
  return {
    clock: `${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}`,
    daysAhead: day - today,
    // 1970-01-01 was a Thursday (index 3 counting from Monday).
    weekday: (((day + 3) % 7) + 7) % 7,
    dayOfMonth: local.getUTCDate(),
    month: local.getUTCMonth(),
    year: local.getUTCFullYear(),
    sameYear: local.getUTCFullYear() === new Date(nowMs + offsetMs).getUTCFullYear(),
  };
}

/**
 * A span of time rounded to what a person would say: seconds under a
 * minute, minutes under an hour, hours (with minutes while under ten hours)
 * under two days, then days.
 */
export type Span =
  | { unit: 's'; value: number }
  | { unit: 'min'; value: number }
  | { unit: 'h'; value: number; minutes: number }
  | { unit: 'd'; value: number };

export function span(ms: number): Span {
  const clamped = Math.max(0, ms);
  if (clamped < MINUTE_MS) return { unit: 's', value: Math.round(clamped / 1_000) };
  const minutes = Math.round(clamped / MINUTE_MS);
  if (minutes < 60) return { unit: 'min', value: minutes };
  if (clamped < 2 * DAY_MS) {
    const hours = Math.floor(minutes / 60);
    return hours < 10
      ? { unit: 'h', value: hours, minutes: minutes % 60 }
      : { unit: 'h', value: Math.round(clamped / HOUR_MS), minutes: 0 };
  }
  return { unit: 'd', value: Math.round(clamped / DAY_MS) };
}

/** A reminder's text shortened for a list line. */
export function shortText(text: string, maxChars: number): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length <= maxChars ? oneLine : `${oneLine.slice(0, maxChars - 1)}…`;
}
