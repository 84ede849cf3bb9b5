import { z } from 'zod';
import type { Language } from '../../../chat/index.js';
import { definePlugin } from '../../define-plugin.js';
import { type CommandContext, PluginFailure } from '../../plugin-api.js';
import { clip, say, upstream, upstreamClient, upstreamSettings } from '../integration-kit.js';
import { CoinGeckoApi, type FoundCoin } from './coingecko-api.js';
import {
  amountText,
  coinByName,
  currencyWord,
  type KnownCoin,
  knownCoinNames,
  parseConvertArgs,
  parsePriceArgs,
} from './crypto-args.js';
import { coinLabel, formatCoins, formatMoney, priceLine } from './crypto-format.js';

const settings = z.object({
  // CoinGecko's API v3. Its keyless public API allows 5 to 15 calls a minute depending on its load, per IP:
  // ten leaves room for the retries. A Demo key allows 30 (set requestsPerMinute to 25 with one).
  ...upstreamSettings('https://api.coingecko.com/api/v3', 10),
  /** A CoinGecko Demo API key, sent as `x-cg-demo-api-key`; empty for the keyless public API. */
  apiKey: z.string().default(''),
  /** The currency `/price` quotes in when not told (a code CoinGecko quotes in: `usd`, `rub`, `eur`…). */
  currency: z
    .string()
    .regex(/^[A-Za-z]{3,5}$/)
    .default('usd'),
});

type Settings = z.output<typeof settings>;
type Context = CommandContext<Settings>;

const DAY_MS = 24 * 60 * 60 * 1000;
const SERVICE = 'CoinGecko';
/** Currencies offered first when one asked for is not quoted. */
const POPULAR = ['usd', 'eur', 'rub', 'uah', 'gbp', 'cny', 'jpy', 'try', 'inr', 'btc', 'eth', 'sats'];

/** What a side of `/convert` turned out to be. */
type Resolved = { kind: 'currency'; code: string } | { kind: 'coin'; coin: KnownCoin };
type Side = Resolved | { kind: 'unknown'; text: string; suggestions: FoundCoin[] };

/**
 * `/price <coin> [currency]` and `/convert <amount> <from> <to>` on
 * CoinGecko: coins by ticker, name (through CoinGecko's search) or Russian
 * nickname, prices in the chat's currency with the day's change, and
 * conversions between coins and currencies either way. Both are tools the
 * model may call.
 */
