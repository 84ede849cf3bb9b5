import { COINS } from '../src/sandbox/upstreams/coingecko-fixtures.js';
import { ITUNES_ARTISTS } from '../src/sandbox/upstreams/itunes-fixtures.js';
import { WORLD_CITIES } from '../src/sandbox/upstreams/open-meteo-geocoding-fixtures.js';
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

// Namesakes abroad (Moscow, Idaho) share a name with a city of the list: each name once.
const cityNames = [...new Set(WORLD_CITIES.map((city) => city.ru))];
const cities = split(cityNames, 30);
const russian = WORLD_CITIES.filter((city) => city.countryCode === 'RU').map((city) => city.ru);
const routePairs = russian.flatMap((from, i) => russian.slice(i + 1).map((to) => `/route ${from} — ${to}`));
const routes = split(routePairs, 20);

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
    ...cities.warm.map((city) => `/weather ${city}`),
    ...cities.warm.slice(0, 10).map((city) => `/forecast ${city} 3`),
    ...routes.warm.map((route) => `${route} car`),
    '/news',
    '/news Москва',
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
    ...cities.cold.map((city) => `/weather ${city}`),
    ...routes.cold.slice(0, 20).map((route) => `${route} car`),
    ...coins.cold.map((coin) => price(coin, 'usd')),
    ...meals.cold.map((meal) => `/recipe ${meal.name}`),
    ...films.cold.map((film) => `/movie ${film.title.ru}`),
    ...tracks.cold.map((track) => `/song ${track}`),
    ...artists.cold.map((artist) => `/artist ${artist.name}`),
  ],
  env: Object.fromEntries([
    ...['CRYPTO', 'FOOD', 'MOVIES', 'MUSIC', 'WEATHER', 'TRANSPORT', 'NEWS'].map((plugin) => [
      `PLUGIN_${plugin}_REQUESTS_PER_MINUTE`,
      '1000000',
    ]),
    ['PLUGIN_WEATHER_GEOCODING_REQUESTS_PER_MINUTE', '1000000'],
    ['PLUGIN_TRANSPORT_GEOCODING_REQUESTS_PER_MINUTE', '1000000'],
  ]),
};
