import { LekhaError } from './errors.js';

/** A duration string that cannot be read (`every('1h')`, `/remind 10m`). Not retryable. */
export class InvalidDurationError extends LekhaError {
  declare readonly code: 'INVALID_DURATION';

  constructor(
    readonly input: string,
    detail: string,
  ) {
    super('INVALID_DURATION', `cannot read duration "${input}": ${detail}`, { retryable: false });
  }
}

const UNIT_MS: Readonly<Record<string, number>> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const PART = /(\d+)\s*([smhd])/gy;

/**
 * Reads a duration such as `30s`, `10m`, `2h`, `1d`, or a sum of them
 * (`1h30m`), into milliseconds. Throws {@link InvalidDurationError} naming
 * what is wrong, for a message back to whoever typed it.
 */
export function parseDuration(text: string): number {
  const input = text.trim().toLowerCase();
  if (input === '') throw new InvalidDurationError(text, 'it is empty; write a number and a unit, e.g. 10m');
  let totalMs = 0;
  PART.lastIndex = 0;
  let end = 0;
  for (let match = PART.exec(input); match !== null; match = PART.exec(input)) {
    totalMs += Number(match[1]) * (UNIT_MS[match[2] as string] as number);
    end = PART.lastIndex;
    while (input[end] === ' ') end++;
    PART.lastIndex = end;
  }
  if (end !== input.length) {
    throw new InvalidDurationError(
      text,
      `"${input.slice(end)}" is not a number followed by s, m, h or d (e.g. 30s, 10m, 2h, 1d)`,
    );
  }
  if (totalMs === 0) throw new InvalidDurationError(text, 'it must be longer than zero');
  if (!Number.isSafeInteger(totalMs)) throw new InvalidDurationError(text, 'it is too long');
  return totalMs;
}
