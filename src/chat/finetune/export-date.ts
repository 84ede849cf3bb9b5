const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME = /^(\d{4})-(\d{2})-(\d{2})T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})$/;

/**
 * A date or time of an export range: `2026-12-01` (UTC midnight) or an ISO
 * 8601 time with its offset (`2026-12-01T08:00:00Z`). `null` for anything
 * else — also a day the month does not have — so the caller can say which
 * flag or parameter is wrong.
 */
export function parseExportDate(text: string): number | null {
  const parts = DATE.exec(text) ?? TIME.exec(text);
  if (parts === null) return null;
  const [year, month, day] = [Number(parts[1]), Number(parts[2]), Number(parts[3])];
  const calendar = new Date(Date.UTC(year, month - 1, day));
  if (calendar.getUTCMonth() !== month - 1 || calendar.getUTCDate() !== day) return null;
  const ms = Date.parse(DATE.test(text) ? `${text}T00:00:00Z` : text);
  return Number.isNaN(ms) ? null : ms;
}
