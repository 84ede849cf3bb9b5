import { InvalidOptionError } from './errors.js';

const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
const DURATION = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/;

/**
 * Reads a duration written as a number and a unit (`500ms`, `30s`, `10m`,
 * `1h`, `1d`) into milliseconds. Throws {@link InvalidOptionError} naming
 * `what` for anything else, zero included.
 */
export function parseDuration(text: string, what = 'duration'): number {
  const m = DURATION.exec(text.trim());
  const ms = m === null ? NaN : Number(m[1]) * UNIT_MS[m[2] as keyof typeof UNIT_MS];
  if (!(ms >= 1) || !Number.isFinite(ms))
    throw new InvalidOptionError(
      what,
      `${what} ${JSON.stringify(text.slice(0, 32))} is not a duration: write a number and a unit, as 30s, 10m, 2h or 1d`,
    );
  return Math.round(ms);
}
