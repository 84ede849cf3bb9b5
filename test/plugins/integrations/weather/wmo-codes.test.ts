import { describe, expect, it } from 'vitest';
import { weatherWords } from '../../../../src/plugins/integrations/weather/wmo-codes.js';

/** Every code of the documentation's table (open-meteo.com/en/docs, "WMO Weather interpretation codes"). */
const DOCUMENTED = [
  0, 1, 2, 3, 45, 48, 51, 53, 55, 56, 57, 61, 63, 65, 66, 67, 71, 73, 75, 77, 80, 81, 82, 85, 86, 95, 96, 99,
];

describe('WMO weather codes', () => {
  it('name every documented code in Russian, English and Ukrainian, with an emoji', () => {
    for (const code of DOCUMENTED) {
      for (const language of ['ru', 'en', 'uk'] as const) {
        const words = weatherWords(code, language);
        expect(words.text, `${code} ${language}`).not.toBe(weatherWords(null, language).text);
        expect(words.emoji).toMatch(/\p{Extended_Pictographic}/u);
      }
    }
  });

  it.each([
    [0, 'en', '☀️', 'clear sky'],
    [2, 'ru', '⛅', 'переменная облачность'],
    [45, 'ru', '🌫', 'туман'],
    [63, 'en', '🌧', 'rain'],
    [73, 'ru', '🌨', 'снег'],
    [95, 'uk', '⛈', 'гроза'],
    [99, 'en', '⛈', 'thunderstorm with heavy hail'],
  ] as const)('reads %i in %s as %s %s', (code, language, emoji, text) => {
    expect(weatherWords(code, language)).toEqual({ emoji, text });
  });

  it('reads a code outside the table, or none, as unclear weather', () => {
    expect(weatherWords(42, 'ru')).toEqual({ emoji: '🌡', text: 'погода неясна' });
    expect(weatherWords(null, 'en')).toEqual({ emoji: '🌡', text: 'unclear weather' });
  });
});
