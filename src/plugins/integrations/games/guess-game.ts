import {
  addPoints,
  type GameLanguage,
  type GamesData,
  type GuessGame,
  normalize,
  type RandomInt,
  remember,
} from './games-data.js';
import { WORD_BANK } from './word-bank.js';

/**
 * The word game as pure changes of the games data (see quiz-round.ts): the
 * bot hides a word, members name letters or the whole word, letters in it
 * are shown, the others count as misses until `maxMisses` loses the game.
 */

/** Most points a solver gets: one for each letter still hidden (distinct), up to this. */
const MAX_SOLVE_POINTS = 3;

const ALPHABET: Record<GameLanguage, RegExp> = { ru: /^[а-я]+$/, uk: /^[а-щьюяєіїґ]+$/, en: /^[a-z]+$/ };

/** The game as shown: the word with hidden letters as `_`, the hint and the misses. */
export interface GuessView {
  mask: string;
  length: number;
  hint: string;
  misses: number;
  maxMisses: number;
  missed: string;
}

export type GuessOutcome =
  | { kind: 'started'; language: GameLanguage; view: GuessView }
  | { kind: 'busy'; game: GamesData['game'] }
  | { kind: 'hit'; language: GameLanguage; letter: string; view: GuessView }
  | { kind: 'miss'; language: GameLanguage; guess: string; view: GuessView }
  | { kind: 'repeat'; language: GameLanguage; letter: string }
  | { kind: 'solved'; language: GameLanguage; name: string; word: string; points: number }
  | { kind: 'lost'; language: GameLanguage; word: string; guess: string }
  | { kind: 'expired'; language: GameLanguage; word: string }
  | { kind: 'stopped'; language: GameLanguage; word: string }
  | { kind: 'ignored' };

export interface GuessResult {
  data: GamesData;
  outcome: GuessOutcome;
}

export interface GuessStart {
  language: GameLanguage;
  maxMisses: number;
  idleMs: number;
  nowMs: number;
  random: RandomInt;
}

/** A member's message during a game. */
export interface GuessMove {
  fromId: number;
  name: string;
  text: string;
  nowMs: number;
}

/** What a message names: one letter of the game's alphabet, or a word as long as the secret one; null for anything else. */
export function readGuess(game: GuessGame, text: string): { kind: 'letter' | 'word'; value: string } | null {
  const said = normalize(text);
  if (!ALPHABET[game.language].test(said)) return null;
  if (said.length === 1) return { kind: 'letter', value: said };
  return said.length === game.word.length ? { kind: 'word', value: said } : null;
}

/** Hides a word not played lately, unless a game runs. */
export function startGuess(data: GamesData, start: GuessStart): GuessResult {
  if (data.game !== null) return { data, outcome: { kind: 'busy', game: data.game } };
  const bank = WORD_BANK[start.language];
  const fresh = bank.filter((entry) => !data.recent.includes(entry.word));
  const pool = fresh.length > 0 ? fresh : bank;
  const secret = pool[start.random(pool.length)]!;
  const game: GuessGame = {
    kind: 'guess',
    language: start.language,
    word: secret.word,
    hint: secret.hint,
    found: '',
    missed: '',
    misses: 0,
    maxMisses: start.maxMisses,
    deadlineMs: start.nowMs + start.idleMs,
    idleMs: start.idleMs,
  };
  return {
    data: { ...data, game, recent: remember(data.recent, [secret.word]) },
    outcome: { kind: 'started', language: start.language, view: guessView(game) },
  };
}

export function guessView(game: GuessGame): GuessView {
  return {
    mask: [...game.word].map((letter) => (game.found.includes(letter) ? letter.toUpperCase() : '_')).join(' '),
    length: game.word.length,
    hint: game.hint,
    misses: game.misses,
    maxMisses: game.maxMisses,
    missed: game.missed,
  };
}

/**
 * A letter or a word: a letter in the word is shown, one not in it is a
 * miss, a letter named before changes nothing; the right word (or the last
 * hidden letter) solves it and scores, a wrong word is a miss. Past the idle
 * deadline the game is given up instead, whatever the message says.
 */
export function playGuess(data: GamesData, move: GuessMove): GuessResult {
  const game = data.game;
  if (game?.kind !== 'guess') return { data, outcome: { kind: 'ignored' } };
  if (move.nowMs >= game.deadlineMs) return expireGuess(data, move.nowMs);
  const guess = readGuess(game, move.text);
  if (guess === null) return { data, outcome: { kind: 'ignored' } };
  const language = game.language;
  const moved = { ...game, deadlineMs: move.nowMs + game.idleMs };
  if (guess.kind === 'letter') {
    const letter = guess.value;
    if (game.found.includes(letter) || game.missed.includes(letter))
      return { data, outcome: { kind: 'repeat', language, letter } };
    if (game.word.includes(letter)) {
      const found = { ...moved, found: game.found + letter };
      if ([...game.word].every((l) => found.found.includes(l))) return solve(data, game, move);
      return { data: { ...data, game: found }, outcome: { kind: 'hit', language, letter, view: guessView(found) } };
    }
    return miss(data, { ...moved, missed: game.missed + letter }, letter);
  }
  if (guess.value === game.word) return solve(data, game, move);
  return miss(data, moved, guess.value);
}

/** Gives the game up if nobody played it for its idle time, showing the word; otherwise changes nothing. */
export function expireGuess(data: GamesData, nowMs: number): GuessResult {
  const game = data.game;
  if (game?.kind !== 'guess' || nowMs < game.deadlineMs) return { data, outcome: { kind: 'ignored' } };
  return { data: { ...data, game: null }, outcome: { kind: 'expired', language: game.language, word: game.word } };
}

/** Gives the game up now, showing the word. */
export function stopGuess(data: GamesData): GuessResult {
  const game = data.game;
  if (game?.kind !== 'guess') return { data, outcome: { kind: 'ignored' } };
  return { data: { ...data, game: null }, outcome: { kind: 'stopped', language: game.language, word: game.word } };
}

function miss(data: GamesData, game: GuessGame, guess: string): GuessResult {
  const misses = game.misses + 1;
  if (misses >= game.maxMisses)
    return {
      data: { ...data, game: null },
      outcome: { kind: 'lost', language: game.language, word: game.word, guess },
    };
  const missed = { ...game, misses };
  return {
    data: { ...data, game: missed },
    outcome: { kind: 'miss', language: game.language, guess, view: guessView(missed) },
  };
}

function solve(data: GamesData, game: GuessGame, move: GuessMove): GuessResult {
  const hidden = new Set([...game.word].filter((letter) => !game.found.includes(letter))).size;
  const points = Math.max(1, Math.min(MAX_SOLVE_POINTS, hidden));
  return {
    data: { ...data, game: null, board: addPoints(data.board, move.fromId, move.name, points) },
    outcome: { kind: 'solved', language: game.language, name: move.name, word: game.word, points },
  };
}
