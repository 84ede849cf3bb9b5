import type { Language } from './chat-state.js';
import type { TextScan } from './scan-text.js';

/**
 * Everyday words only one of the two languages has. Short Ukrainian messages
 * often carry none of і ї є ґ ("як справи", "що робиш") and short Russian
 * ones none of ы э ъ, so the words decide where the letters cannot.
 * Words are as {@link TextScan} gives them: lower case, `ё` folded to `е`.
 */
const UKRAINIAN_WORDS: ReadonlySet<string> = new Set([
  'що',
  'як',
  'яка',
  'який',
  'яке',
  'якщо',
  'гаразд',
  'це',
  'ця',
  'цей',
  'ці',
  'де',
  'чи',
  'або',
  'але',
  'бо',
  'вже',
  'теж',
  'ще',
  'ось',
  'було',
  'щось',
  'хто',
  'коли',
  'треба',
  'дуже',
  'можна',
  'немає',
  'зараз',
  'добре',
  'гарно',
  'дякую',
  'ласка',
  'чому',
  'скільки',
  'мене',
  'мені',
  'тобі',
  'він',
  'вона',
  'вони',
  'ми',
  'ви',
  'привіт',
  'ні',
]);

const RUSSIAN_WORDS: ReadonlySet<string> = new Set([
  'что',
  'чо',
  'че',
  'как',
  'это',
  'эта',
  'этот',
  'где',
  'или',
  'но',
  'уже',
  'тоже',
  'еще',
  'кто',
  'когда',
  'потому',
  'надо',
  'очень',
  'можно',
  'нет',
  'сейчас',
  'хорошо',
  'спасибо',
  'пожалуйста',
  'почему',
  'сколько',
  'мне',
  'меня',
  'он',
  'она',
  'они',
  'мы',
  'вы',
  'привет',
  'да',
]);

/** Letters only Russian uses among the two (`ё` is folded away before words are compared). */
const RUSSIAN_LETTERS = /[ыэъ]/;
const UKRAINIAN_LETTERS = /[іїєґ]/;

/**
 * The language of a message from its letters and words: Latin is English
 * (the only Latin language the persona speaks); Cyrillic is Ukrainian when
 * its marks (і ї є ґ, or words only Ukrainian has) outweigh Russian ones
 * (ы э ъ, or words only Russian has), Russian otherwise. Text without letters
 * (emoji, numbers) is `other`, and callers fall back to the member's usual
 * language.
 */
export function detectLanguage(scan: TextScan): Language {
  if (scan.cyrillic === 0 && scan.latin === 0) return 'other';
  if (scan.cyrillic < scan.latin) return 'en';
  let ukrainian = 0;
  let russian = 0;
  for (const word of scan.words) {
    // The scan says whether the text has such letters at all: most have none, and then no word needs the regex.
    const uk = UKRAINIAN_WORDS.has(word) || (scan.ukrainian && UKRAINIAN_LETTERS.test(word));
    const ru = RUSSIAN_WORDS.has(word) || (scan.russian && RUSSIAN_LETTERS.test(word));
    if (uk && !ru) ukrainian++;
    else if (ru && !uk) russian++;
  }
  return ukrainian > russian ? 'uk' : 'ru';
}
