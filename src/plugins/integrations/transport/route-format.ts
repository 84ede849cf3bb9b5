import type { Language } from '../../../chat/index.js';
import { clip, formatNumber, say } from '../integration-kit.js';
import { type Place, placeLabel } from '../weather/place-choice.js';
import type { RouteOutcome } from './osrm.js';
import type { TravelMode } from './route-args.js';

/** One mode's line of a route answer. */
export interface ModeRoute {
  mode: TravelMode;
  outcome: RouteOutcome;
}

const MODE_NAMES: Readonly<Record<TravelMode, { emoji: string; en: string; ru: string; uk: string }>> = {
  car: { emoji: '🚗', en: 'By car', ru: 'На машине', uk: 'Автівкою' },
  bike: { emoji: '🚲', en: 'By bike', ru: 'На велосипеде', uk: 'Велосипедом' },
  foot: { emoji: '🚶', en: 'On foot', ru: 'Пешком', uk: 'Пішки' },
};

/**
 * The fastest average speed (km/h) a route of each mode can plausibly
 * have: above it, the server answered with another profile's route (the
 * OSRM demo server routes every profile by car).
 */
const MAX_PLAUSIBLE_KMH: Readonly<Record<TravelMode, number>> = { car: Infinity, bike: 40, foot: 12 };

/** `/route`'s answer: from where to where, then the distance and travel time for each mode asked. */
export function formatRoute(from: Place, to: Place, routes: readonly ModeRoute[], language: Language): string {
  const title = `${placeLabel(from)} → ${placeLabel(to)}`;
  if (routes.every((r) => r.outcome.kind === 'no-route'))
    return say(language, {
      en: `${title}: no road joins them (there must be sea in between).`,
      ru: `${title}: дороги туда нет — похоже, между ними море.`,
      uk: `${title}: дороги туди немає — схоже, між ними море.`,
    });
  const lines = routes.map(({ mode, outcome }) => {
    const name = MODE_NAMES[mode];
    return `${name.emoji} ${say(language, name)}: ${describe(mode, outcome, language)}`;
  });
  return clip([title, ...lines].join('\n'));
}

function describe(mode: TravelMode, outcome: RouteOutcome, language: Language): string {
  switch (outcome.kind) {
    case 'no-route':
      return say(language, { en: 'no way through', ru: 'не проехать', uk: 'не проїхати' });
    case 'no-road':
      return say(language, {
        en: 'no road near one of the ends',
        ru: 'рядом с одной из точек нет дорог',
        uk: 'біля однієї з точок немає доріг',
      });
    case 'route':
      if (!plausible(mode, outcome.distanceM, outcome.durationS))
        return say(language, {
          en: 'the route server only knows car routes',
          ru: 'сервер маршрутов считает только для машин',
          uk: 'сервер маршрутів рахує лише для автівок',
        });
      return `${formatDistance(outcome.distanceM, language)}, ${formatDuration(outcome.durationS, language)}`;
  }
}

/** Whether a route's average speed fits its mode (short routes always do). */
export function plausible(mode: TravelMode, distanceM: number, durationS: number): boolean {
  if (distanceM < 2000) return true;
  if (durationS <= 0) return false;
  return (distanceM / durationS) * 3.6 <= MAX_PLAUSIBLE_KMH[mode];
}

/** A road distance: metres under a kilometre, a decimal under ten, whole kilometres beyond. */
export function formatDistance(metres: number, language: Language): string {
  if (metres < 1000)
    return say(language, {
      en: `${Math.round(metres)} m`,
      ru: `${Math.round(metres)} м`,
      uk: `${Math.round(metres)} м`,
    });
  const km = formatNumber(metres / 1000, language, { maximumFractionDigits: metres < 10_000 ? 1 : 0 });
  return say(language, { en: `${km} km`, ru: `${km} км`, uk: `${km} км` });
}

/** A travel time: minutes, hours and minutes, or days and hours (`8 ч 54 мин`, `2 d 5 h`). */
export function formatDuration(seconds: number, language: Language): string {
  const minutes = Math.max(1, Math.round(seconds / 60));
  const units = say(language, { en: 'd|h|min', ru: 'сут|ч|мин', uk: 'доб|год|хв' }).split('|') as [
    string,
    string,
    string,
  ];
  const [d, h, min] = units;
  if (minutes < 60) return `${minutes} ${min}`;
  const hours = Math.round(minutes / 60);
  if (minutes < 24 * 60) {
    const rest = minutes % 60;
    return rest === 0 ? `${Math.floor(minutes / 60)} ${h}` : `${Math.floor(minutes / 60)} ${h} ${rest} ${min}`;
  }
  const days = Math.floor(hours / 24);
  const restHours = hours % 24;
  return restHours === 0 ? `${days} ${d}` : `${days} ${d} ${restHours} ${h}`;
}
