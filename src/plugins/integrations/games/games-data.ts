import { z } from 'zod';
import type { Language } from '../../../chat/index.js';

/** The languages the games are played in: questions, words and what is said around them. */
export type GameLanguage = 'ru' | 'uk' | 'en';

/** The game language for a speaker: theirs, or Russian for a language the games are not played in. */
export function gameLanguage(language: Language): GameLanguage {
  return language === 'other' ? 'ru' : language;
}

/** A source of random whole numbers in `[0, maxExclusive)`. */
export type RandomInt = (maxExclusive: number) => number;

const language = z.enum(['ru', 'uk', 'en']);

/**
 * A quiz round: the questions in play order, the one open now with its
 * options in the order shown, and who has tried it. Kept small: ids and
 * indices, never the texts.
 */
export const quizGameSchema = z.object({
  kind: z.literal('quiz'),
  language,
  questions: z.array(z.string()),
  /** The open question's place in `questions`. */
  index: z.number().int(),
  /** The open question's options as shown: indices into its options in the bank. */
  order: z.array(z.number().int()),
  openedAtMs: z.number(),
  /** When the open question closes unanswered. */
  deadlineMs: z.number(),
  questionMs: z.number(),
  /** Messages up to this one were written before the open question was shown. */
  afterMessageId: z.number().int(),
  /** Members who answered the open question wrong: one try each. */
  tried: z.array(z.number().int()),
  /** Questions in a row that closed with nobody trying: two end the round. */
  quiet: z.number().int(),
  /** This round's points, by member id. */
  scores: z.record(z.string(), z.object({ name: z.string(), points: z.number().int() })),
});

/** A `/guess` game: the secret word, the letters named, the misses so far. */
export const guessGameSchema = z.object({
  kind: z.literal('guess'),
  language,
  word: z.string(),
  hint: z.string(),
  /** Letters named that are in the word. */
  found: z.string(),
  /** Letters named that are not. */
  missed: z.string(),
  misses: z.number().int(),
  maxMisses: z.number().int(),
  /** When the game is given up for nobody playing (moved on by every guess). */
  deadlineMs: z.number(),
  idleMs: z.number(),
});

export const gameSchema = z.discriminatedUnion('kind', [quizGameSchema, guessGameSchema]);

const boardEntry = z.object({ name: z.string(), points: z.number().int() });

/**
 * The games plugin's data in a chat: the game running (one at a time), the
 * all-time leaderboard by member id, and what was played lately so the next
 * round picks other questions and words. Bounds are kept by the code that
 * writes it, not by the schema, so a list a little too long never makes the
 * whole leaderboard read as empty.
 */
export const gamesDataSchema = z
  .object({
    game: gameSchema.nullable().default(null),
    board: z.record(z.string(), boardEntry).default({}),
    recent: z.array(z.string()).default([]),
  })
  .default({ game: null, board: {}, recent: [] });

/** Only whether a game runs: what the message listener reads first, without checking the leaderboard. */
export const runningGameSchema = z.looseObject({ game: gameSchema.nullable().default(null) }).default({ game: null });

export type QuizGame = z.output<typeof quizGameSchema>;
export type GuessGame = z.output<typeof guessGameSchema>;
export type Game = z.output<typeof gameSchema>;
export type GamesData = z.output<typeof gamesDataSchema>;
export type Leaderboard = GamesData['board'];

/** Members the leaderboard keeps (the lowest scores make room for a newcomer): a few KiB of JSON. */
export const MAX_BOARD = 100;
/** Question ids and words remembered as played lately. */
export const MAX_RECENT = 30;
/** A name is kept this long on the leaderboard. */
const MAX_NAME = 32;

/** The board with `points` more for a member, under their current name, pruned to {@link MAX_BOARD}. */
export function addPoints(board: Leaderboard, memberId: number, name: string, points: number): Leaderboard {
  const key = String(memberId);
  const next = { ...board, [key]: { name: name.slice(0, MAX_NAME), points: (board[key]?.points ?? 0) + points } };
  const keys = Object.keys(next);
  if (keys.length <= MAX_BOARD) return next;
  const lowest = keys
    .filter((k) => k !== key)
    .sort((a, b) => next[a]!.points - next[b]!.points)
    .slice(0, keys.length - MAX_BOARD);
  for (const k of lowest) delete next[k];
  return next;
}

/** The first `n` of the board, most points first (ties by name). */
export function leaders(board: Leaderboard, n: number): Array<{ name: string; points: number }> {
  return Object.values(board)
    .sort((a, b) => b.points - a.points || a.name.localeCompare(b.name))
    .slice(0, n);
}

/** `recent` with `played` added, the oldest dropped past {@link MAX_RECENT}. */
export function remember(recent: readonly string[], played: readonly string[]): string[] {
  return [...recent.filter((item) => !played.includes(item)), ...played].slice(-MAX_RECENT);
}

/**
 * Text as answers are compared: lower case, `ё` read as `е`, punctuation and
 * repeated spaces gone (`«Жеребёнок!»` → `жеребенок`).
 */
export function normalize(text: string): string {
  return text
    .toLowerCase()
    .replaceAll('ё', 'е')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** `items` in random order (a copy). */
export function shuffled<T>(items: readonly T[], random: RandomInt): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = random(i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}
