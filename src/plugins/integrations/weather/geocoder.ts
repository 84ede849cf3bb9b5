import { z } from 'zod';
import type { Language } from '../../../chat/index.js';
import type { Localized, PluginSetup } from '../../plugin-api.js';
import type { PluginHttpClient } from '../../plugin-http.js';
import { upstream } from '../integration-kit.js';
import { choosePlace, type Place, type PlaceChoice } from './place-choice.js';

/** The Open-Meteo geocoding API (open-meteo.com/en/docs/geocoding-api). */
export const GEOCODING_BASE_URL = 'https://geocoding-api.open-meteo.com/v1';

/** Places do not move: a search is reused for a day. */
const SEARCH_TTL_MS = 24 * 60 * 60 * 1000;

/**
 * Open-Meteo's free tier allows 600 calls a minute (and asks to stay under
 * 10 000 a day); each geocoder client takes 30 a minute, a twentieth, so
 * that with the forecasts' 300 the weather and transport plugins together
 * stay well within it (searches are cached for a day, so few reach it).
 */
const SEARCH_PER_MINUTE = 30;

/** How many places one search asks for: the one meant, and namesakes or near matches to offer. */
const SEARCH_COUNT = 5;

/** The service's name in a failure's answer. */
const SERVICE: Localized = { en: 'The place search', ru: 'Поиск мест', uk: 'Пошук місць' };

// Empty fields are left out of the answer (it is protobuf's JSON), so all but the essentials are optional.
const placeSchema = z.looseObject({
  id: z.number(),
  name: z.string(),
  latitude: z.number(),
  longitude: z.number(),
  country: z.string().optional(),
  country_code: z.string().optional(),
  admin1: z.string().optional(),
  population: z.number().optional(),
  timezone: z.string().optional(),
});

/** A search's answer; with nothing found there is no `results` at all. */
const searchSchema = z.looseObject({ results: z.array(placeSchema).optional() });

/** What a plugin using the geocoder has among its settings. */
export interface GeocoderSettings {
  geocodingBaseUrl: string;
  geocodingRequestsPerMinute: number;
  timeoutMs: number;
}

/** The geocoder's settings, for the plugins that use it. */
export const geocoderSettings = {
  /** The geocoding API's base URL. */
  geocodingBaseUrl: z.url({ protocol: /^https?$/ }).default(GEOCODING_BASE_URL),
  /** Searches a minute (each plugin's geocoder has its own budget). */
  geocodingRequestsPerMinute: z.number().int().min(1).max(1_000_000).default(SEARCH_PER_MINUTE),
};

/**
 * Finds places by name through the Open-Meteo geocoding API, for the
 * plugins that take a place from a member: each makes its own (one HTTP
 * client, cache and rate limit per plugin).
 */
export class Geocoder {
  constructor(private readonly http: PluginHttpClient) {}

  /** A geocoder on a client of the plugin being set up. */
  static of(p: Pick<PluginSetup<unknown>, 'http'>, settings: GeocoderSettings): Geocoder {
    return new Geocoder(
      p.http({
        baseUrl: settings.geocodingBaseUrl,
        timeoutMs: settings.timeoutMs,
        retries: 2,
        cacheTtlMs: SEARCH_TTL_MS,
        rateLimit: { perMinute: settings.geocodingRequestsPerMinute },
      }),
    );
  }

  /**
   * The places named like `query`, best first, with names in `language`
   * ([] when none). A failed search throws the in-persona failure of `upstream`.
   */
  async search(query: string, language: Language, signal: AbortSignal): Promise<Place[]> {
    const answer = await upstream(
      () =>
        this.http.getParsed('search', searchSchema, {
          query: { name: query, count: SEARCH_COUNT, language, format: 'json' },
          signal,
        }),
      language,
      SERVICE,
    );
    return answer.results ?? [];
  }

  /** The place `query` names, or near matches to suggest, or nothing (see {@link choosePlace}). */
  async find(query: string, language: Language, signal: AbortSignal): Promise<PlaceChoice> {
    return choosePlace(query, await this.search(query, language, signal));
  }
}
