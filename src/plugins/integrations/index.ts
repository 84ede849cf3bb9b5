import type { Plugin } from '../plugin-api.js';
import { cryptoPlugin } from './crypto/index.js';
import { foodPlugin } from './food/index.js';
import { gamesPlugin } from './games/index.js';
import { moviesPlugin } from './movies/movies-plugin.js';
import { musicPlugin } from './music/music-plugin.js';
import { newsPlugin } from './news/index.js';
import { transportPlugin } from './transport/index.js';
import { weatherPlugin } from './weather/index.js';

/** The integrations with outside services every Lekha has (each a plugin; see docs/integrations.md). */
export const INTEGRATION_PLUGINS: readonly Plugin[] = [
  gamesPlugin,
  moviesPlugin,
  musicPlugin,
  cryptoPlugin,
  foodPlugin,
  newsPlugin,
  weatherPlugin,
  transportPlugin,
] as unknown as readonly Plugin[];
