import type { Language } from '../../../chat/index.js';
import { clip, formatNumber, say, yearOf } from '../integration-kit.js';
import type { ListedMovie, MovieDetails, RegionOffers } from './tmdb-client.js';

/** The most sentences of a plot an answer quotes, and the most characters. */
const PLOT_SENTENCES = 3;
const PLOT_CHARS = 450;
/** Services named per way of watching, other matches named, films in the trending list. */
const SERVICES_SHOWN = 4;
const OTHERS_SHOWN = 4;
const TRENDING_SHOWN = 10;

/** `Дюна (2021)`; the original title joins when it differs (`Паразиты (기생충, 2019)`). */
export function titleLine(movie: Pick<ListedMovie, 'title' | 'original_title' | 'release_date'>): string {
  const original = movie.original_title !== '' && movie.original_title !== movie.title ? movie.original_title : null;
  const parts = [original, yearOf(movie.release_date)].filter((p) => p !== null);
  return parts.length === 0 ? movie.title : `${movie.title} (${parts.join(', ')})`;
}

/** `★ 7,8/10 · голосов: 12 560`, or that nobody has voted yet. */
export function ratingLine(voteAverage: number, voteCount: number, language: Language): string {
  if (voteCount === 0)
    return say(language, { en: '★ no votes yet', ru: '★ оценок пока нет', uk: '★ оцінок поки немає' });
  const rating = formatNumber(voteAverage, language, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  const votes = formatNumber(voteCount, language);
  return say(language, {
    en: `★ ${rating}/10 · ${votes} votes`,
    ru: `★ ${rating}/10 · голосов: ${votes}`,
    uk: `★ ${rating}/10 · голосів: ${votes}`,
  });
}

/** `2 ч 35 мин` / `2 год 35 хв` / `2h 35m`; null when TMDB does not know. */
export function runtimeText(minutes: number | null, language: Language): string | null {
  if (minutes === null || minutes <= 0) return null;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  if (language === 'en') return hours === 0 ? `${rest}m` : `${hours}h${rest === 0 ? '' : ` ${rest}m`}`;
  if (language === 'uk') return hours === 0 ? `${rest} хв` : `${hours} год${rest === 0 ? '' : ` ${rest} хв`}`;
  return hours === 0 ? `${rest} мин` : `${hours} ч${rest === 0 ? '' : ` ${rest} мин`}`;
}

/** The first few sentences of a plot, cut at a word end when still too long. */
export function plotOf(overview: string | null): string | null {
  const text = (overview ?? '').replace(/\s+/g, ' ').trim();
  if (text === '') return null;
  const sentences = text.match(/[^.!?…]+(?:[.!?…]+["»”)]*|$)/gu) ?? [text];
  return clip(sentences.slice(0, PLOT_SENTENCES).join('').trim(), PLOT_CHARS);
}

/** `📺 Где смотреть (US): подписка — Netflix; аренда — Apple TV`; null when there is nothing there. */
export function offersLine(offers: RegionOffers | null, region: string, language: Language): string | null {
  if (offers === null) return null;
  const kinds: Array<[string, Array<{ provider_name: string }>]> = [
    [say(language, { en: 'stream', ru: 'подписка', uk: 'підписка' }), offers.flatrate],
    [say(language, { en: 'rent', ru: 'аренда', uk: 'оренда' }), offers.rent],
    [say(language, { en: 'buy', ru: 'покупка', uk: 'купівля' }), offers.buy],
  ];
  const listed = kinds
    .filter(([, services]) => services.length > 0)
    .map(([kind, services]) => {
      const names = [...new Set(services.map((s) => s.provider_name))].slice(0, SERVICES_SHOWN);
      return `${kind} — ${names.join(', ')}`;
    });
  if (listed.length === 0) return null;
  return say(language, {
    en: `📺 Where to watch (${region}): ${listed.join('; ')}`,
    ru: `📺 Где смотреть (${region}): ${listed.join('; ')}`,
    uk: `📺 Де дивитися (${region}): ${listed.join('; ')}`,
  });
}

/** A film's answer: title and year, rating, genres and runtime, plot, where to watch, other matches. */
export function formatMovie(
  movie: MovieDetails,
  offers: { region: string; offers: RegionOffers | null },
  others: readonly ListedMovie[],
  language: Language,
): string {
  const facts = [movie.genres.map((g) => g.name).join(', '), runtimeText(movie.runtime, language)].filter(
    (fact) => fact !== null && fact !== '',
  );
  const more =
    others.length === 0
      ? null
      : say(language, { en: 'Also found: ', ru: 'Ещё нашлось: ', uk: 'Ще знайшлося: ' }) +
        others
          .slice(0, OTHERS_SHOWN)
          .map((other) => titleLine(other))
          .join('; ');
  return clip(
    [
      `🎬 ${titleLine(movie)}`,
      ratingLine(movie.vote_average, movie.vote_count, language),
      facts.length === 0 ? null : facts.join(' · '),
      plotOf(movie.overview),
      offersLine(offers.offers, offers.region, language),
      more,
    ]
      .filter((line) => line !== null)
      .join('\n'),
  );
}

/** The week's trending films, numbered, with their ratings. */
export function formatTrending(movies: readonly ListedMovie[], language: Language): string {
  if (movies.length === 0)
    return say(language, {
      en: 'The movie service has no trending list this week.',
      ru: 'У сервиса фильмов на этой неделе нет списка популярного.',
      uk: 'У сервісу фільмів цього тижня немає списку популярного.',
    });
  const lines = movies.slice(0, TRENDING_SHOWN).map((movie, i) => {
    const rating =
      movie.vote_count === 0
        ? ''
        : ` ★ ${formatNumber(movie.vote_average, language, { minimumFractionDigits: 1, maximumFractionDigits: 1 })}`;
    return `${i + 1}. ${titleLine({ ...movie, original_title: '' })}${rating}`;
  });
  return clip(
    [
      say(language, { en: '🔥 Trending films this week:', ru: '🔥 Фильмы недели:', uk: '🔥 Фільми тижня:' }),
      ...lines,
      say(language, {
        en: 'More on one: /movie <title>',
        ru: 'Подробнее: /movie <название>',
        uk: 'Докладніше: /movie <назва>',
      }),
    ].join('\n'),
  );
}

/**
 * No film by that title: what else came up (the same title in other years,
 * when a year narrowed the search) or how to ask.
 */
export function formatNotFound(
  title: string,
  year: number | null,
  nearby: readonly ListedMovie[],
  language: Language,
): string {
  const asked = year === null ? `«${title}»` : `«${title}» (${year})`;
  if (nearby.length > 0) {
    const list = nearby
      .slice(0, OTHERS_SHOWN)
      .map((m) => titleLine(m))
      .join('; ');
    return say(language, {
      en: `No film ${asked}. There is: ${list}`,
      ru: `Фильма ${asked} не нашёл. Есть такие: ${list}`,
      uk: `Фільму ${asked} не знайшов. Є такі: ${list}`,
    });
  }
  return say(language, {
    en: `I couldn't find a film ${asked}. Try the original title, or add the year: /movie Dune 2021`,
    ru: `Не нашёл фильм ${asked}. Попробуй оригинальное название или добавь год: /movie Дюна 2021`,
    uk: `Не знайшов фільм ${asked}. Спробуй оригінальну назву або додай рік: /movie Дюна 2021`,
  });
}

/** The best of a search's results: one titled exactly as asked (in any language), else the first. */
export function bestMatch(title: string, results: readonly ListedMovie[]): ListedMovie | undefined {
  const norm = (text: string) => text.toLowerCase().replace(/ё/g, 'е').replace(/\s+/g, ' ').trim();
  const asked = norm(title);
  return results.find((m) => norm(m.title) === asked || norm(m.original_title) === asked) ?? results[0];
}
