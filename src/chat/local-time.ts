const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/** Local hour of day (0-23) of a moment in a chat whose clock is `utcOffsetMinutes` ahead of UTC. */
export function localHour(ms: number, utcOffsetMinutes: number): number {
  const hour = Math.floor((ms + utcOffsetMinutes * 60_000) / HOUR_MS) % 24;
  return (hour + 24) % 24;
}

/** Local day of week (0 = Monday … 6 = Sunday) of a moment, as {@link localHour}. */
export function localDay(ms: number, utcOffsetMinutes: number): number {
  // 1970-01-01 was a Thursday (index 3 counting from Monday).
  const day = (Math.floor((ms + utcOffsetMinutes * 60_000) / DAY_MS) + 3) % 7;
  return (day + 7) % 7;
}

/** Whole hours since the epoch: the key of an hourly bucket. */
export function hourIndex(ms: number): number {
  return Math.floor(ms / HOUR_MS);
}

/**
 * Hour-of-day counts kept in a chat's local time (`localHour`) moved to
 * UTC: local hour h starts at UTC hour h minus the offset. Exact for
 * offsets of whole hours; in the few half- and quarter-hour zones each
 * local hour counts in the UTC hour it starts in. Counts recorded before a
 * change of the chat's offset move with the new offset.
 */
export function utcHours(localHours: readonly number[], utcOffsetMinutes: number): number[] {
  const out = new Array<number>(24).fill(0);
  for (let hour = 0; hour < 24; hour++) {
    const utc = ((Math.floor((hour * 60 - utcOffsetMinutes) / 60) % 24) + 24) % 24;
    out[utc] = (out[utc] ?? 0) + (localHours[hour] ?? 0);
  }
  return out;
}
