import { z } from 'zod';
import type { Language } from '../../../chat/index.js';
import type { PluginHttpClient, PluginHttpOptions, QueryValue } from '../../plugin-http.js';

/** A film as TMDB lists it in searches and trending lists (the fields the plugin uses). */
export const listedMovieSchema = z.looseObject({
  id: z.number().int(),
  title: z.string(),
  original_title: z.string().default(''),
  release_date: z.string().default(''),
  vote_average: z.number().default(0),
  vote_count: z.number().int().default(0),
});
export type ListedMovie = z.output<typeof listedMovieSchema>;

const moviePageSchema = z.looseObject({
  page: z.number().int(),
  results: z.array(listedMovieSchema),
  total_results: z.number().int(),
});
export type MoviePage = z.output<typeof moviePageSchema>;

/** `GET /movie/{id}`: what a film's answer shows. */
export const movieDetailsSchema = z.looseObject({
  id: z.number().int(),
  title: z.string(),
  original_title: z.string().default(''),
  release_date: z.string().default(''),
  runtime: z.number().int().nullable().default(null),
  genres: z.array(z.looseObject({ id: z.number().int(), name: z.string() })).default([]),
  overview: z.string().nullable().default(''),
  vote_average: z.number().default(0),
  vote_count: z.number().int().default(0),
});
export type MovieDetails = z.output<typeof movieDetailsSchema>;

const offersSchema = z.array(z.looseObject({ provider_name: z.string() })).default([]);

/** One region of `GET /movie/{id}/watch/providers` (JustWatch's data): services by how they offer the film. */
export const regionOffersSchema = z.looseObject({
  link: z.string().optional(),
  flatrate: offersSchema,
  rent: offersSchema,
  buy: offersSchema,
});
export type RegionOffers = z.output<typeof regionOffersSchema>;

const watchProvidersSchema = z.looseObject({
  id: z.number().int(),
  results: z.record(z.string(), regionOffersSchema),
});

/**
 * How a credential TMDB issued is sent: a v4 read access token (a JWT) as
 * `Authorization: Bearer …`, a v3 API key as the `api_key` query parameter.
 */
export type TmdbCredential =
  { kind: 'read access token'; headers: Record<string, string> } | { kind: 'api key'; query: Record<string, string> };

export function tmdbCredential(apiKey: string): TmdbCredential {
  const key = apiKey.trim();
  return /^eyJ[\w-]*\.[\w-]+\.[\w-]+$/.test(key)
    ? { kind: 'read access token', headers: { authorization: `Bearer ${key}` } }
    : { kind: 'api key', query: { api_key: key } };
}

/** The language TMDB is asked to answer in (Ukrainian answers fall back to Russian, so does the data). */
export function tmdbLanguage(language: Language): 'ru-RU' | 'en-US' {
  return language === 'en' ? 'en-US' : 'ru-RU';
}

/** How long a trending list is reused: it changes through the day, unlike a film's details. */
const TRENDING_MAX_AGE_S = 60 * 60;

/**
 * TMDB's API v3 with one credential: the four calls the plugin makes, each
 * answer read through its schema. The client it is given caches for the
 * details' time (6 h); the trending list asks its cache for answers at
 * most an hour old (a request `Cache-Control: max-age`).
 */
export class TmdbClient {
  constructor(
    private readonly http: PluginHttpClient,
    readonly credential: TmdbCredential,
  ) {}

  search(title: string, year: number | null, language: Language, signal: AbortSignal): Promise<MoviePage> {
    return this.get('search/movie', moviePageSchema, signal, {
      query: title,
      language: tmdbLanguage(language),
      page: 1,
      include_adult: false,
      primary_release_year: year ?? undefined,
    });
  }

  details(id: number, language: Language, signal: AbortSignal): Promise<MovieDetails> {
    return this.get(`movie/${id}`, movieDetailsSchema, signal, { language: tmdbLanguage(language) });
  }

  async offers(id: number, region: string, signal: AbortSignal): Promise<RegionOffers | null> {
    const answer = await this.get(`movie/${id}/watch/providers`, watchProvidersSchema, signal);
    return answer.results[region] ?? null;
  }

  trending(language: Language, signal: AbortSignal): Promise<MoviePage> {
    return this.get(
      'trending/movie/week',
      moviePageSchema,
      signal,
      { language: tmdbLanguage(language) },
      {
        'cache-control': `max-age=${TRENDING_MAX_AGE_S}`,
      },
    );
  }

  private get<T>(
    path: string,
    schema: z.ZodType<T>,
    signal: AbortSignal,
    query: Record<string, QueryValue> = {},
    headers: Record<string, string> = {},
  ): Promise<T> {
    const auth = this.credential.kind === 'api key' ? this.credential.query : {};
    return this.http.getParsed(path, schema, { query: { ...query, ...auth }, headers, signal });
  }
}

/** What a client is made for: the settings that reach the wire. */
export interface TmdbTarget {
  baseUrl: string;
  apiKey: string;
  timeoutMs: number;
  requestsPerMinute: number;
}

/**
 * The clients for the settings in effect, one per base URL, time limit,
 * rate and credential (operators change them rarely, so there are few): a
 * key set from the dashboard takes effect at once, and a read access token,
 * sent as the client's own header, still lets its answers be cached. TMDB
 * counts requests a second, so the minute's allowance is spread over its
 * seconds rather than spent in a burst.
 */
export function tmdbClients(
  open: (options: PluginHttpOptions) => PluginHttpClient,
  options: Pick<PluginHttpOptions, 'cacheTtlMs' | 'retries'>,
): (target: TmdbTarget) => TmdbClient {
  const clients = new Map<string, TmdbClient>();
  return ({ baseUrl, apiKey, timeoutMs, requestsPerMinute }) => {
    const id = JSON.stringify([baseUrl, timeoutMs, requestsPerMinute, apiKey]);
    let client = clients.get(id);
    if (client === undefined) {
      const credential = tmdbCredential(apiKey);
      const headers = credential.kind === 'read access token' ? { headers: credential.headers } : {};
      const rateLimit = { perSecond: Math.max(1, Math.floor(requestsPerMinute / 60)) };
      client = new TmdbClient(open({ baseUrl, timeoutMs, rateLimit, ...options, ...headers }), credential);
      clients.set(id, client);
    }
    return client;
  };
}
