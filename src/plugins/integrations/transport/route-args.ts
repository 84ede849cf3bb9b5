import { placeQuery } from '../weather/place-choice.js';

/** How a member travels; each maps to an OSRM profile (the `profiles` setting). */
export type TravelMode = 'car' | 'bike' | 'foot';

export const TRAVEL_MODES: readonly TravelMode[] = ['car', 'bike', 'foot'];

/** What `/route` was asked: two places and, when named, how to travel between them. */
export interface RouteArgs {
  from: string;
  to: string;
  mode: TravelMode | null;
}

/** Words naming a mode, in the forms people write after "на" or alone. */
const MODE_WORDS: ReadonlyArray<readonly [TravelMode, RegExp]> = [
  ['car', /^(?:car|auto|drive|driving|машин[аеуой]|авто|автомобил[ьеи]|тачк[аеу]|🚗)$/iu],
  ['bike', /^(?:bike|bicycle|cycling|вело|велосипед[ае]?|велик[ае]?|🚲)$/iu],
  ['foot', /^(?:foot|walk|walking|on foot|пешком|пешкодралом|пеш[ийк]|🚶)$/iu],
];

/** Between the two places: a dash or an arrow (a hyphen only with spaces round it, as names have them inside). */
const SEPARATORS = [/\s*(?:—|–|->|→|=>|⟶)\s*/u, /\s+-\s+/u, /\s+(?:до|to)\s+/iu];

/**
 * Reads `/route`'s arguments: `<from> — <to> [car|bike|foot]`, with any of
 * —, –, -, ->, → between the places, or words ("от Москвы до Твери",
 * "from Paris to Berlin"), and the mode at either end, in English or
 * Russian ("пешком", "на велосипеде"). Null when there are not two places.
 */
export function parseRouteArgs(text: string): RouteArgs | null {
  let rest = text.trim().replace(/[\s.!?]+$/u, '');
  let mode: TravelMode | null = null;
  const trailing = /(?:^|[\s,;(]+)(?:на\s+|by\s+|on\s+)?([\p{L}]+|🚗|🚲|🚶)\)?$/iu.exec(rest);
  const trailingMode = trailing === null ? null : modeOf(trailing[1] ?? '');
  if (trailing !== null && trailingMode !== null) {
    mode = trailingMode;
    rest = rest.slice(0, trailing.index).trim();
  } else {
    const leading = /^(?:на\s+|by\s+|on\s+)?([\p{L}]+|🚗|🚲|🚶)[\s,:]+/iu.exec(rest);
    const leadingMode = leading === null ? null : modeOf(leading[1] ?? '');
    if (leading !== null && leadingMode !== null) {
      mode = leadingMode;
      rest = rest.slice(leading[0].length).trim();
    }
  }
  rest = rest.replace(/^(?:от|из|с|from)\s+/iu, '');
  for (const separator of SEPARATORS) {
    const parts = rest.split(separator);
    if (parts.length !== 2) continue;
    const from = placeQuery(parts[0] ?? '');
    const to = placeQuery(parts[1] ?? '');
    if (from !== '' && to !== '') return { from, to, mode };
  }
  return null;
}

/** The mode a word names, or null. */
export function modeOf(word: string): TravelMode | null {
  const w = word.trim();
  for (const [mode, pattern] of MODE_WORDS) if (pattern.test(w)) return mode;
  return null;
}
