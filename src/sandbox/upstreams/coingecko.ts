import {
  CATEGORIES,
  COINS,
  type CoinFixture,
  CRYPTO_UNITS,
  EXCHANGES,
  IMAGE_HOST,
  PER_USD,
  RATE_LIMITED_BODY,
  refusedKeyBody,
  SUPPORTED_VS_CURRENCIES,
} from './coingecko-fixtures.js';
import type { UpstreamApi } from './upstream-emulator.js';

/** The Demo API key the CoinGecko emulator refuses with CoinGecko's 401, so a test can play a wrong key; any other is taken. */
export const COINGECKO_INVALID_KEY = 'invalid';

const DAY_MS = 24 * 60 * 60 * 1000;
const BY_ID = new Map(COINS.map((coin) => [coin.id, coin]));
const SUPPORTED = new Set(SUPPORTED_VS_CURRENCIES);

/** A number in [0, 1) fixed by `text` (FNV-1a), so each coin moves its own way for a seed. */
function hashUnit(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return (hash >>> 0) / 4294967296;
}

/** Rounded as CoinGecko's floats come (twelve significant digits at most). */
const real = (value: number): number => Number(value.toPrecision(12));

/**
 * A coin's dollar price at `atMs`: its base price moved by two slow waves
 * (days and hours) whose phases the seed and the coin fix. Stablecoins
 * stay within a fraction of a cent.
 */
function usdPrice(coin: CoinFixture, atMs: number, seed: number): number {
  const phase = hashUnit(`${seed}:${coin.id}`);
  const days = atMs / DAY_MS;
  const wave =
    0.7 * Math.sin(2 * Math.PI * (days / 5 + phase)) + 0.3 * Math.sin(2 * Math.PI * (days * 3.1 + phase * 7));
  return coin.usd * Math.exp((coin.stable === true ? 0.002 : 0.06) * wave);
}

/** A coin's price in a currency CoinGecko quotes in, at `atMs`. */
function priceIn(coin: CoinFixture, currency: string, atMs: number, seed: number): number {
  const usd = usdPrice(coin, atMs, seed);
  const unit = CRYPTO_UNITS[currency];
  if (unit !== undefined) return (usd / usdPrice(BY_ID.get(unit.id)!, atMs, seed)) * unit.per;
  return usd * PER_USD[currency]!;
}

const image = ([n, file]: [number, string], size: 'thumb' | 'large', kind = 'coins') =>
  `${IMAGE_HOST}/${kind === 'coins' ? 'coins' : 'markets'}/images/${n}/${size}/${file}`;

const list = (value: unknown): string[] =>
  typeof value === 'string'
    ? value
        .split(',')
        .map((part) => part.trim().toLowerCase())
        .filter((part) => part !== '')
    : [];

/**
 * CoinGecko's API v3 (`https://api.coingecko.com/api/v3`): `/search`,
 * `/simple/price` (with the 24-hour change, market cap, volume and update
 * time when asked), `/simple/supported_vs_currencies`, `/coins/list` and
 * `/ping`, over a world of real coins whose prices drift with time, the
 * same for the same seed. A Demo key (`x-cg-demo-api-key` or the
 * `x_cg_demo_api_key` parameter) is not needed, and taken unless it is
 * {@link COINGECKO_INVALID_KEY}. A scripted 429 carries CoinGecko's own
 * error body.
 */
export const coingeckoApi: UpstreamApi = {
  name: 'coingecko',
  env: { CRYPTO_BASE_URL: '/api/v3' },
  routes(app, ctx) {
    const seed = ctx.random.int(0, 2 ** 31 - 1);

    // The emulator's faults answer before the routes; CoinGecko's rate limit has a body of its own.
    app.addHook('onSend', async (_request, reply, payload) =>
      reply.statusCode === 429 ? JSON.stringify(RATE_LIMITED_BODY) : payload,
    );

    app.addHook('onRequest', async (request, reply) => {
      const key =
        request.headers['x-cg-demo-api-key'] ?? (request.query as Record<string, unknown>)['x_cg_demo_api_key'];
      if (key === COINGECKO_INVALID_KEY) await reply.code(401).send(refusedKeyBody(new Date().toISOString()));
    });

    app.get('/api/v3/ping', async () => ({ gecko_says: '(V3) To the Moon!' }));

    app.get('/api/v3/simple/supported_vs_currencies', async () => SUPPORTED_VS_CURRENCIES);

    app.get('/api/v3/coins/list', async () =>
      COINS.map((coin) => ({ id: coin.id, symbol: coin.symbol.toLowerCase(), name: coin.name })),
    );

    app.get('/api/v3/search', async (request) => {
      const query = String((request.query as { query?: unknown }).query ?? '')
        .trim()
        .toLowerCase();
      const matches = (...names: string[]) => query !== '' && names.some((name) => name.toLowerCase().includes(query));
      const slug = query.replaceAll(' ', '-');
      return {
        coins: COINS.filter((coin) => matches(coin.name, coin.symbol) || (slug !== '' && coin.id.includes(slug)))
          .sort((a, b) => (a.rank ?? Infinity) - (b.rank ?? Infinity))
          .map((coin) => ({
            id: coin.id,
            name: coin.name,
            api_symbol: coin.id,
            symbol: coin.symbol,
            market_cap_rank: coin.rank,
            thumb: image(coin.image, 'thumb'),
            large: image(coin.image, 'large'),
          })),
        exchanges: EXCHANGES.filter((exchange) => matches(exchange.id, exchange.name)).map((exchange) => ({
          id: exchange.id,
          name: exchange.name,
          market_type: exchange.market_type,
          thumb: image(exchange.image, 'thumb', 'markets'),
          large: image(exchange.image, 'large', 'markets'),
        })),
        icos: [],
        categories: CATEGORIES.filter((category) => matches(category.id, category.name)),
        nfts: [],
      };
    });

    app.get('/api/v3/simple/price', async (request, reply) => {
      const query = request.query as Record<string, unknown>;
      const ids = list(query['ids']);
      const currencies = list(query['vs_currencies']);
      if (ids.length === 0) return reply.code(422).send({ error: 'Missing parameter ids' });
      if (currencies.length === 0) return reply.code(422).send({ error: 'Missing parameter vs_currencies' });
      const wants = (flag: string) => query[flag] === 'true';
      // Prices move once a minute, as CoinGecko refreshes them.
      const now = Math.floor(Date.now() / 60_000) * 60_000;
      const answer: Record<string, Record<string, number>> = {};
      for (const id of ids) {
        const coin = BY_ID.get(id);
        if (coin === undefined) continue;
        const fields: Record<string, number> = {};
        for (const currency of currencies) {
          if (!SUPPORTED.has(currency)) continue;
          const price = priceIn(coin, currency, now, seed);
          fields[currency] = real(price);
          if (wants('include_market_cap')) fields[`${currency}_market_cap`] = real(price * coin.supply);
          if (wants('include_24hr_vol'))
            fields[`${currency}_24h_vol`] = real(price * coin.supply * (0.02 + 0.03 * hashUnit(`${seed}:${id}:vol`)));
          if (wants('include_24hr_change'))
            fields[`${currency}_24h_change`] = real((price / priceIn(coin, currency, now - DAY_MS, seed) - 1) * 100);
        }
        if (wants('include_last_updated_at')) fields['last_updated_at'] = now / 1000;
        answer[id] = fields;
      }
      return answer;
    });
  },
};
