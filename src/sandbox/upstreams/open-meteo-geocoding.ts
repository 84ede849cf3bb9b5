import type { FastifyReply } from 'fastify';
import { WORLD_CITIES, WORLD_COUNTRIES, type WorldCity, type WorldCountry } from './open-meteo-geocoding-fixtures.js';
import type { UpstreamApi, UpstreamContext } from './upstream-emulator.js';
import { foldName } from './world-map.js';

/**
 * The Open-Meteo geocoding API (open-meteo.com/en/docs/geocoding-api;
 * server: github.com/open-meteo/geocoding-api) over the emulated world:
 * `GET /v1/search?name&count&language&countryCode` and `GET /v1/get?id`.
 *
 * As the real one: a name under two characters finds nothing, two find
 * exact names only, three or more also names starting so and near
 * spellings (an edit or two away); a part after a comma filters by region
 * or country ("Paris, Texas"). Results come best first (exact names, then
 * prefixes, then near spellings; the most populous first within each),
 * with names in the language asked when the world has it (Russian),
 * English otherwise. Empty fields are left out of the JSON, and a search
 * that finds nothing answers without a `results` key at all. Bad
 * parameters answer 400 with `{"error": true, "reason": …}`.
 */
export const openMeteoGeocodingApi: UpstreamApi = {
  name: 'open-meteo-geocoding',
  env: { GEOCODING_BASE_URL: '/v1' },
  routes(app, ctx) {
    app.get('/v1/search', async (request, reply) => {
      const q = request.query as Record<string, string | undefined>;
      if (q.name === undefined) return refuse(reply, "Value of type 'String' required for key 'name'.");
      const count = q.count === undefined ? 10 : Number(q.count);
      if (!Number.isInteger(count) || count < 1 || count > 100)
        return refuse(reply, 'Parameter count must be between 1 and 100.');
      if (q.format !== undefined && q.format !== 'json') return refuse(reply, 'The emulator answers JSON only.');
      const language = q.language ?? 'en';
      const found = search(q.name, q.countryCode).slice(0, count);
      return {
        ...(found.length === 0 ? {} : { results: found.map((city) => geoname(city, language)) }),
        generationtime_ms: generationTime(ctx),
      };
    });

    app.get('/v1/get', async (request, reply) => {
      const q = request.query as Record<string, string | undefined>;
      const id = Number(q.id);
      const city = WORLD_CITIES.find((c) => c.id === id);
      if (q.id === undefined || !Number.isInteger(id))
        return refuse(reply, "Value of type 'Int32' required for key 'id'.");
      if (city === undefined) return refuse(reply, 'Location ID not found.');
      return geoname(city, q.language ?? 'en');
    });
  },
};

/** The cities a search names, best first (see {@link openMeteoGeocodingApi}). */
export function search(text: string, countryCode?: string): WorldCity[] {
  const [namePart = '', areaPart] = text.split(',');
  const name = foldName(namePart);
  if (text.trim().length < 2 || name.length < 2) return [];
  const area = areaPart === undefined ? '' : foldName(areaPart);
  const ranked: Array<{ city: WorldCity; tier: number }> = [];
  for (const city of WORLD_CITIES) {
    if (countryCode !== undefined && city.countryCode !== countryCode) continue;
    if (area.length > 1 && !inArea(city, area)) continue;
    const tier = Math.min(...[city.en, city.ru, ...city.alternates].map((n) => matchTier(name, foldName(n))));
    if (tier < Infinity) ranked.push({ city, tier });
  }
  ranked.sort((a, b) => a.tier - b.tier || b.city.population - a.city.population);
  return ranked.map((r) => r.city);
}

/** 0 for the same name, 1 for a name starting with the query, 2 for a near spelling, Infinity for none. */
function matchTier(query: string, name: string): number {
  if (query === name) return 0;
  if (query.length < 3) return Infinity;
  if (name.startsWith(query)) return 1;
  const allowed = query.length >= 6 ? 2 : 1;
  return Math.abs(query.length - name.length) <= allowed && editDistance(query, name) <= allowed ? 2 : Infinity;
}

function inArea(city: WorldCity, area: string): boolean {
  const country = WORLD_COUNTRIES[city.countryCode];
  return [city.admin1.en, city.admin1.ru, country?.en, country?.ru, city.countryCode]
    .filter((n): n is string => n !== undefined)
    .some((n) => foldName(n).startsWith(area));
}

/** Levenshtein distance. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] as number) + 1, (current[j - 1] as number) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] as number;
}

/** A city as the API's result object, in its field order, names in `language`. */
function geoname(city: WorldCity, language: string): Record<string, unknown> {
  const country = WORLD_COUNTRIES[city.countryCode] as WorldCountry;
  const named = (n: { en: string; ru: string }) => (language === 'ru' ? n.ru : n.en);
  const extra = city.extra ?? {};
  return {
    id: city.id,
    name: named(city),
    latitude: city.latitude,
    longitude: city.longitude,
    elevation: city.elevation,
    feature_code: city.featureCode,
    country_code: city.countryCode,
    ...pick(extra, ['admin1_id', 'admin2_id', 'admin3_id', 'admin4_id']),
    timezone: city.timezone,
    population: city.population,
    ...pick(extra, ['postcodes']),
    country_id: country.id,
    country: named(country),
    admin1: named(city.admin1),
    ...pick(extra, ['admin2', 'admin3', 'admin4']),
  };
}

function pick(from: Readonly<Record<string, unknown>>, keys: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(keys.filter((k) => from[k] !== undefined).map((k) => [k, from[k]]));
}

function refuse(reply: FastifyReply, reason: string) {
  return reply.code(400).send({ error: true, reason });
}

/** A plausible `generationtime_ms` (the real service takes well under a few milliseconds). */
export function generationTime(ctx: UpstreamContext): number {
  return Math.round((0.2 + ctx.random.next() * 2) * 1e6) / 1e6;
}
