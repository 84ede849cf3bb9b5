import type { Language } from '../../../chat/index.js';
import { numberFormat } from '../integration-kit.js';
import { WordTable, wordsOf } from '../word-table.js';

/**
 * Reading `/price` and `/convert`: coins by their Russian names and slang,
 * currencies by their names in Russian and English, signs and codes, and
 * amounts written either way (`0.5`, `0,5`, `1 000`). Pure.
 */

/** A coin as CoinGecko names it: its API id, its name and its ticker. */
export interface KnownCoin {
  id: string;
  name: string;
  symbol: string;
}

const coin = (id: string, name: string, symbol: string): KnownCoin => ({ id, name, symbol });

/**
 * Russian names and slang of the coins people ask about, which CoinGecko's
 * search (English only) does not know. Tickers and English names go to the
 * search instead.
 */
const COIN_NAMES = new WordTable<KnownCoin>([
  [['биткоин', 'биткойн', 'биток', 'битка', 'битки', 'бтц'], coin('bitcoin', 'Bitcoin', 'BTC')],
  [['эфир', 'эфириум', 'эфериум', 'этериум', 'эфирка'], coin('ethereum', 'Ethereum', 'ETH')],
  [['тон', 'тонкоин', 'тонка', 'тонах'], coin('the-open-network', 'Toncoin', 'TON')],
  [['тетер', 'тезер', 'юсдт', 'тизер'], coin('tether', 'Tether', 'USDT')],
  [['солана', 'солану', 'соланой', 'сол'], coin('solana', 'Solana', 'SOL')],
  [['догикоин', 'догекоин', 'доги', 'доге', 'дож', 'додж'], coin('dogecoin', 'Dogecoin', 'DOGE')],
  [['рипл', 'иксрп'], coin('ripple', 'XRP', 'XRP')],
  [['лайткоин', 'лайткойн', 'лайт'], coin('litecoin', 'Litecoin', 'LTC')],
  [['кардано', 'ада'], coin('cardano', 'Cardano', 'ADA')],
  [['полкадот'], coin('polkadot', 'Polkadot', 'DOT')],
  [['трон', 'тронкоин'], coin('tron', 'TRON', 'TRX')],
  [['шиба', 'шиба ину', 'шиб'], coin('shiba-inu', 'Shiba Inu', 'SHIB')],
  [['бнб', 'бинанс коин', 'бинанскоин'], coin('binancecoin', 'BNB', 'BNB')],
  [['монеро', 'монера'], coin('monero', 'Monero', 'XMR')],
  [['пепе'], coin('pepe', 'Pepe', 'PEPE')],
  [['ноткоин', 'нот'], coin('notcoin', 'Notcoin', 'NOT')],
  [['авакс', 'аваланч', 'аваланш'], coin('avalanche-2', 'Avalanche', 'AVAX')],
  [['чейнлинк', 'линк'], coin('chainlink', 'Chainlink', 'LINK')],
  [['стеллар', 'стелар'], coin('stellar', 'Stellar', 'XLM')],
  [['юсдс', 'юсдц'], coin('usd-coin', 'USDC', 'USDC')],
  [['биткоин кэш', 'биткоин кеш', 'биткойн кэш'], coin('bitcoin-cash', 'Bitcoin Cash', 'BCH')],
  [['эфириум классик', 'эфир классик'], coin('ethereum-classic', 'Ethereum Classic', 'ETC')],
  [['суи', 'суй'], coin('sui', 'Sui', 'SUI')],
  [['космос', 'атом'], coin('cosmos', 'Cosmos Hub', 'ATOM')],
]);

/** The coin `text` is a Russian name or nickname of (`биткоина`, `эфир`, `тон`), or null. */
export function coinByName(text: string): KnownCoin | null {
  return COIN_NAMES.get(text) ?? null;
}

/** A few of the Russian coin names understood, for a hint. */
export function knownCoinNames(count = 8): string[] {
  return COIN_NAMES.names().slice(0, count);
}

/** What a currency word stands for: its code, and whether it is money of a country (or gold, silver, SDR). */
export interface CurrencyWord {
  code: string;
  fiat: boolean;
}

