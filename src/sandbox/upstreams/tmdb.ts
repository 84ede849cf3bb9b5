import type { FastifyRequest } from 'fastify';
import { fnv1a } from '../../runtime/index.js';
import { matchedWords, sameWords, words } from './match-words.js';
import {
  TMDB_COUNTRIES,
  TMDB_FILMS,
  TMDB_GENRES,
  TMDB_INVALID_KEY_BODY,
  TMDB_NOT_FOUND_BODY,
  TMDB_PROVIDERS,
  type TmdbFilm,
  type TmdbText,
} from './tmdb-fixtures.js';
import type { UpstreamApi } from './upstream-emulator.js';

/**
 * The key the TMDB emulator refuses with TMDB's real 401, so a test can
 * play a bad key; a read access token whose signature is this word is
 * refused too (`eyJ….eyJ….invalid`).
 */
export const TMDB_INVALID_KEY = 'invalid';

/** Results on one page, as TMDB pages searches and trending lists. */
const PAGE_SIZE = 20;

type Query = Record<string, string | undefined>;

/**
 * TMDB's API v3 (`https://api.themoviedb.org/3`), emulated under `/tmdb/3`:
 * `GET /search/movie`, `/movie/{id}`, `/movie/{id}/watch/providers` and
 * `/trending/movie/{day|week}` over a world of some thirty films. Like the
 * real service it wants a credential on every call: a v3 API key as the
 * `api_key` query parameter or a v4 read access token (a JWT) as
 * `Authorization: Bearer …`; a missing one, one in the wrong place, or
 * {@link TMDB_INVALID_KEY}, gets the 401 with status code 7. Unknown ids and
 * paths get the 404 with status code 34.
 */
export const tmdbApi: UpstreamApi = {
  name: 'tmdb',
  env: { TMDB_BASE_URL: '/3' },
  // Any key but the invalid one is accepted: sandbox mode's films need no setup.
  demoEnv: { TMDB_API_KEY: 'sandbox-demo-key' },
  routes(app) {
    app.addHook('preHandler', async (request, reply) => {
      if (!authorised(request)) await reply.code(401).send(TMDB_INVALID_KEY_BODY);
    });
    app.setNotFoundHandler(async (request, reply) => {
      if (!authorised(request)) return reply.code(401).send(TMDB_INVALID_KEY_BODY);
      return reply.code(404).send(TMDB_NOT_FOUND_BODY);
    });

    app.get('/3/search/movie', async (request) => {
      const query = request.query as Query;
      const asked = words(query['query'] ?? '');
      const year = Number(query['primary_release_year'] ?? query['year'] ?? NaN);
      const found = asked.length === 0 ? [] : search(asked, Number.isInteger(year) ? year : null);
      return page(found, Number(query['page'] ?? 1), (f) => listed(f, languageOf(query)));
    });

    app.get('/3/trending/movie/:window', async (request, reply) => {
      const { window } = request.params as { window: string };
      if (window !== 'day' && window !== 'week') return reply.code(404).send(TMDB_NOT_FOUND_BODY);
      const query = request.query as Query;
      const trending = [...TMDB_FILMS].sort((a, b) => trendScore(b, window) - trendScore(a, window));
      return page(trending, Number(query['page'] ?? 1), (f) => ({
        ...listed(f, languageOf(query)),
        media_type: 'movie',
      }));
    });

    app.get('/3/movie/:id', async (request, reply) => {
      const found = filmById((request.params as { id: string }).id);
      if (found === undefined) return reply.code(404).send(TMDB_NOT_FOUND_BODY);
      return details(found, languageOf(request.query as Query));
    });

    app.get('/3/movie/:id/watch/providers', async (request, reply) => {
      const found = filmById((request.params as { id: string }).id);
      if (found === undefined) return reply.code(404).send(TMDB_NOT_FOUND_BODY);
      return { id: found.id, results: watchProviders(found) };
    });
  },
};

/** A v3 key in the query, or a v4 token (a JWT) as a Bearer header; never both places mixed up. */
function authorised(request: FastifyRequest): boolean {
  const header = request.headers.authorization;
  const key = (request.query as Query)['api_key'];
  if (typeof header === 'string' && header !== '') {
    const token = /^Bearer (.+)$/.exec(header)?.[1] ?? '';
    return looksLikeJwt(token) && !token.endsWith(`.${TMDB_INVALID_KEY}`);
  }
  return typeof key === 'string' && key.trim() !== '' && key !== TMDB_INVALID_KEY && !looksLikeJwt(key);
}

function looksLikeJwt(text: string): boolean {
  return /^eyJ[\w-]*\.[\w-]+\.[\w-]+$/.test(text);
}

function languageOf(query: Query): keyof TmdbText {
  return (query['language'] ?? '').toLowerCase().startsWith('ru') ? 'ru' : 'en';
}

