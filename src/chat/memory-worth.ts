import { findLinks, mayHoldLink } from './link-guard.js';
import { PII_PLACEHOLDER } from './pii-detector.js';
import { scanText } from './scan-text.js';
import { isStopWord } from './stop-words.js';
import { isLaughter } from './tone-lexicon.js';

/** Limits {@link memoryCandidate} applies. */
export const MEMORY_CANDIDATE_LIMITS = {
  /** Longest text kept; longer texts are cut at a word boundary. */
  maxChars: 500,
  /** A plain message needs this many distinct content (non-stop) words to be remembered. */
  minContentWords: 3,
  /** A first-person fact needs this many content words after its opening ("я живу в" + "Казани"). */
  minFactWords: 1,
} as const;

/** A message worth keeping in long-term memory, and why. */
export interface MemoryCandidate {
  /** `fact`: the member says something lasting about themselves; `message`: anything else substantive. */
  kind: 'fact' | 'message';
  /** Trimmed, whitespace collapsed, at most {@link MEMORY_CANDIDATE_LIMITS}.maxChars. */
  text: string;
}

/**
 * Replies that carry no content of their own: acknowledgements, yes/no,
 * thanks, interjections. Laughter is recognised separately in all spellings.
 */
const ACKNOWLEDGEMENTS: ReadonlySet<string> = new Set(
  `ок окей окс ага угу ога да нет неа ну лол кек спс спасибо пасиб пасибо благодарю понятно понял поняла ясно норм нормально
  хорошо ладно конечно согласен согласна точно верно плюсую жиза база хм хмм мм ммм ээ эх ого ух вау ну-ну да-да ок-ок
  ok okay k kk yes yep yup yeah no nope nah lol lmao rofl thx thanks thank ty np sure fine wow hmm oh ah uh cool nice`
    .split(/\s+/)
    .filter((w) => w.length > 0),
);

/**
 * Openings of a first-person statement about oneself, matched on lower-cased
 * text with ё folded to е. `complete` openings are a whole fact already
 * ("мне 30 лет"); the others need a content word after them in the same
 * sentence ("я живу в" alone says nothing).
 */
const FACT_OPENINGS: ReadonlyArray<{ pattern: string; complete?: true }> = [
  { pattern: 'меня зовут' },
  { pattern: '(?:я )?(?:работаю|тружусь|учусь|живу|занимаюсь)' },
  { pattern: 'я (?:работал|работала|жил|жила|учился|училась|родился|родилась|вырос|выросла)' },
  { pattern: 'я (?:из|по профессии|по образованию)' },
  { pattern: 'я ?[—–-]' },
  { pattern: 'у меня есть' },
  { pattern: '(?:я )?(?:не )?(?:люблю|обожаю|ненавижу|терпеть не могу)' },
  { pattern: '(?:мой|моя|мое|мои) (?:самый |самая |самое |самые )?любим(?:ый|ая|ое|ые)' },
  { pattern: 'мне \\d{1,3} (?:год|года|лет)', complete: true },
  { pattern: 'my name is' },
  { pattern: "(?:i am|i'm|im) (?:a|an|from)" },
  { pattern: 'i (?:work|worked|study|studied|live|lived|grew up|was born|come from)' },
  { pattern: "i (?:really )?(?:love|hate|adore|like|don't like|dont like|can't stand)" },
  { pattern: 'i have (?:a|an|two|three|\\d+)' },
  { pattern: 'my (?:all-time )?favou?rite' },
  { pattern: "(?:i am|i'm|im) \\d{1,3}(?: years? old)?", complete: true },
];

const FACT_MATCHERS = FACT_OPENINGS.map(({ pattern, complete }) => ({
  // JavaScript's \b knows only ASCII letters, so word edges are spelled out with \p{L}.
  regex: new RegExp(`(?<![\\p{L}\\p{N}'])${pattern}(?![\\p{L}\\p{N}'-])`, 'gu'),
  complete: complete === true,
}));

/** Objects that make "у меня есть …" a remark about the conversation, not about the member. */
const NOT_FACT_OBJECTS: ReadonlySet<string> = new Set([
  'вопрос',
  'вопросы',
  'идея',
  'мысль',
  'предложение',
  'просьба',
  'question',
  'idea',
]);
/** "я люблю тебя", "I love you": said to someone, not about oneself. */
const ADDRESSEES: ReadonlySet<string> = new Set(['тебя', 'тебе', 'вас', 'вам', 'you', 'ya', 'u']);
/** After a comma these carry the object on: "я люблю, когда тихо". */
const CONJUNCTIONS: ReadonlySet<string> = new Set([
  'когда',
  'что',
  'чтобы',
  'как',
  'если',
  'где',
  'when',
  'that',
  'how',
  'if',
  'where',
]);

/**
 * All fact openings in one pattern, tried on the text as it is: without the
 * word edges, case-insensitive, ё and the other apostrophes allowed where the
 * openings have е and '. It matches wherever one of them matches the
 * lower-cased text (and at a few places more), so a text it finds nothing in
 * (most messages) is neither lower-cased nor tried opening by opening.
 * Without an assertion in front, the search skips ahead to where an
 * opening's first letter is. (No opening ends in a Latin "i", the one letter
 * "İ" lower-cases into, followed by a combining dot.)
 */
const ANY_FACT_OPENING = new RegExp(
  FACT_OPENINGS.map(({ pattern }) => pattern.replaceAll('е', '[её]').replaceAll("'", "['’`]")).join('|'),
  'iu',
);

