import { COINS } from '../src/sandbox/upstreams/coingecko-fixtures.js';
import { ITUNES_ARTISTS } from '../src/sandbox/upstreams/itunes-fixtures.js';
import { MEALS } from '../src/sandbox/upstreams/themealdb-fixtures.js';
import { TMDB_FILMS } from '../src/sandbox/upstreams/tmdb-fixtures.js';

/** Splits a list into what the bench warms up (and then asks again) and what it asks for the first time while measuring. */
function split<T>(items: readonly T[], warm: number): { warm: T[]; cold: T[] } {
  return { warm: items.slice(0, warm), cold: items.slice(warm) };
}

const coins = split(COINS, 20);
const meals = split(MEALS, 20);
const films = split(TMDB_FILMS, 20);
const songs = ITUNES_ARTISTS.flatMap((artist) =>
  artist.albums.flatMap((album) => album.songs.map((song) => `${artist.name} ${song.name}`)),
);
const tracks = split(songs, 40);
const artists = split(ITUNES_ARTISTS, 15);

const price = (coin: (typeof COINS)[number], currency: string) => `/price ${coin.symbol.toLowerCase()} ${currency}`;

/**
 * The commands the integrations bench sends, made from the emulators'
 * worlds so that each asks for something the emulated API knows: `warm`
 * ones are asked once before measuring (and are cache hits afterwards),
 * `cold` ones only while measuring. `env` is the operator's configuration
 * the bench runs with: the upstreams' request limits raised, as with paid
 * plans, so the bench measures Lekha rather than the free tiers' limits.
 */
export const INTEGRATION_COMMANDS = {
  warm: [
    ...coins.warm.flatMap((coin) => [price(coin, 'usd'), price(coin, 'rub')]),
    ...coins.warm.slice(0, 10).map((coin) => `/convert 0.5 ${coin.symbol.toLowerCase()} eur`),
    ...meals.warm.map((meal) => `/recipe ${meal.name}`),
    ...films.warm.map((film) => `/movie ${film.title.en}`),
    '/movies trending',
    ...tracks.warm.map((track) => `/song ${track}`),
    ...artists.warm.map((artist) => `/artist ${artist.name}`),
    '/dice',
    '/dice 2d6',
    '/coin',
  ],
  cold: [
    ...coins.cold.map((coin) => price(coin, 'usd')),
    ...meals.cold.map((meal) => `/recipe ${meal.name}`),
    ...films.cold.map((film) => `/movie ${film.title.ru}`),
    ...tracks.cold.map((track) => `/song ${track}`),
    ...artists.cold.map((artist) => `/artist ${artist.name}`),
  ],
  env: Object.fromEntries(
    ['CRYPTO', 'FOOD', 'MOVIES', 'MUSIC', 'WEATHER', 'TRANSPORT', 'NEWS'].map((plugin) => [
      `PLUGIN_${plugin}_REQUESTS_PER_MINUTE`,
      '1000000',
    ]),
  ),
};
