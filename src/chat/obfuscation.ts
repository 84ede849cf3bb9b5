/** Which alphabet a banned word is written in, and so which skeleton it is compared with. */
export type Script = 'cyrillic' | 'latin';

// Characters people swap in to dodge filters, mapped back to the letter they imitate.
const TO_CYRILLIC: Record<string, string> = {
  a: 'а',
  b: 'в',
  c: 'с',
  e: 'е',
  h: 'н',
  k: 'к',
  m: 'м',
  o: 'о',
  p: 'р',
  t: 'т',
  x: 'х',
  y: 'у',
  u: 'и',
  r: 'г',
  n: 'п',
  '0': 'о',
  '3': 'з',
  '4': 'ч',
  '6': 'б',
  '@': 'а',
  ё: 'е',
};
const TO_LATIN: Record<string, string> = {
  а: 'a',
  в: 'b',
  с: 'c',
  е: 'e',
  ё: 'e',
  н: 'h',
  к: 'k',
  м: 'm',
  о: 'o',
  р: 'p',
  т: 't',
  х: 'x',
  у: 'y',
  и: 'u',
  п: 'n',
  г: 'r',
  '0': 'o',
  '1': 'i',
  '3': 'e',
  '4': 'a',
  '5': 's',
  '7': 't',
  '@': 'a',
  $: 's',
  '!': 'i',
};

const EDGE_NOISE = /^[^\p{L}\p{N}@$]+|[^\p{L}\p{N}]+$/gu;

/**
 * The "skeleton" of one whitespace-separated chunk of a message for
 * comparison with banned words of one script: lower case, look-alike
 * letters and digits of the other script mapped back ("xyй" → "хуй",
 * "fuсk" with a Cyrillic с → "fuck"), separators inside dropped
 * ("д.у.р.а.к" → "дурак"). Repeated letters are kept: the matcher allows
 * them ("дууурак").
 */
export function skeleton(chunk: string, script: Script): string {
  const trimmed = chunk.toLowerCase().replace(EDGE_NOISE, '');
  const map = script === 'cyrillic' ? TO_CYRILLIC : TO_LATIN;
  let out = '';
  for (const ch of trimmed) {
    const mapped = map[ch];
    if (mapped !== undefined) out += mapped;
    else if (isLetterOf(ch, script)) out += ch;
    // Anything else (dots, dashes, stars, other scripts' letters without a twin) is a separator.
  }
  return out;
}

function isLetterOf(ch: string, script: Script): boolean {
  const c = ch.charCodeAt(0);
  return script === 'cyrillic' ? c >= 0x430 && c <= 0x44f : c >= 0x61 && c <= 0x7a;
}

/** The script a banned word is written in: Cyrillic if it has any Cyrillic letter. */
export function scriptOf(word: string): Script {
  return /[\u0400-\u04ff]/u.test(word) ? 'cyrillic' : 'latin';
}
