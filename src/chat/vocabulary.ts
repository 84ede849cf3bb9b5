import { isStopWord } from './stop-words.js';
import { lexicalFlags, WordFlag } from './tone-lexicon.js';
import { topicOf } from './topic-lexicon.js';
import { stemWord } from './word-stemmer.js';

/** Everything the pipeline needs to know about one word. */
export interface WordInfo {
  /**
   * The word itself, as looked up. Tables that keep a word's surface form
   * store this one long-lived string rather than each message's copy, so
   * updating a surface form allocates nothing that outlives the message.
   */
  word: string;
  stem: string;
  /** {@link WordFlag} bits. */
  flags: number;
  /** Topic of the word, '' when none. */
  topic: string;
  /** Phrases of this word followed by another (see {@link phraseKey}), made on first use. */
  phrases: Map<WordInfo, Phrase> | null;
}

/** The names of one two-word expression, made once per process for every chat that uses it. */
interface Phrase {
  key: string;
  /** Made when a chat first counts the phrase (see {@link phraseSurface}). */
  surface: string | null;
}

/** Phrase keys remembered per first word before its memo starts over. */
const MAX_PHRASES_PER_WORD = 256;

/**
 * The key of the two-word expression "first second" in a chat's phrase
 * table: the two stems with a space between. Built once per pair of words
 * and then reused, since a fresh string per lookup costs a concatenation
 * and a string-table lookup on every counted pair of every message.
 */
export function phraseKey(first: WordInfo, second: WordInfo): string {
  return phraseOf(first, second).key;
}

/**
 * The surface form of "first second" that a chat's phrase table keeps: one
 * string shared by every chat that counts the phrase, where building it per
 * chat cost each one a string of its own (and a concatenation's two parts).
 */
export function phraseSurface(first: WordInfo, second: WordInfo): string {
  const phrase = phraseOf(first, second);
  return (phrase.surface ??=
    first.word === first.stem && second.word === second.stem ? phrase.key : `${first.word} ${second.word}`);
}

function phraseOf(first: WordInfo, second: WordInfo): Phrase {
  let phrases = first.phrases;
  if (phrases === null) first.phrases = phrases = new Map();
  let phrase = phrases.get(second);
  if (phrase === undefined) {
    // A full memo is dropped whole, as the vocabulary's own is.
    if (phrases.size >= MAX_PHRASES_PER_WORD) phrases.clear();
    phrase = { key: `${first.stem} ${second.stem}`, surface: null };
    phrases.set(second, phrase);
  }
  return phrase;
}

/**
 * Looks words up once and remembers the answer: stem, tone/style flags and
 * topic. Stemming and the profanity check cost about a microsecond a word,
 * a large part of the per-message budget, while chat vocabulary is
 * Zipf-shaped, so nearly every lookup is a memo hit. Build one in the wiring
 * and share it between chats: it only holds pure results.
 */
export interface VocabularyOptions {
  /** Words remembered before the memo starts over (default 50 000). */
  maxEntries?: number;
  /**
   * The bot's own names (`BotAddress`): they say who is spoken to, not what
   * the chat talks about, so they are marked as non-content words and never
   * become top words, favourite words or slang fed back into the prompt.
   */
  ownNames?: { isOwnName(stem: string): boolean };
}

export class Vocabulary {
  private readonly memo = new Map<string, WordInfo>();
  private readonly maxEntries: number;

  constructor(private readonly options: VocabularyOptions = {}) {
    this.maxEntries = options.maxEntries ?? 50_000;
  }

  lookup(word: string): WordInfo {
    const hit = this.memo.get(word);
    if (hit !== undefined) return hit;
    // A full memo is dropped whole: refilling it is cheaper than tracking recency per word.
    if (this.memo.size >= this.maxEntries) this.memo.clear();
    const info = describe(word);
    if (this.options.ownNames?.isOwnName(info.stem) === true) info.flags |= WordFlag.stop;
    this.memo.set(word, info);
    return info;
  }

  get size(): number {
    return this.memo.size;
  }
}

function describe(word: string): WordInfo {
  if (isStopWord(word))
    return { word, stem: word, flags: lexicalFlags(word, word) | WordFlag.stop, topic: '', phrases: null };
  const stem = stemWord(word);
  return { word, stem, flags: lexicalFlags(word, stem), topic: topicOf(stem), phrases: null };
}