export const cryptoPlugin = definePlugin({
  name: 'crypto',
  version: '1.0.0',
  kind: 'integration',
  description: {
    en: 'Crypto prices and conversions (CoinGecko)',
    ru: 'Курсы криптовалют и пересчёт (CoinGecko)',
    uk: 'Курси криптовалют і перерахунок (CoinGecko)',
  },
  settings,
  env: { baseUrl: 'CRYPTO_BASE_URL', apiKey: 'COINGECKO_API_KEY' },
  chatSettings: ['currency'],
  setup(p) {
    const keyed = p.settings.apiKey !== '';
    const api = new CoinGeckoApi(
      // Search results and the currency list change seldom; prices ask for a fresher answer (PRICE_MAX_AGE_S).
      upstreamClient(p, p.settings, {
        cacheTtlMs: DAY_MS,
        ...(keyed ? { headers: { 'x-cg-demo-api-key': p.settings.apiKey } } : {}),
      }),
    );
    /** Runs a CoinGecko call; its failure becomes an in-persona answer (a refused key is the operator's to fix). */
    const call = <T>(ctx: Context, work: (signal: AbortSignal) => Promise<T>): Promise<T> =>
      upstream(() => work(ctx.signal), ctx.language, SERVICE, {
        401: (error) => {
          ctx.log.error(
            { status: 401 },
            'CoinGecko refuses the configured API key: set a valid Demo key in COINGECKO_API_KEY (or the apiKey setting), or none',
          );
          return new PluginFailure(
            say(ctx.language, {
              en: "CoinGecko refuses our key, so I can't look prices up. The bot's admins need to fix its settings.",
              ru: 'CoinGecko не принимает наш ключ, так что курсы пока не смотрю. Админам бота надо поправить настройки.',
              uk: 'CoinGecko не приймає наш ключ, тож курси поки не дивлюся. Адмінам бота треба виправити налаштування.',
            }),
            { cause: error },
          );
        },
      });

    /** The coin `text` names: a Russian nickname, else CoinGecko's best exact match by ticker, id or name. */
    async function findCoin(ctx: Context, text: string): Promise<KnownCoin | FoundCoin[]> {
      const known = coinByName(text);
      if (known !== null) return known;
      const found = await call(ctx, (signal) => api.search(text, signal));
      const wanted = text.trim().toLowerCase();
      const exact = found
        .filter(
          (coin) =>
            coin.symbol.toLowerCase() === wanted ||
            coin.id === wanted.replaceAll(' ', '-') ||
            coin.name.toLowerCase() === wanted,
        )
        .sort((a, b) => (a.rank ?? Infinity) - (b.rank ?? Infinity));
      return exact[0] ?? found.slice(0, 5);
    }

    /** Null when CoinGecko quotes in `code`, else the answer naming some currencies it does quote in. */
    async function unquoted(ctx: Context, code: string): Promise<string | null> {
      const supported = await call(ctx, (signal) => api.currencies(signal));
      if (supported.includes(code)) return null;
      const offered = [
        ...POPULAR.filter((c) => supported.includes(c)),
        ...supported.filter((c) => !POPULAR.includes(c)),
      ]
        .slice(0, 12)
        .map((c) => c.toUpperCase())
        .join(', ');
      return say(ctx.language, {
        en: `CoinGecko doesn't quote prices in ${code.toUpperCase()}. It does in ${offered} and more.`,
        ru: `В ${code.toUpperCase()} CoinGecko цены не даёт. Могу в ${offered} и ещё в куче других.`,
        uk: `У ${code.toUpperCase()} CoinGecko цін не дає. Можу в ${offered} і ще в купі інших.`,
      });
    }

    p.command(
      'price',
      async (ctx) => {
        const request = parsePriceArgs(ctx.args);
        if (request === null) return priceUsage(ctx.language);
        const currency = (request.currency ?? ctx.settings.currency).toLowerCase();
        const coin = await findCoin(ctx, request.coin);
        if (Array.isArray(coin)) return unknownCoin(ctx.language, request.coin, coin);
        const refusal = await unquoted(ctx, currency);
        if (refusal !== null) return refusal;
        const quotes = await call(ctx, (signal) => api.prices([coin.id], [currency], signal));
        const quote = quotes.get(coin.id)?.get(currency);
        if (quote === undefined) return noPrice(ctx.language, coin, currency);
        return priceLine(coin, quote.price, currency, quote.changePercent, ctx.language);
      },
      {
        description: {
          en: 'a crypto price and its change in a day',
          ru: 'курс криптовалюты и изменение за сутки',
          uk: 'курс криптовалюти і зміна за добу',
        },
        args: { en: '<coin> [currency]', ru: '<монета> [валюта]', uk: '<монета> [валюта]' },
        tool: {
          description: 'Cryptocurrency price on CoinGecko, with its 24-hour change, in a currency of choice.',
          parameters: z.object({
            coin: z
              .string()
              .min(1)
              .max(64)
              .describe('the coin: ticker, name or Russian nickname ("btc", "ethereum", "эфир")'),
            currency: z
              .string()
              .max(32)
              .optional()
              .describe('the currency to quote in ("usd", "rub", "eur"); the chat\'s default when omitted'),
          }),
          args: ({ coin, currency }) => (currency === undefined || currency === '' ? coin : `${coin} ${currency}`),
        },
      },
    );

    /** What one side of `/convert` names: a fiat currency, else a coin, else a crypto unit CoinGecko quotes in. */
    async function sideOf(ctx: Context, text: string): Promise<Side> {
      const unit = currencyWord(text);
      if (unit !== null && (unit.fiat || unit.code === 'sats' || unit.code === 'bits'))
        return { kind: 'currency', code: unit.code };
      const coin = await findCoin(ctx, text);
      if (!Array.isArray(coin)) return { kind: 'coin', coin };
      if (unit !== null) return { kind: 'currency', code: unit.code };
      return { kind: 'unknown', text, suggestions: coin };
    }

    p.command(
      'convert',
      async (ctx) => {
        const request = parseConvertArgs(ctx.args, ctx.language);
        if (request === null) return convertUsage(ctx.language);
        const from = await sideOf(ctx, request.from);
        if (from.kind === 'unknown') return unknownCoin(ctx.language, from.text, from.suggestions);
        const to = await sideOf(ctx, request.to);
        if (to.kind === 'unknown') return unknownCoin(ctx.language, to.text, to.suggestions);
        for (const side of [from, to])
          if (side.kind === 'currency') {
            const refusal = await unquoted(ctx, side.code);
            if (refusal !== null) return refusal;
          }
        const rate = await rateOf(ctx, from, to);
        if (typeof rate === 'string') return rate;
        const amountOf = (side: Resolved, value: number) =>
          side.kind === 'coin'
            ? formatCoins(value, side.coin.symbol, ctx.language)
            : formatMoney(value, side.code, ctx.language);
        return [
          `💱 ${amountOf(from, request.amount)} = ${amountOf(to, request.amount * rate)}`,
          `1 ${nameOf(from)} = ${amountOf(to, rate)}`,
        ].join('\n');
      },
      {
        description: {
          en: 'convert between coins and currencies',
          ru: 'пересчитать монеты и валюты',
          uk: 'перерахувати монети й валюти',
        },
        args: { en: '<amount> <from> <to>', ru: '<сколько> <из чего> <во что>', uk: '<скільки> <з чого> <у що>' },
        tool: {
          description:
            'Convert an amount between cryptocurrencies and fiat money at CoinGecko prices: btc to rub, rub to eth, eth to btc.',
          parameters: z.object({
            amount: z.number().positive().describe('how much'),
            from: z
              .string()
              .min(1)
              .max(64)
              .describe('what the amount is in: a coin ("btc", "эфир") or a currency ("rub")'),
            to: z.string().min(1).max(64).describe('what to convert it to: a coin or a currency'),
          }),
          args: ({ amount, from, to }) => `${amountText(amount)} ${from} to ${to}`,
        },
      },
    );

    /** How many of `to` one of `from` is worth, or the answer saying why there is no such price. */
    async function rateOf(ctx: Context, from: Resolved, to: Resolved): Promise<number | string> {
      const priceOf = async (coin: KnownCoin, currency: string): Promise<number | string> => {
        const quotes = await call(ctx, (signal) => api.prices([coin.id], [currency], signal));
        const price = quotes.get(coin.id)?.get(currency)?.price;
        return price === undefined || price === 0 ? noPrice(ctx.language, coin, currency) : price;
      };
      if (from.kind === 'coin') {
        if (to.kind === 'currency') return priceOf(from.coin, to.code);
        if (from.coin.id === to.coin.id) return 1;
        const quotes = await call(ctx, (signal) => api.prices([from.coin.id, to.coin.id], ['usd'], signal));
        const a = quotes.get(from.coin.id)?.get('usd')?.price;
        const b = quotes.get(to.coin.id)?.get('usd')?.price;
        if (a === undefined) return noPrice(ctx.language, from.coin, 'usd');
        if (b === undefined || b === 0) return noPrice(ctx.language, to.coin, 'usd');
        return a / b;
      }
      if (to.kind === 'coin') {
        const price = await priceOf(to.coin, from.code);
        return typeof price === 'string' ? price : 1 / price;
      }
      if (from.code === to.code) return 1;
      // Two currencies through what CoinGecko prices in both: bitcoin.
      const quotes = await call(ctx, (signal) => api.prices([BITCOIN.id], [from.code, to.code], signal));
      const a = quotes.get(BITCOIN.id)?.get(from.code)?.price;
      const b = quotes.get(BITCOIN.id)?.get(to.code)?.price;
      if (a === undefined || a === 0) return noPrice(ctx.language, BITCOIN, from.code);
      if (b === undefined) return noPrice(ctx.language, BITCOIN, to.code);
      return b / a;
    }
  },
});

