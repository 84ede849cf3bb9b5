import { z } from 'zod';
import type { PluginHttpClient } from '../../plugin-http.js';

/** How long a price is reused: CoinGecko's public API refreshes its prices about once a minute. */
export const PRICE_MAX_AGE_S = 60;

/** A coin CoinGecko's search found. */
export interface FoundCoin {
  id: string;
  name: string;
  symbol: string;
  /** Its rank by market capitalisation; null for a coin too small to be ranked. */
  rank: number | null;
}

/** A coin's price in one currency, with its change over the last 24 hours in percent (null when unknown). */
export interface Quote {
  price: number;
  changePercent: number | null;
}

// The fields the plugin reads, as CoinGecko's API reference documents them; others pass.
const searchAnswer = z.looseObject({
  coins: z.array(
    z.looseObject({
      id: z.string(),
      name: z.string(),
      symbol: z.string(),
      market_cap_rank: z.number().nullable().optional(),
    }),
  ),
});
const priceAnswer = z.record(z.string(), z.record(z.string(), z.number().nullable()));
const currenciesAnswer = z.array(z.string());

/**
 * CoinGecko's API v3, the three calls the crypto plugin makes: coin search
 * (`/search`), prices (`/simple/price`) and the currencies prices may be
 * quoted in (`/simple/supported_vs_currencies`). The client it is given
 * caches answers for a day; a price asks for one no older than
 * {@link PRICE_MAX_AGE_S}.
 */
export class CoinGeckoApi {
  constructor(private readonly http: PluginHttpClient) {}

  /** Coins whose name, ticker or id match `query`, biggest first (as CoinGecko orders them). */
  async search(query: string, signal: AbortSignal): Promise<FoundCoin[]> {
    const answer = await this.http.getParsed('search', searchAnswer, {
      query: { query: query.trim().toLowerCase() },
      signal,
    });
    return answer.coins.map((coin) => ({
      id: coin.id,
      name: coin.name,
      symbol: coin.symbol,
      rank: coin.market_cap_rank ?? null,
    }));
  }

  /**
   * The prices of `ids` in `currencies`, by coin id then currency. A coin
   * CoinGecko does not know is missing, as is a currency it has no price in.
   */
  async prices(
    ids: readonly string[],
    currencies: readonly string[],
    signal: AbortSignal,
  ): Promise<Map<string, Map<string, Quote>>> {
    const answer = await this.http.getParsed('simple/price', priceAnswer, {
      query: { ids: ids.join(','), vs_currencies: currencies.join(','), include_24hr_change: true },
      headers: { 'cache-control': `max-age=${PRICE_MAX_AGE_S}` },
      signal,
    });
    const quotes = new Map<string, Map<string, Quote>>();
    for (const [id, fields] of Object.entries(answer)) {
      const byCurrency = new Map<string, Quote>();
      for (const currency of currencies) {
        const price = fields[currency];
        if (typeof price !== 'number') continue;
        byCurrency.set(currency, { price, changePercent: fields[`${currency}_24h_change`] ?? null });
      }
      quotes.set(id, byCurrency);
    }
    return quotes;
  }

  /** The codes prices may be quoted in (`usd`, `rub`, `btc`, `sats`…), lower case. */
  async currencies(signal: AbortSignal): Promise<string[]> {
    return this.http.getParsed('simple/supported_vs_currencies', currenciesAnswer, { signal });
  }
}
