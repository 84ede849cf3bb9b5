/**
 * How the emulated search APIs match a query, as a store's search box does:
 * case and `ё`/`е` do not matter, punctuation is ignored, and each word of
 * the query may be the start of a word of the title (`дюн` finds «Дюна»).
 */

/** A text's words for matching: lower case, `ё` as `е`, letters and digits only. */
export function words(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/ё/g, 'е')
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word !== '');
}

/** How many of the query's words start a word of any of `texts`. */
export function matchedWords(query: readonly string[], texts: readonly string[]): number {
  const candidates = texts.flatMap(words);
  return query.filter((q) => candidates.some((word) => word.startsWith(q))).length;
}

/** Whether `text` says exactly what the query says (its words, in order). */
export function sameWords(query: readonly string[], text: string): boolean {
  return words(text).join(' ') === query.join(' ');
}