function filmById(id: string): TmdbFilm | undefined {
  return /^\d+$/.test(id) ? TMDB_FILMS.find((f) => f.id === Number(id)) : undefined;
}

/** Films whose titles (in any language) hold every word asked, exact titles first, then by popularity. */
function search(asked: readonly string[], year: number | null): TmdbFilm[] {
  const titles = (f: TmdbFilm) => [f.title.en, f.title.ru, f.originalTitle];
  const exact = (f: TmdbFilm) => (titles(f).some((t) => sameWords(asked, t)) ? 1 : 0);
  return TMDB_FILMS.filter(
    (f) => matchedWords(asked, titles(f)) === asked.length && (year === null || f.releaseDate.startsWith(String(year))),
  ).sort((a, b) => exact(b) - exact(a) || b.popularity - a.popularity);
}

/** This week's (or today's) interest in a film: its popularity, stirred by a hash of the film and the period. */
function trendScore(film: TmdbFilm, window: 'day' | 'week'): number {
  const period = Math.floor(Date.now() / (window === 'day' ? 86_400_000 : 604_800_000));
  const recent = Number(film.releaseDate.slice(0, 4)) >= 2019 ? 2 : 1;
  return film.popularity * recent * (0.8 + (fnv1a(`${film.id}:${window}:${period}`) % 400) / 1000);
}

function page<T>(all: readonly TmdbFilm[], asked: number, shape: (film: TmdbFilm) => T) {
  const number = Number.isInteger(asked) && asked >= 1 ? asked : 1;
  return {
    page: number,
    results: all.slice((number - 1) * PAGE_SIZE, number * PAGE_SIZE).map(shape),
    total_pages: Math.max(1, Math.ceil(all.length / PAGE_SIZE)),
    total_results: all.length,
  };
}

/** A film as search and trending lists it. */
function listed(film: TmdbFilm, language: keyof TmdbText) {
  return {
    adult: false,
    backdrop_path: imagePath(film, 'backdrop'),
    genre_ids: film.genreIds,
    id: film.id,
    original_language: film.originalLanguage,
    original_title: film.originalTitle,
    overview: film.overview[language],
    popularity: film.popularity,
    poster_path: imagePath(film, 'poster'),
    release_date: film.releaseDate,
    title: film.title[language],
    video: false,
    vote_average: film.voteAverage,
    vote_count: film.voteCount,
  };
}

function details(film: TmdbFilm, language: keyof TmdbText) {
  return {
    adult: false,
    backdrop_path: imagePath(film, 'backdrop'),
    belongs_to_collection: null,
    budget: 0,
    genres: film.genreIds.map((id) => ({ id, name: TMDB_GENRES[id]?.[language] ?? '' })),
    homepage: '',
    id: film.id,
    imdb_id: film.imdbId,
    origin_country: film.countries.slice(0, 1),
    original_language: film.originalLanguage,
    original_title: film.originalTitle,
    overview: film.overview[language],
    popularity: film.popularity,
    poster_path: imagePath(film, 'poster'),
    production_companies: [],
    production_countries: film.countries.map((iso) => ({ iso_3166_1: iso, name: TMDB_COUNTRIES[iso] ?? iso })),
    release_date: film.releaseDate,
    revenue: 0,
    runtime: film.runtime,
    spoken_languages: [{ english_name: 'English', iso_639_1: film.originalLanguage, name: '' }],
    status: 'Released',
    tagline: film.tagline[language],
    title: film.title[language],
    video: false,
    vote_average: film.voteAverage,
    vote_count: film.voteCount,
  };
}

/**
 * Where a film can be watched, by region: each region's services picked by
 * a hash of the film and region, and some regions left out, as JustWatch's
 * data (which TMDB serves) does not cover every film everywhere.
 */
function watchProviders(film: TmdbFilm) {
  const slug = `${film.id}-${words(film.title.en).join('-')}`;
  const results: Record<string, object> = {};
  for (const [region, offers] of Object.entries(TMDB_PROVIDERS)) {
    const hash = fnv1a(`${film.id}:${region}`);
    if (hash % 5 === 0) continue;
    const pick = <T>(list: readonly T[], salt: number, most: number) =>
      list.filter((_, i) => ((hash >>> (salt + i)) & 1) === 1).slice(0, most);
    const flatrate = pick(offers.flatrate, 3, 2);
    const rent = pick(offers.rent, 9, 3);
    const buy = pick(offers.buy, 14, 3);
    results[region] = {
      link: `https://www.themoviedb.org/movie/${slug}/watch?locale=${region}`,
      ...(flatrate.length > 0 ? { flatrate } : {}),
      ...(rent.length > 0 ? { rent } : {}),
      ...(buy.length > 0 ? { buy } : {}),
    };
  }
  return results;
}

function imagePath(film: TmdbFilm, kind: string): string {
  return `/${fnv1a(`${kind}:${film.id}`).toString(36)}${film.id.toString(36)}.jpg`;
}
