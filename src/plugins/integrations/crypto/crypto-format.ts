import type { Language } from '../../../chat/index.js';
import { formatNumber, say } from '../integration-kit.js';
import type { KnownCoin } from './crypto-args.js';

/**
 * How the crypto answers write prices, amounts and changes in the asker's
 * language: enough digits to see a price of a fraction of a cent
 * (`0.00001234`), a currency sign where the language has one. Pure.
 */

/** Fraction digits that show four significant ones of a small value and cents of a big one. */
export function fractionDigits(value: number): number {
  const size = Math.abs(value);
  if (size === 0 || size >= 1) return 2;
  return Math.min(12, Math.max(2, 3 - Math.floor(Math.log10(size))));
}

/** Codes `Intl` writes as money (ISO 4217: three letters); bits, sats and tickers are written after the number. */
const MONEY = /^[a-z]{3}$/;
const NOT_MONEY = new Set(['btc', 'eth', 'ltc', 'bch', 'bnb', 'eos', 'xrp', 'xlm', 'dot', 'yfi', 'sol']);

/** An amount of a currency: `67 187,34 $`, `$67,187.34`, `0,00001234 $`, `0.5 BTC`, `1 200 SATS`. */
export function formatMoney(value: number, currency: string, language: Language): string {
  const digits = fractionDigits(value);
  const code = currency.toLowerCase();
  if (MONEY.test(code) && !NOT_MONEY.has(code)) {
    try {
      return formatNumber(value, language, {
        style: 'currency',
        currency: code.toUpperCase(),
        minimumFractionDigits: Math.min(2, digits),
        maximumFractionDigits: digits,
      });
    } catch {
      // A code Intl refuses: written as a number and the code below.
    }
  }
  return `${formatNumber(value, language, { maximumFractionDigits: digits })} ${code.toUpperCase()}`;
}

/** An amount of a coin: `0,5 BTC`, `1 234,5678 TON`. */
export function formatCoins(value: number, symbol: string, language: Language): string {
  const digits = value >= 1000 ? 2 : value >= 1 ? 4 : fractionDigits(value);
  return `${formatNumber(value, language, { maximumFractionDigits: digits })} ${symbol.toUpperCase()}`;
}

/** A day's change: `▲ +3,64%`, `▼ −1,2%`, `• 0%`. */
export function formatChange(percent: number, language: Language): string {
  const arrow = percent > 0 ? '▲' : percent < 0 ? '▼' : '•';
  const shown = formatNumber(percent, language, { maximumFractionDigits: 2, signDisplay: 'exceptZero' });
  return `${arrow} ${shown}%`;
}

/** A coin as answers name it: `Bitcoin (BTC)`. */
export function coinLabel(coin: KnownCoin): string {
  return `${coin.name} (${coin.symbol.toUpperCase()})`;
}

/** `/price`'s answer: `Bitcoin (BTC): 67 187,34 $, ▲ +3,64% за сутки`. */
export function priceLine(
  coin: KnownCoin,
  price: number,
  currency: string,
  changePercent: number | null,
  language: Language,
): string {
  const head = `🪙 ${coinLabel(coin)}: ${formatMoney(price, currency, language)}`;
  if (changePercent === null) return head;
  return `${head}, ${formatChange(changePercent, language)} ${say(language, { en: 'in 24h', ru: 'за сутки', uk: 'за добу' })}`;
}
