/** Letters and digits of any script; everything else separates words. */
const WORD = /[\p{L}\p{N}]+/gu;

/**
 * The search words of a text as the blind index keys them: lower case, ё
 * read as е, stemmed, each once. Postgres' own search normalises plaintext
 * rows much the same way, so a query finds a word in either kind of row.
 */
export function searchWords(text: string, stem: (word: string) => string): string[] {
  return [...new Set(rawWords(text).map(stem))];
}

/** The words of a text lower-cased, ё read as е, not yet stemmed (repeats included). */
export function rawWords(text: string): string[] {
  return Array.from(text.toLowerCase().replaceAll('ё', 'е').matchAll(WORD), (match) => match[0]);
}