/** Fiat currencies by their names in Russian and English, signs and codes (the codes CoinGecko may quote in, and others people ask for). */
const FIAT_NAMES = new WordTable<string>([
  [['usd', 'доллар', 'долларах', 'долл', 'бакс', 'баксах', '$', 'us$', 'dollar', 'dollars', 'bucks'], 'usd'],
  [['eur', 'евро', '€', 'euro', 'euros', 'евриках'], 'eur'],
  [['rub', 'рубль', 'рублях', 'руб', 'р', '₽', 'rur', 'ruble', 'rubles', 'rouble', 'roubles', 'деревянных'], 'rub'],
  [['uah', 'гривна', 'гривен', 'гривнах', 'грн', '₴', 'hryvnia', 'hryvnias'], 'uah'],
  [['gbp', 'фунт', 'фунтах', '£', 'pound', 'pounds', 'sterling'], 'gbp'],
  [['jpy', 'иена', 'йена', 'иенах', 'йенах', '¥', 'yen'], 'jpy'],
  [['cny', 'юань', 'юанях', 'rmb', 'yuan'], 'cny'],
  [['kzt', 'тенге', '₸', 'tenge'], 'kzt'],
  [['byn', 'белорусский рубль', 'белорусских рублях'], 'byn'],
  [['try', 'лира', 'лирах', '₺', 'lira'], 'try'],
  [['inr', 'рупия', 'рупиях', '₹', 'rupee', 'rupees'], 'inr'],
  [['chf', 'франк', 'франках', 'franc', 'francs'], 'chf'],
  [['pln', 'злотый', 'злотых', 'zloty', 'zlotys'], 'pln'],
  [['gel', 'лари', 'lari'], 'gel'],
  [['amd', 'драм', 'драмах', 'dram'], 'amd'],
  [['uzs', 'сум', 'сумах'], 'uzs'],
  [['krw', 'вона', 'вонах', '₩', 'won'], 'krw'],
  [['brl', 'реал', 'реалах', 'real', 'reais'], 'brl'],
  [['ils', 'шекель', 'шекелях', '₪', 'shekel', 'shekels'], 'ils'],
  [['aed', 'дирхам', 'дирхамах', 'dirham', 'dirhams'], 'aed'],
  [['thb', 'бат', 'батах', 'baht'], 'thb'],
  [['vnd', 'донг', 'донгах', 'dong'], 'vnd'],
  [['xau', 'золото', 'золоте', 'gold'], 'xau'],
  [['xag', 'серебро', 'серебре', 'silver'], 'xag'],
  ...[
    'ars',
    'aud',
    'bdt',
    'bhd',
    'bmd',
    'cad',
    'clp',
    'czk',
    'dkk',
    'hkd',
    'huf',
    'idr',
    'kwd',
    'lkr',
    'mmk',
    'mxn',
    'myr',
    'ngn',
    'nok',
    'nzd',
    'php',
    'pkr',
    'sar',
    'sek',
    'sgd',
    'twd',
    'vef',
    'zar',
    'xdr',
    'mdl',
    'azn',
    'kgs',
    'tjs',
    'rsd',
  ].map((code) => [[code], code] as const),
]);

/** Crypto units CoinGecko quotes prices in besides fiat: tickers, and bitcoin's bits and satoshis. */
const CRYPTO_UNITS = new WordTable<string>([
  ...['btc', 'eth', 'ltc', 'bch', 'bnb', 'eos', 'xrp', 'xlm', 'link', 'dot', 'yfi', 'sol'].map(
    (code) => [[code], code] as const,
  ),
  [['bits', 'битсы'], 'bits'],
  [['sats', 'сатоши', 'сатоших', 'саты', 'сат'], 'sats'],
]);

/** The currency `text` names (`рублях` → rub, `$` → usd, `btc` → btc), or null. */
export function currencyWord(text: string): CurrencyWord | null {
  const fiat = FIAT_NAMES.get(text);
  if (fiat !== undefined) return { code: fiat, fiat: true };
  const unit = CRYPTO_UNITS.get(text);
  return unit === undefined ? null : { code: unit, fiat: false };
}

/** Words that join a coin to a currency (`в рублях`, `to usd`), left out when reading. */
const JOINERS = new Set(['в', 'во', 'на', 'за', 'к', 'to', 'in', 'into', 'per', 'vs', '→', 'сколько', 'курс']);

/** `/price` as asked: a coin (any text) and the currency to quote it in, when named. */
export interface PriceRequest {
  coin: string;
  currency: string | null;
}

