/** What one pass over a message's text finds: its words and a few cheap signals. */
export interface TextScan {
  /** Words in lower case with ё folded to е, in order; digits split words. */
  words: string[];
  /** Letters per script, for language detection. */
  cyrillic: number;
  latin: number;
  /** Letters only Ukrainian uses (і ї є ґ) were seen. */
  ukrainian: boolean;
  /** Letters only Russian uses among the two (ы э ъ) were seen. */
  russian: boolean;
  hasDigit: boolean;
  hasAt: boolean;
  question: boolean;
  /** Emoji or other pictographs appear (worth a look for tone). */
  hasEmoji: boolean;
}

const otherLetter = /\p{L}/u;

// Which letters a word holds, for how it is lower-cased:
/** lower-case Latin and Cyrillic only (а–я, ѐ–џ): taken as it is; */
const LOWER = 0;
/** also capitals of A–Z and Ѐ–Я, which lower-case one to one; */
const BASIC = 1;
/** some other letter. */
const OTHER = 2;

/**
 * Splits a message into words in one pass over its characters. Hand-written
 * rather than a Unicode regex because it runs for every message and also
 * counts scripts and signals in the same pass.
 */
export function scanText(text: string): TextScan {
  const words: string[] = [];
  // Most words are in lower case already. A word with capitals of the basic Latin and
  // Cyrillic ranges only is lower-cased alone (they map one to one, whatever is around);
  // one with any other letter is cut from the whole text lower-cased, made once when
  // first needed, as context can matter there (a Greek final sigma).
  let lower: string | undefined;
  let capitals = LOWER;
  let cyrillic = 0;
  let latin = 0;
  let ukrainian = false;
  let russian = false;
  let hasDigit = false;
  let hasAt = false;
  let question = false;
  let hasEmoji = false;
  let start = -1;
  let needsFold = false;
  const n = text.length;
  for (let i = 0; i <= n; i++) {
    const c = i < n ? text.charCodeAt(i) : 32;
    let letter = false;
    if (c >= 0x61 && c <= 0x7a) {
      latin++;
      letter = true;
    } else if (c >= 0x41 && c <= 0x5a) {
      latin++;
      letter = true;
      if (capitals === LOWER) capitals = BASIC;
    } else if (c >= 0x400 && c <= 0x4ff) {
      cyrillic++;
      letter = true;
      if (c < 0x430) {
        if (capitals === LOWER) capitals = BASIC;
      } else if (c >= 0x460) capitals = OTHER;
      if (
        c === 0x456 ||
        c === 0x457 ||
        c === 0x454 ||
        c === 0x491 ||
        c === 0x406 ||
        c === 0x407 ||
        c === 0x404 ||
        c === 0x490
      )
        ukrainian = true;
      else if (c === 0x44b || c === 0x44d || c === 0x44a || c === 0x42b || c === 0x42d || c === 0x42a) russian = true;
      if (c === 0x451 || c === 0x401) needsFold = true;
    } else if (c >= 0xc0 && c <= 0x24f && c !== 0xd7 && c !== 0xf7) {
      latin++;
      letter = true;
      capitals = OTHER;
    } else if (c > 0x24f && c < 0xd800 && otherLetter.test(text[i]!)) {
      letter = true;
      capitals = OTHER;
    } else if (c === 0x2d && start >= 0 && i + 1 < n && isWordLetter(text.charCodeAt(i + 1))) {
      // "кто-то", "из-за", "e-mail": a hyphen between letters keeps the word whole.
      continue;
    }
    if (letter) {
      if (start < 0) start = i;
      continue;
    }
    if (start >= 0) {
      let word: string;
      if (capitals === LOWER) word = text.slice(start, i);
      else if (capitals === BASIC) word = text.slice(start, i).toLowerCase();
      else {
        lower ??= text.toLowerCase();
        word = lower.length === n ? lower.slice(start, i) : text.slice(start, i).toLowerCase();
      }
      if (needsFold) word = word.replaceAll('ё', 'е');
      words.push(word);
      start = -1;
      needsFold = false;
      capitals = LOWER;
    }
    if (c >= 0x30 && c <= 0x39) hasDigit = true;
    else if (c === 0x40) hasAt = true;
    else if (c === 0x3f) question = true;
    else if ((c >= 0xd800 && c <= 0xdbff) || (c >= 0x2600 && c <= 0x27bf)) hasEmoji = true;
  }
  return { words, cyrillic, latin, ukrainian, russian, hasDigit, hasAt, question, hasEmoji };
}

function isWordLetter(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x400 && c <= 0x4ff);
}