const BITCOIN: KnownCoin = { id: 'bitcoin', name: 'Bitcoin', symbol: 'BTC' };

function nameOf(side: Resolved): string {
  return side.kind === 'coin' ? side.coin.symbol.toUpperCase() : side.code.toUpperCase();
}

function priceUsage(language: Language): string {
  return say(language, {
    en: 'Write it like this: /price btc, /price ethereum eur, /price ton rub',
    ru: 'Пиши так: /price btc, /price эфир rub, /price тон в рублях',
    uk: 'Пиши так: /price btc, /price ethereum uah, /price ton usd',
  });
}

function convertUsage(language: Language): string {
  return say(language, {
    en: 'Write it like this: /convert 0.5 btc usd, /convert 1000 rub eth, /convert 1 eth btc',
    ru: 'Пиши так: /convert 0,5 btc rub, /convert 1000 рублей в эфир, /convert 1 eth btc',
    uk: 'Пиши так: /convert 0,5 btc uah, /convert 1000 uah eth, /convert 1 eth btc',
  });
}

/** The answer for a coin neither the nicknames nor CoinGecko's search know, with what the search did find. */
function unknownCoin(language: Language, asked: string, suggestions: readonly FoundCoin[]): string {
  const shown = clip(asked, 40);
  if (suggestions.length > 0) {
    const list = suggestions.map(coinLabel).join(', ');
    return say(language, {
      en: `I don't know a coin called “${shown}”. Did you mean ${list}?`,
      ru: `Монету «${shown}» не знаю. Может, ты про ${list}?`,
      uk: `Монети «${shown}» не знаю. Може, ти про ${list}?`,
    });
  }
  const names = knownCoinNames().join(', ');
  return say(language, {
    en: `CoinGecko knows no coin called “${shown}”. Try its ticker (btc, eth, ton) or its name (bitcoin, solana).`,
    ru: `Монеты «${shown}» CoinGecko не знает. Пиши тикер (btc, eth, ton) или название: ${names}…`,
    uk: `Монети «${shown}» CoinGecko не знає. Пиши тікер (btc, eth, ton) або назву: ${names}…`,
  });
}

function noPrice(language: Language, coin: KnownCoin, currency: string): string {
  return say(language, {
    en: `CoinGecko has no price of ${coinLabel(coin)} in ${currency.toUpperCase()} right now.`,
    ru: `Цены ${coinLabel(coin)} в ${currency.toUpperCase()} у CoinGecko сейчас нет.`,
    uk: `Ціни ${coinLabel(coin)} у ${currency.toUpperCase()} у CoinGecko зараз немає.`,
  });
}