/**
 * `btc` → bitcoin in the chat's currency; `эфир rub`, `эфир в рублях` →
 * ether in roubles; `bitcoin cash` → a coin of two words. The last word is
 * the currency only when there is a word before it. Null for nothing.
 */
export function parsePriceArgs(text: string): PriceRequest | null {
  const words = wordsOf(text).filter((word) => !JOINERS.has(word));
  if (words.length === 0) return null;
  for (const take of [2, 1]) {
    if (words.length <= take) continue;
    const currency = currencyWord(words.slice(-take).join(' '));
    if (currency !== null) return { coin: words.slice(0, -take).join(' '), currency: currency.code };
  }
  return { coin: words.join(' '), currency: null };
}

const SIGNS = /^([$€₽£¥₴₸₺₹₪₩]?)(.+?)([$€₽£¥₴₸₺₹₪₩]?)$/u;

/**
 * An amount as people write it: `0.5`, `0,5`, `1000`, `1,000.50`,
 * `1.000.000`, and in English `1,000` as a thousand. Null for anything
 * else, zero or negative.
 */
export function parseAmount(text: string, language: Language): number | null {
  let digits = text.replaceAll('\u00a0', '').replaceAll('_', '');
  if (!/^\d[\d.,']*$|^[.,]\d+$/.test(digits)) return null;
  digits = digits.replaceAll("'", '');
  const comma = digits.lastIndexOf(',');
  const dot = digits.lastIndexOf('.');
  if (comma >= 0 && dot >= 0) {
    // Both: the last one is the decimal mark, the other groups thousands.
    const [group, decimal] = comma > dot ? ['.', ','] : [',', '.'];
    digits = digits.replaceAll(group, '').replace(decimal, '.');
  } else if (comma >= 0) {
    const thousands = /^\d{1,3}(,\d{3})+$/.test(digits) && (language === 'en' || digits.split(',').length > 2);
    digits = thousands ? digits.replaceAll(',', '') : digits.replace(',', '.');
  } else if (digits.split('.').length > 2) {
    // `1.000.000`: dots grouping thousands, as in much of Europe.
    if (!/^\d{1,3}(\.\d{3})+$/.test(digits)) return null;
    digits = digits.replaceAll('.', '');
  }
  if (!/^\d*\.?\d+$|^\d+\.$/.test(digits)) return null;
  const value = Number(digits);
  return Number.isFinite(value) && value > 0 ? value : null;
}

/** `/convert` as asked: how much of what (a coin or a currency, any text) into what. */
export interface ConvertRequest {
  amount: number;
  from: string;
  to: string;
}

/**
 * `0.5 btc rub`, `0,5 биткоина в рублях`, `1 000 rub eth`, `100$ btc`,
 * `1 bitcoin cash to usd`. The amount comes first (its thousands may be
 * apart, a currency sign may stick to it); `в`/`to` splits what from what,
 * else the last word is the target. Null when it cannot be read.
 */
export function parseConvertArgs(text: string, language: Language): ConvertRequest | null {
  const words = wordsOf(text);
  let first = words.shift();
  if (first === undefined) return null;
  while (/^\d{1,3}$|^\d{1,3}( \d{3})+$/.test(first) && /^\d{3}([.,]\d+)?[$€₽£¥₴₸₺₹₪₩]?$/u.test(words[0] ?? ''))
    first = `${first} ${words.shift()!}`;
  first = first.replaceAll(' ', '');
  const signed = SIGNS.exec(first);
  const amount = signed === null ? null : parseAmount(signed[2]!, language);
  if (amount === null) return null;
  const sign = signed![1] || signed![3];
  if (sign) words.unshift(sign);
  const joiner = words.findIndex((word, i) => i > 0 && JOINERS.has(word));
  const [from, to] =
    joiner > 0
      ? [words.slice(0, joiner), words.slice(joiner + 1).filter((word) => !JOINERS.has(word))]
      : [words.slice(0, -1), words.slice(-1)];
  if (from.length === 0 || to.length === 0) return null;
  return { amount, from: from.join(' '), to: to.join(' ') };
}

/** An amount as a tool call's arguments write it for the command (`0.00000012`, never `1.2e-7`). */
export function amountText(amount: number): string {
  return numberFormat('en-US', { useGrouping: false, maximumFractionDigits: 20 }).format(amount);
}
