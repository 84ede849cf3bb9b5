import { stemmer as englishStemmer } from '@orama/stemmers/english';
import { stemmer as russianStemmer } from '@orama/stemmers/russian';

/**
 * Reduces a lower-case word to its stem with the Snowball algorithms
 * (Russian for Cyrillic words, English for Latin ones), so "бот", "бота" and
 * "ботом" count as one word while "работа" stays apart. Words in other
 * scripts are returned unchanged.
 */
export function stemWord(word: string): string {
  const c = word.charCodeAt(0);
  if (c >= 0x400 && c <= 0x4ff) return russianStemmer(word);
  if ((c >= 0x61 && c <= 0x7a) || (c >= 0xc0 && c <= 0x24f)) return englishStemmer(word);
  return word;
}
