import { scanText } from './scan-text.js';
import { isLaughter } from './tone-lexicon.js';

/**
 * A word or phrase that judges the bot's message. `value` is what it says on
 * its own, `negated` what it says after "не", "not": "не спасибо" is no
 * thanks (0), "не прав", "not true" are a rejection (−1), "не бред" is not a
 * rejection (0).
 */
interface Judgement {
  words: readonly string[];
  value: -1 | 0 | 1;
  negated: -1 | 0;
  /** Words that, right after the phrase, make it mean something else ("не то чтобы"). */
  notBefore?: readonly string[];
  /** Also an intensifier: "точно не знаю" is not agreement. */
  intensifier?: true;
}

const THANKS = `спасибо спасибки спасибочки спс спасиб пасиб пасибо благодарю благодарствую мерси
  thanks thank thx ty tysm cheers`;
const PRAISE = `класс классно клево клёво круто крутой красава молодец огонь топ гениально гений шикарно отлично супер ржу ору
  смешно ржака полезно в_точку good great awesome amazing perfect brilliant genius nice cool lmao rofl helpful funny`;
const AGREEMENT = `прав права верно правильно именно true right correct`;
const REJECTION = `бред бредятина чушь фигня хрень ерунда неправда неверно неправильно чепуха глупость враньё вранье мимо гонишь отстой
  nonsense wrong bullshit bs rubbish false incorrect garbage bad`;

function judgements(list: string, value: -1 | 0 | 1, negated: -1 | 0): Judgement[] {
  return list
    .split(/\s+/)
    .filter((w) => w.length > 0)
    .map((w) => ({ words: w.split('_'), value, negated }));
}

const JUDGEMENTS: readonly Judgement[] = [
  ...judgements(THANKS, 1, 0),
  ...judgements(PRAISE, 1, -1),
  ...judgements(AGREEMENT, 1, -1),
  ...judgements(REJECTION, -1, 0),
  { words: ['точно'], value: 1, negated: 0, intensifier: true },
  { words: ['exactly'], value: 1, negated: 0, intensifier: true },
  // "правда" alone is as often "really?" as "true"; only "не правда" judges.
  { words: ['правда'], value: 0, negated: -1 },
  { words: ['то'], value: 0, negated: -1, notBefore: ['чтобы', 'чтоб', 'что'] },
];

/** The judgements by their first word: a word is looked up once rather than compared with every phrase. */
const JUDGEMENTS_BY_FIRST_WORD: ReadonlyMap<string, readonly Judgement[]> = (() => {
  const byWord = new Map<string, Judgement[]>();
  for (const judgement of JUDGEMENTS) {
    const first = judgement.words[0]!;
    const same = byWord.get(first);
    if (same === undefined) byWord.set(first, [judgement]);
    else same.push(judgement);
  }
  return byWord;
})();

const NEGATORS: ReadonlySet<string> = new Set([
  'не',
  'ни',
  'ничуть',
  'вовсе',
  'not',
  'never',
  'isnt',
  'dont',
  'doesnt',
  'wasnt',
  'arent',
  'aint',
]);
/**
 * "нет, спасибо" and "no thanks" decline politely, but "нет прав" is "no
 * rights", not "wrong": after these a judging word counts 0, never its `negated`.
 */
const REFUSALS: ReadonlySet<string> = new Set(['нет', 'no']);
/** Words that may sit between a negation and what it negates: "не очень круто", "not so great". */
const SOFTENERS: ReadonlySet<string> = new Set([
  'очень',
  'особо',
  'совсем',
  'слишком',
  'сильно',
  'very',
  'so',
  'that',
  'really',
  'quite',
  'too',
]);

/** Emoji reactions and emoji in replies, by what they say about the message. Stored without U+FE0F. */
const POSITIVE_EMOJI: ReadonlySet<string> = new Set(
  [
    '👍',
    '❤',
    '🔥',
    '🥰',
    '👏',
    '😁',
    '🎉',
    '🤩',
    '🙏',
    '👌',
    '😍',
    '❤‍🔥',
    '💯',
    '🤣',
    '😂',
    '⚡',
    '🏆',
    '🍾',
    '😇',
    '🤝',
    '🤗',
    '🫡',
    '💘',
    '😘',
    '😎',
    '🆒',
    '💪',
    '✅',
  ].map(stripVariation),
);
const NEGATIVE_EMOJI: ReadonlySet<string> = new Set(
  ['👎', '💩', '🤮', '🤡', '😡', '🤬', '🖕', '🥱', '😴', '🤨', '❌'].map(stripVariation),
);

