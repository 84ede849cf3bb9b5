import { placeQuery } from './place-choice.js';

/** The fewest and most days `/forecast` shows (Open-Meteo has up to 16; a week is what a chat reads). */
export const FORECAST_MIN_DAYS = 1;
export const FORECAST_MAX_DAYS = 7;
const DEFAULT_DAYS = 3;

/**
 * Reads `/forecast`'s arguments: a place and, at the end, a number of days
 * ("Москва 5", "Казань на 2 дня", "London for 4 days"), kept within
 * 1–7 (3 when there is none). The place is '' when only days were given.
 */
export function parseForecastArgs(args: string): { place: string; days: number } {
  const match =
    /^(.*?)(?:^|[\s,]+)(?:(?:на|for)\s+)?(\d{1,3})(?:\s*(?:дн(?:я|ей|и|ів)?|день|сут(?:ки|ок)?|days?|d|д))?\s*$/iu.exec(
      args.trim(),
    );
  if (match === null) return { place: placeQuery(args), days: DEFAULT_DAYS };
  const days = Math.min(FORECAST_MAX_DAYS, Math.max(FORECAST_MIN_DAYS, Number(match[2])));
  return { place: placeQuery(match[1] ?? ''), days };
}
