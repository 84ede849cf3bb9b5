import { coingeckoApi } from './coingecko.js';
import { feedsApi } from './feeds.js';
import { itunesApi } from './itunes.js';
import { openMeteoApi } from './open-meteo.js';
import { openMeteoGeocodingApi } from './open-meteo-geocoding.js';
import { osrmApi } from './osrm.js';
import { themealdbApi } from './themealdb.js';
import { tmdbApi } from './tmdb.js';
import type { UpstreamApi } from './upstream-emulator.js';

export {
  type UpstreamApi,
  type UpstreamContext,
  UpstreamEmulator,
  type UpstreamEmulatorOptions,
  type UpstreamFault,
  type UpstreamFaultKind,
  type UpstreamStats,
} from './upstream-emulator.js';
export { COINGECKO_INVALID_KEY, coingeckoApi } from './coingecko.js';
export { itunesApi } from './itunes.js';
export { openMeteoApi } from './open-meteo.js';
export { openMeteoGeocodingApi } from './open-meteo-geocoding.js';
export { osrmApi } from './osrm.js';
export { themealdbApi } from './themealdb.js';
export { TMDB_INVALID_KEY, tmdbApi } from './tmdb.js';

/** Every public API the integration plugins call, emulated (sandbox mode runs them all). */
export const UPSTREAM_APIS: readonly UpstreamApi[] = [
  tmdbApi,
  itunesApi,
  coingeckoApi,
  themealdbApi,
  feedsApi,
  openMeteoApi,
  openMeteoGeocodingApi,
  osrmApi,
];