/**
 * What a member's reply to one of the bot's messages says about it: +1 for
 * thanks, praise, agreement and laughter, −1 for rejection ("бред", "не то",
 * "ты не прав", "that's not true", 👎), 0 when neither or both.
 *
 * Each judging word counts once where it stands; a negation just before it
 * ("не", "not", "isn't", optionally with "очень"/"so" between) turns it
 * into what its `negated` says; after "нет" or "no" it counts 0. Emoji of
 * a reaction (👍, 😂, 👎, …) count too, each kind once. The result is the
 * sign of the sum, so "спасибо, но это бред" is 0.
 */
export function replyFeedback(text: string): -1 | 0 | 1 {
  const words = joinContractions(scanText(text).words);
  let sum = 0;
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    if (isLaughter(word)) {
      sum += negationAt(words, i) === 'none' ? 1 : 0;
      continue;
    }
    const phrases = JUDGEMENTS_BY_FIRST_WORD.get(word);
    if (phrases === undefined) continue;
    for (const judgement of phrases) {
      if (!startsAt(words, i, judgement.words)) continue;
      const next = words[i + judgement.words.length];
      if (next !== undefined && judgement.notBefore?.includes(next)) continue;
      if (judgement.intensifier === true && next !== undefined && (NEGATORS.has(next) || REFUSALS.has(next))) continue;
      const negation = negationAt(words, i);
      sum += negation === 'none' ? judgement.value : negation === 'negated' ? judgement.negated : 0;
    }
  }
  for (const emoji of emojiIn(text)) sum += emojiValue(emoji);
  return sum > 0 ? 1 : sum < 0 ? -1 : 0;
}

/**
 * How a change of the emoji reactions on a bot message judges it: positive
 * emoji count +1, negative −1, others (and custom emoji) 0; the result is
 * the value of the reactions added minus that of the reactions removed.
 * Telegram sends a member's whole old and new reaction lists, so that is the
 * value of the new list minus the value of the old one.
 */
export function reactionFeedback(oldReaction: readonly string[], newReaction: readonly string[]): number {
  return reactionsValue(newReaction) - reactionsValue(oldReaction);
}

function reactionsValue(reactions: readonly string[]): number {
  let value = 0;
  for (const emoji of reactions) value += emojiValue(stripVariation(emoji));
  return value;
}

function emojiValue(emoji: string): number {
  return POSITIVE_EMOJI.has(emoji) ? 1 : NEGATIVE_EMOJI.has(emoji) ? -1 : 0;
}

function stripVariation(emoji: string): string {
  return emoji.replaceAll('\uFE0F', '');
}

/** The judging emoji in a text, each kind once: "😂😂😂" is one laugh. Skin tones are ignored. */
function emojiIn(text: string): Set<string> {
  const found = new Set<string>();
  // Without the u flag the class sees UTF-16 units, so a high surrogate stands for any astral emoji.
  if (!/[\u2600-\u27bf\u2b00-\u2bff\ud800-\udbff]/.test(text)) return found;
  const plain = stripVariation(text).replace(/[\u{1F3FB}-\u{1F3FF}]/gu, '');
  for (const emoji of POSITIVE_EMOJI) if (plain.includes(emoji)) found.add(emoji);
  for (const emoji of NEGATIVE_EMOJI) if (plain.includes(emoji)) found.add(emoji);
  // "❤‍🔥" also contains "❤" and "🔥": count the whole, not its parts.
  if (found.has('❤‍🔥')) {
    found.delete('❤');
    found.delete('🔥');
  }
  return found;
}

/** `scanText` splits "isn't" into "isn" + "t" and "that's" into "that" + "s"; put the negations back together. */
function joinContractions(words: string[]): string[] {
  const joined: string[] = [];
  for (const word of words) {
    const last = joined[joined.length - 1];
    if (word === 't' && last !== undefined && last.endsWith('n')) joined[joined.length - 1] = `${last}t`;
    else joined.push(word);
  }
  return joined;
}

function startsAt(words: readonly string[], i: number, phrase: readonly string[]): boolean {
  for (let j = 0; j < phrase.length; j++) if (words[i + j] !== phrase[j]) return false;
  return true;
}

function negationAt(words: readonly string[], i: number): 'none' | 'negated' | 'refused' {
  let j = i - 1;
  if (j >= 0 && SOFTENERS.has(words[j]!)) j--;
  const before = words[j];
  if (before === undefined) return 'none';
  return NEGATORS.has(before) ? 'negated' : REFUSALS.has(before) ? 'refused' : 'none';
}
