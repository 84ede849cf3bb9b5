/** A film as a member asks for it: its title, and the year when they give one. */
export interface MovieQuery {
  title: string;
  year: number | null;
}

/** Years a film may have been released in (the first films are from 1888). */
const FIRST_YEAR = 1888;
const LAST_YEAR = 2100;

/**
 * Reads `/movie` arguments: `Дюна`, `Дюна 2021`, `Дюна (2021)`, `«Dune», 1984`.
 * A year after the title narrows the search; a title that is only a number
 * (`1917`, `2012`) stays a title. Quotes around the title are dropped.
 */
export function parseMovieQuery(text: string): MovieQuery {
  const trimmed = text.trim();
  const found = /^(.*\S)\s*\((\d{4})\)$/u.exec(trimmed) ?? /^(.*\D.*?)[\s,]+(\d{4})$/u.exec(trimmed);
  const year = found === null ? NaN : Number(found[2]);
  const hasYear = found !== null && year >= FIRST_YEAR && year <= LAST_YEAR;
  const title = unquote(hasYear ? found[1]! : trimmed);
  return title === '' ? { title: unquote(trimmed), year: null } : { title, year: hasYear ? year : null };
}

function unquote(text: string): string {
  return text.replace(/^[\s«"“']+|[\s»"”',]+$/gu, '');
}

const TRENDING_WORDS = new Set([
  '',
  'trending',
  'trend',
  'week',
  'top',
  'тренды',
  'тренд',
  'неделя',
  'топ',
  'популярное',
  'тренди',
  'тиждень',
  'популярне',
]);

/** Whether `/movies` arguments ask for the week's trending list (`/movies`, `/movies trending`, `/movies топ`). */
export function asksForTrending(text: string): boolean {
  return TRENDING_WORDS.has(text.trim().toLowerCase());
}
