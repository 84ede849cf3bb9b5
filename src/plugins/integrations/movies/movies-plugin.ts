import { z } from 'zod';
import { definePlugin } from '../../define-plugin.js';
import { type CommandContext, PluginFailure } from '../../plugin-api.js';
import { PluginHttpError } from '../../plugin-http.js';
import { countryCodeSetting, say, upstream, upstreamSettings } from '../integration-kit.js';
import { asksForTrending, parseMovieQuery } from './movies-args.js';
import { bestMatch, formatMovie, formatNotFound, formatTrending } from './movies-format.js';
import { type ListedMovie, type TmdbClient, tmdbClients } from './tmdb-client.js';

const settings = z.object({
  // TMDB allows about 50 requests a second per address; a bot sharing its address takes a polite 20.
  ...upstreamSettings('https://api.themoviedb.org/3', 1200),
  /** A TMDB API key (v3) or API read access token (v4); the plugin is off without one. */
  apiKey: z.string().default(''),
  /** Where "where to watch" looks (ISO 3166-1 code: US, GB, DE, RU…). */
  region: countryCodeSetting('US'),
});

type Settings = z.output<typeof settings>;

const SERVICE = { en: 'The movie service', ru: 'Сервис фильмов', uk: 'Сервіс фільмів' };
const DETAILS_TTL_MS = 6 * 60 * 60 * 1000;

/**
 * `/movie <title>` and `/movies` (the week's trending films) from The Movie
 * Database (TMDB): rating, genres, runtime, plot and where to watch in the
 * chat's region. Needs a TMDB credential (`TMDB_API_KEY`): an API key or an
 * API read access token, which never leaves the requests to TMDB.
 */
export const moviesPlugin = definePlugin({
  name: 'movies',
  version: '1.0.0',
  kind: 'integration',
  description: {
    en: 'Films: ratings, plots, where to watch (TMDB)',
    ru: 'Фильмы: рейтинг, сюжет, где смотреть (TMDB)',
    uk: 'Фільми: рейтинг, сюжет, де дивитися (TMDB)',
  },
  settings,
  env: { baseUrl: 'TMDB_BASE_URL', apiKey: 'TMDB_API_KEY' },
  chatSettings: ['region'],
  unavailable: (s) => (s.apiKey.trim() === '' ? 'needs TMDB_API_KEY (a TMDB API key or read access token)' : null),
  setup(p) {
    // Searches and details change seldom; the trending list asks for answers under an hour old.
    const clientFor = tmdbClients((options) => p.http(options), { retries: 2, cacheTtlMs: DETAILS_TTL_MS });

    p.command('movie', (ctx) => movie(ctx, clientFor(ctx.settings)), {
      description: {
        en: 'a film: rating, plot, where to watch',
        ru: 'фильм: рейтинг, сюжет, где смотреть',
        uk: 'фільм: рейтинг, сюжет, де дивитися',
      },
      args: { en: '<title> [year]', ru: '<название> [год]', uk: '<назва> [рік]' },
      tool: {
        description:
          'Look up a film in The Movie Database: its year, rating, genres, runtime, plot and the streaming ' +
          'services that offer it. Use it when someone asks about a specific movie.',
        parameters: z.object({
          title: z.string().min(1).max(200).describe('The film title, in any language'),
          year: z.number().int().min(1888).max(2100).optional().describe('The release year, if known'),
        }),
        args: ({ title, year }) => (year === undefined ? title : `${title} (${year})`),
      },
    });

    p.command('movies', (ctx) => movies(ctx, clientFor(ctx.settings)), {
      description: { en: 'films trending this week', ru: 'фильмы недели', uk: 'фільми тижня' },
      tool: {
        description: "List this week's trending films (top 10) from The Movie Database.",
        parameters: z.object({}),
        args: () => 'trending',
      },
    });
  },
});

async function movie(ctx: CommandContext<Settings>, tmdb: TmdbClient): Promise<string> {
  const { title, year } = parseMovieQuery(ctx.args);
  if (title === '')
    return say(ctx.language, {
      en: 'Which film? For example: /movie Dune 2021',
      ru: 'Какой фильм? Например: /movie Дюна 2021',
      uk: 'Який фільм? Наприклад: /movie Дюна 2021',
    });
  const search = (what: string, inYear: number | null) =>
    call(ctx, tmdb, () => tmdb.search(what, inYear, ctx.language, ctx.signal));
  let results = (await search(title, year)).results;
  // A number after the title may be part of it (Blade Runner 2049) rather than its year.
  if (results.length === 0 && year !== null) results = (await search(ctx.args.trim(), null)).results;
  if (results.length === 0) {
    const nearby = year === null ? [] : (await search(title, null)).results;
    return formatNotFound(title, year, nearby, ctx.language);
  }
  const best = bestMatch(title, results) as ListedMovie;
  const region = ctx.settings.region.toUpperCase();
  const [details, offers] = await Promise.all([
    call(ctx, tmdb, () => tmdb.details(best.id, ctx.language, ctx.signal).catch(nullWhen(404))),
    call(ctx, tmdb, () => tmdb.offers(best.id, region, ctx.signal)),
  ]);
  if (details === null) return formatNotFound(title, year, [], ctx.language);
  const others = results.filter((m) => m.id !== best.id);
  return formatMovie(details, { region, offers }, others, ctx.language);
}

async function movies(ctx: CommandContext<Settings>, tmdb: TmdbClient): Promise<string> {
  if (!asksForTrending(ctx.args)) return movie(ctx, tmdb);
  const trending = await call(ctx, tmdb, () => tmdb.trending(ctx.language, ctx.signal));
  return formatTrending(trending.results, ctx.language);
}

/**
 * Runs a TMDB call, turning its failure into an in-persona answer: a 401
 * says TMDB refuses the bot's credential (a configuration problem, logged
 * as one, without the credential), anything else is the kit's busy or
 * not-answering line.
 */
function call<T>(ctx: CommandContext<Settings>, tmdb: TmdbClient, run: () => Promise<T>): Promise<T> {
  return upstream(run, ctx.language, SERVICE, {
    401: (error) => {
      ctx.log.error(
        { status: 401, credential: tmdb.credential.kind },
        'TMDB refuses the configured credential: set a valid TMDB_API_KEY (or the apiKey setting)',
      );
      return new PluginFailure(
        say(ctx.language, {
          en: "The movie service refuses our key, so I can't look films up. The bot's admins need to fix its settings.",
          ru: 'Сервис фильмов не принимает наш ключ, так что фильмы пока не ищу. Админам бота надо поправить настройки.',
          uk: 'Сервіс фільмів не приймає наш ключ, тож фільми поки не шукаю. Адмінам бота треба виправити налаштування.',
        }),
        { cause: error },
      );
    },
  });
}

/** Resolves to null for an answer with `status` (TMDB's 404 for an id it no longer has), rethrows the rest. */
function nullWhen(status: number) {
  return (error: unknown): null => {
    if (error instanceof PluginHttpError && error.status === status) return null;
    throw error;
  };
}
