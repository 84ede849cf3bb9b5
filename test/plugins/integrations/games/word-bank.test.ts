import { describe, expect, it } from 'vitest';
import { normalize } from '../../../../src/plugins/integrations/games/games-data.js';
import { WORD_BANK } from '../../../../src/plugins/integrations/games/word-bank.js';

describe('the word bank', () => {
  const alphabet = { ru: /^[а-я]+$/, uk: /^[а-щьюяєіїґ]+$/, en: /^[a-z]+$/ };

  it.each(['ru', 'uk', 'en'] as const)(
    'has at least 100 unique words of 5–9 letters in %s, each with a hint',
    (language) => {
      const words = WORD_BANK[language];
      expect(words.length).toBeGreaterThanOrEqual(100);
      expect(new Set(words.map((w) => w.word)).size).toBe(words.length);
      for (const { word, hint } of words) {
        expect(word, word).toMatch(alphabet[language]);
        expect(word.length, word).toBeGreaterThanOrEqual(5);
        expect(word.length, word).toBeLessThanOrEqual(9);
        expect(hint.length, word).toBeGreaterThan(5);
        expect(hint, word).not.toContain('\n');
        // The hint never gives the word away.
        expect(normalize(hint), word).not.toContain(word);
      }
    },
  );
});
