import type { Language } from '../../../chat/index.js';
import { say } from '../integration-kit.js';

/**
 * Choosing among the geocoder's answers for what a member typed: the place
 * they meant, its namesakes elsewhere, or near matches to suggest when none
 * of the answers is the place they named. Pure, for the weather and
 * transport plugins alike.
 */

/** A place as the Open-Meteo geocoder answers it (the fields Lekha uses). */
export interface Place {
  id: number;
  name: string;
  latitude: number;
  longitude: number;
  country?: string | undefined;
  country_code?: string | undefined;
  /** The first-level region (state, oblast), in the language asked for. */
  admin1?: string | undefined;
  population?: number | undefined;
  timezone?: string | undefined;
}

export type PlaceChoice =
  /** `place` is the one named; `others` are namesakes elsewhere (up to three). */
  | { kind: 'found'; place: Place; others: Place[] }
  /** Nothing is named like the query, but these are close (a typo, another spelling). */
  | { kind: 'unsure'; suggestions: Place[] }
  | { kind: 'none' };

/**
 * Picks the place meant by `query` among the geocoder's `results` (its best
 * first): the first whose name is the query, starts with it or is an
 * inflected form of it ("Твери" is Тверь); a name in another script than the
 * query ("Moscow" answered as "Москва") cannot be compared and is trusted.
 * A qualifier after a comma ("Moscow, Idaho") narrows the search upstream
 * and is not compared here.
 */
export function choosePlace(query: string, results: readonly Place[]): PlaceChoice {
  if (results.length === 0) return { kind: 'none' };
  const named = placeName(query);
  const fits = (place: Place) => namesMatch(named, place.name);
  const place = results.find(fits);
  if (place === undefined) return { kind: 'unsure', suggestions: results.slice(0, 5) };
  return { kind: 'found', place, others: results.filter((r) => r !== place && fits(r)).slice(0, 3) };
}

/** A place for an answer: its name, its region (unless it is the place itself) and its country. */
export function placeLabel(place: Place): string {
  const parts = [place.name];
  if (place.admin1 !== undefined && place.admin1 !== '' && normalize(place.admin1) !== normalize(place.name))
    parts.push(place.admin1);
  if (place.country !== undefined && place.country !== '') parts.push(place.country);
  return parts.join(', ');
}

/**
 * The answer when `query` names no place the geocoder knows: its near
 * matches when there are some, else a hint with `example` (a command).
 */
export function placeNotFound(
  query: string,
  choice: Exclude<PlaceChoice, { kind: 'found' }>,
  language: Language,
  example: string,
): string {
  if (choice.kind === 'unsure') {
    const options = choice.suggestions.map(placeLabel).join('; ');
    return say(language, {
      en: `I couldn't find "${query}". Did you mean: ${options}?`,
      ru: `Не нашёл «${query}». Может, ты про: ${options}?`,
      uk: `Не знайшов «${query}». Може, ти про: ${options}?`,
    });
  }
  return say(language, {
    en: `I couldn't find "${query}" on the map. Check the spelling or write the full name, like ${example}`,
    ru: `Не нашёл «${query}» на карте. Проверь написание или напиши название полностью, например: ${example}`,
    uk: `Не знайшов «${query}» на мапі. Перевір написання або напиши назву повністю, наприклад: ${example}`,
  });
}

/**
 * The place a member's words name, as the geocoder wants it: without the
 * preposition of a phrase ("в Москве", "in London") and the punctuation
 * around it.
 */
export function placeQuery(text: string): string {
  return text
    .replace(/^[\s\p{P}]+|[\s\p{P}]+$/gu, '')
    .replace(/^(?:в|во|на|для|in|at|for)\s+/iu, '')
    .trim();
}

function placeName(query: string): string {
  return normalize(query.split(',')[0] ?? '');
}

function namesMatch(query: string, name: string): boolean {
  const n = normalize(name);
  if (query === '' || n === '') return false;
  if (isCyrillic(query) !== isCyrillic(n)) return true;
  if (query === n || (query.length >= 3 && n.startsWith(query))) return true;
  // An inflected form: the name but for its last letter, with an ending of up to three ("Москве", "Твери").
  let common = 0;
  while (common < query.length && common < n.length && query[common] === n[common]) common++;
  return common >= 4 && common >= n.length - 1 && query.length - common <= 3;
}

/** Lower case, no accents, ё as е, dashes and dots as spaces. */
function normalize(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[-‐‑–—.'’]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

function isCyrillic(text: string): boolean {
  return /\p{Script=Cyrillic}/u.test(text);
}
