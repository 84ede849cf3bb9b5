import { describe, expect, it } from 'vitest';
import {
  amountText,
  coinByName,
  currencyWord,
  parseAmount,
  parseConvertArgs,
  parsePriceArgs,
} from '../../../src/plugins/integrations/crypto/crypto-args.js';
import {
  formatChange,
  formatCoins,
  formatMoney,
  fractionDigits,
} from '../../../src/plugins/integrations/crypto/crypto-format.js';

describe('reading /price and /convert', () => {
  it.each([
    ['биткоин', 'bitcoin'],
    ['биткоина', 'bitcoin'],
    ['биток', 'bitcoin'],
    ['Эфир', 'ethereum'],
    ['эфириума', 'ethereum'],
    ['тон', 'the-open-network'],
    ['тона', 'the-open-network'],
    ['догикоин', 'dogecoin'],
    ['шиба ину', 'shiba-inu'],
    ['биткоин кэш', 'bitcoin-cash'],
    ['солану', 'solana'],
  ])('knows the coin %s as %s', (name, id) => {
    expect(coinByName(name)?.id).toBe(id);
  });

  it('leaves tickers, English names and nonsense to the search', () => {
    expect(coinByName('btc')).toBeNull();
    expect(coinByName('bitcoin')).toBeNull();
    expect(coinByName('шмыркоин')).toBeNull();
  });

  it.each([
    ['rub', 'rub', true],
    ['рублях', 'rub', true],
    ['рублей', 'rub', true],
    ['₽', 'rub', true],
    ['$', 'usd', true],
    ['долларов', 'usd', true],
    ['баксов', 'usd', true],
    ['евро', 'eur', true],
    ['€', 'eur', true],
    ['гривен', 'uah', true],
    ['тенге', 'kzt', true],
    ['Dollars', 'usd', true],
    ['btc', 'btc', false],
    ['сатоши', 'sats', false],
  ])('reads the currency %s as %s', (word, code, fiat) => {
    expect(currencyWord(word)).toEqual({ code, fiat });
  });

  it('finds no currency in a coin name', () => {
    expect(currencyWord('эфир')).toBeNull();
    expect(currencyWord('cash')).toBeNull();
  });

  it.each([
    ['btc', { coin: 'btc', currency: null }],
    ['эфир rub', { coin: 'эфир', currency: 'rub' }],
    ['эфир в рублях', { coin: 'эфир', currency: 'rub' }],
    ['курс биткоина в долларах', { coin: 'биткоина', currency: 'usd' }],
    ['bitcoin cash', { coin: 'bitcoin cash', currency: null }],
    ['bitcoin cash eur', { coin: 'bitcoin cash', currency: 'eur' }],
    ['eth btc', { coin: 'eth', currency: 'btc' }],
    ['usd', { coin: 'usd', currency: null }],
    ['ton в белорусских рублях', { coin: 'ton', currency: 'byn' }],
  ])('reads /price %s', (text, request) => {
    expect(parsePriceArgs(text)).toEqual(request);
  });

  it('reads nothing from an empty /price', () => {
    expect(parsePriceArgs('')).toBeNull();
    expect(parsePriceArgs('  в ')).toBeNull();
  });

  it.each([
    ['0.5', 'ru', 0.5],
    ['0,5', 'ru', 0.5],
    ['1000', 'ru', 1000],
    ['1,000', 'en', 1000],
    ['1,000', 'ru', 1],
    ['1,000,000', 'ru', 1_000_000],
    ['1,000.50', 'ru', 1000.5],
    ['1.000,50', 'ru', 1000.5],
    ['1.000.000', 'ru', 1_000_000],
    ['.5', 'en', 0.5],
    ['0.00001234', 'en', 0.00001234],
  ] as const)('reads the amount %s (%s) as %d', (text, language, value) => {
    expect(parseAmount(text, language)).toBe(value);
  });

  it.each(['', '0', 'abc', '1.2.3', '-5', '1e5', '1,2,3'])('refuses the amount %j', (text) => {
    expect(parseAmount(text, 'en')).toBeNull();
  });

  it.each([
    ['0.5 btc rub', { amount: 0.5, from: 'btc', to: 'rub' }],
    ['0,5 биткоина в рублях', { amount: 0.5, from: 'биткоина', to: 'рублях' }],
    ['1000 rub eth', { amount: 1000, from: 'rub', to: 'eth' }],
    ['1 000 rub eth', { amount: 1000, from: 'rub', to: 'eth' }],
    ['1 000 000,5 rub usd', { amount: 1_000_000.5, from: 'rub', to: 'usd' }],
    ['100$ btc', { amount: 100, from: '$', to: 'btc' }],
    ['€50 в эфир', { amount: 50, from: '€', to: 'эфир' }],
    ['1 bitcoin cash to usd', { amount: 1, from: 'bitcoin cash', to: 'usd' }],
    ['2 shiba inu usd', { amount: 2, from: 'shiba inu', to: 'usd' }],
  ])('reads /convert %s', (text, request) => {
    expect(parseConvertArgs(text, 'ru')).toEqual(request);
  });

  it.each(['', 'btc rub', '0.5 btc', 'пять btc rub', '0.5 btc в'])('reads nothing from /convert %j', (text) => {
    expect(parseConvertArgs(text, 'ru')).toBeNull();
  });

  it('writes a tool call’s amount as the command reads it back', () => {
    for (const amount of [0.00000012, 1234.5, 1e21 / 1e20, 250])
      expect(parseAmount(amountText(amount), 'ru')).toBe(amount);
    expect(amountText(1.2e-7)).toBe('0.00000012');
  });
});

describe('writing prices', () => {
  it('shows four significant digits of a small price and cents of a big one', () => {
    expect(fractionDigits(67187.33)).toBe(2);
    expect(fractionDigits(1.5)).toBe(2);
    expect(fractionDigits(0.52)).toBe(4);
    expect(fractionDigits(0.00001234)).toBe(8);
    expect(fractionDigits(1e-15)).toBe(12);
    expect(formatMoney(0.00001234, 'usd', 'en')).toBe('$0.00001234');
    expect(formatMoney(0.52, 'usd', 'en')).toBe('$0.52');
  });

  it('writes money per language, with the sign where there is one and the code where not', () => {
    expect(formatMoney(67187.3358, 'usd', 'en')).toBe('$67,187.34');
    expect(formatMoney(67187.3358, 'usd', 'ru')).toBe('67\u00a0187,34\u00a0$');
    expect(formatMoney(6_046_860.1, 'rub', 'ru')).toBe('6\u00a0046\u00a0860,10\u00a0₽');
    expect(formatMoney(12.5, 'sats', 'en')).toBe('12.5 SATS');
    expect(formatMoney(0.0514, 'btc', 'ru')).toBe('0,0514 BTC');
    expect(formatCoins(0.5, 'btc', 'ru')).toBe('0,5 BTC');
    expect(formatCoins(12.345678, 'eth', 'en')).toBe('12.3457 ETH');
    expect(formatCoins(1_234_567.891, 'shib', 'en')).toBe('1,234,567.89 SHIB');
  });

  it('marks a day’s change with its direction', () => {
    expect(formatChange(3.63727894677354, 'en')).toBe('▲ +3.64%');
    expect(formatChange(-1.2, 'ru')).toBe('▼ -1,2%');
    expect(formatChange(0, 'en')).toBe('• 0%');
  });
});