const SENTENCE_END = /[.!?;…]/u;
const COMMAND = /^\/\p{L}/u;
/** Whitespace {@link memoryCandidate} collapses: a run of two or more, or any but a plain space. */
const UNCOLLAPSED = /[^\S ]| {2}/u;
/** A letter repeated three times or more is emphasis: "дааааа" means "да". */
const STRETCHED = /(\p{L})\1{2,}/gu;

/**
 * Decides whether a member's message (already PII-redacted) is worth keeping
 * in long-term memory.
 *
 * Nothing is kept from commands, acknowledgements and laughter, emoji,
 * punctuation, links or mentions on their own, and repetitive noise. A
 * first-person statement about oneself ("я живу в Казани", "I'm a nurse")
 * is a `fact` even when short; any other message is a `message` when it has
 * at least `minContentWords` distinct content words.
 */
export function memoryCandidate(text: string): MemoryCandidate | null {
  const trimmed = text.trim();
  // Most messages have nothing to collapse: the test spares building a copy of each.
  const collapsed = UNCOLLAPSED.test(trimmed) ? trimmed.replace(/\s+/gu, ' ') : trimmed;
  if (collapsed.length === 0 || (collapsed.charCodeAt(0) === 0x2f && COMMAND.test(collapsed))) return null;
  // Judged on what would be stored, so a long message is not rejected for its tail.
  const kept = cutAtWord(collapsed, MEMORY_CANDIDATE_LIMITS.maxChars);
  const words = contentWords(meaningfulPart(kept));
  if (words.length === 0) return null;
  const distinct = new Set(words).size;
  // "a b c a b c a b c": the same few words over and over.
  if (distinct * 2 < words.length) return null;
  if (isFact(kept)) return { kind: 'fact', text: kept };
  if (distinct < MEMORY_CANDIDATE_LIMITS.minContentWords) return null;
  return { kind: 'message', text: kept };
}

/** The text without links, @mentions and PII placeholders: what is left to read as words. */
function meaningfulPart(text: string): string {
  // Nothing to take out of most messages: no placeholder, mention or link.
  if (!text.includes('[') && !text.includes('@') && !mayHoldLink(text)) return text;
  return text
    .replace(PII_PLACEHOLDER, ' ')
    .split(' ')
    .filter((token) => !token.startsWith('@') && findLinks(token).length === 0)
    .join(' ');
}

/** Words that carry meaning: not stop words, acknowledgements or laughter, stretched letters squeezed. */
function contentWords(text: string): string[] {
  const words: string[] = [];
  for (const raw of scanText(text).words) {
    const word = mayBeStretched(raw) ? raw.replace(STRETCHED, '$1') : raw;
    if (word.length < 2 || isStopWord(word) || ACKNOWLEDGEMENTS.has(word) || isLaughter(word)) continue;
    words.push(word);
  }
  return words;
}

/**
 * Whether {@link STRETCHED} may find anything in `word`: three equal code
 * units in a row, or a surrogate pair (a letter outside the BMP repeats as
 * pairs). Checked first because most words are not stretched and the
 * Unicode pattern costs more than the loop.
 */
function mayBeStretched(word: string): boolean {
  for (let i = 0; i < word.length; i++) {
    const c = word.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) return true;
    if (i >= 2 && c === word.charCodeAt(i - 1) && c === word.charCodeAt(i - 2)) return true;
  }
  return false;
}

function isFact(text: string): boolean {
  if (!ANY_FACT_OPENING.test(text)) return false;
  const lower = text.toLowerCase().replaceAll('ё', 'е').replace(/[’`]/gu, "'");
  for (const { regex, complete } of FACT_MATCHERS) {
    // `exec` on the shared pattern rather than `matchAll`, which copies the
    // pattern for every call: 17 copies per message were a fifth of what a
    // member's message allocated.
    regex.lastIndex = 0;
    for (let match = regex.exec(lower); match !== null; match = regex.exec(lower)) {
      const rest = lower.slice(match.index + match[0].length);
      const end = rest.search(SENTENCE_END);
      // A question ("я из Казани?") asks rather than tells.
      if (end >= 0 && rest[end] === '?') continue;
      if (complete || hasObject(end >= 0 ? rest.slice(0, end) : rest)) return true;
    }
  }
  return false;
}

/**
 * Whether what follows a fact opening, up to the end of its sentence, names
 * something: the clause before the first comma, or the one after it when it
 * starts with a conjunction ("я люблю, когда тихо" but not "я работаю, отстань").
 */
function hasObject(sentence: string): boolean {
  const comma = sentence.indexOf(',');
  let clause = comma >= 0 ? sentence.slice(0, comma) : sentence;
  if (comma >= 0 && scanText(clause).words.length === 0) {
    const after = sentence.slice(comma + 1);
    if (CONJUNCTIONS.has(scanText(after).words[0] ?? '')) clause = after;
  }
  const first = scanText(clause).words[0];
  if (first === undefined || ADDRESSEES.has(first)) return false;
  const object = contentWords(clause);
  return object.length >= MEMORY_CANDIDATE_LIMITS.minFactWords && !NOT_FACT_OBJECTS.has(object[0]!);
}

/** Cuts `text` to at most `maxChars` at the last space that fits; a single longer word is cut hard. */
function cutAtWord(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  const space = text.lastIndexOf(' ', maxChars);
  if (space > 0) return text.slice(0, space).trimEnd();
  const code = text.charCodeAt(maxChars - 1);
  // Never leave half of a surrogate pair (an emoji) at the end.
  return text.slice(0, code >= 0xd800 && code <= 0xdbff ? maxChars - 1 : maxChars);
}
