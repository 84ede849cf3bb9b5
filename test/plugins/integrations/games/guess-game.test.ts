import { describe, expect, it } from 'vitest';
import {
  gamesDataSchema,
  type GamesData,
  type GuessGame,
} from '../../../../src/plugins/integrations/games/games-data.js';
import {
  expireGuess,
  guessView,
  playGuess,
  readGuess,
  startGuess,
  stopGuess,
} from '../../../../src/plugins/integrations/games/guess-game.js';
import { WORD_BANK } from '../../../../src/plugins/integrations/games/word-bank.js';

const T0 = 5_000_000;
const IDLE = 30 * 60_000;
/** A game with `word` hidden (the bank's entry picked by its index). */
function withWord(word: string, language: 'ru' | 'uk' | 'en' = 'ru', maxMisses = 3): GamesData {
  const index = WORD_BANK[language].findIndex((w) => w.word === word);
  return startGuess(gamesDataSchema.parse(undefined), {
    language,
    maxMisses,
    idleMs: IDLE,
    nowMs: T0,
    random: () => index,
  }).data;
}
const guess = (data: GamesData) => data.game as GuessGame;
const say = (text: string, fromId = 1, name = 'Маша', nowMs = T0 + 1000) => ({ fromId, name, text, nowMs });

describe('the word game', () => {
  it('hides a word with its hint and shows its length', () => {
    const { outcome, data } = startGuess(gamesDataSchema.parse(undefined), {
      language: 'ru',
      maxMisses: 8,
      idleMs: IDLE,
      nowMs: T0,
      random: () => 0,
    });
    expect(outcome).toEqual({
      kind: 'started',
      language: 'ru',
      view: { mask: '_ _ _ _ _ _', length: 6, hint: WORD_BANK.ru[0]!.hint, misses: 0, maxMisses: 8, missed: '' },
    });
    expect(data.recent).toEqual(['яблоко']);
  });

  it('picks a word not played lately', () => {
    const recent = WORD_BANK.en.slice(0, 30).map((w) => w.word);
    const data = startGuess(
      { ...gamesDataSchema.parse(undefined), recent },
      { language: 'en', maxMisses: 8, idleMs: IDLE, nowMs: T0, random: () => 0 },
    ).data;
    expect(guess(data).word).toBe(WORD_BANK.en[30]!.word);
  });

  it('reads a letter or a word as long as the secret one, nothing else', () => {
    const game = guess(withWord('яблоко'));
    expect(readGuess(game, 'Б')).toEqual({ kind: 'letter', value: 'б' });
    expect(readGuess(game, 'ё!')).toEqual({ kind: 'letter', value: 'е' });
    expect(readGuess(game, 'Яблоко')).toEqual({ kind: 'word', value: 'яблоко' });
    expect(readGuess(game, 'груша')).toBeNull();
    expect(readGuess(game, 'a')).toBeNull();
    expect(readGuess(game, 'ну да')).toBeNull();
    expect(readGuess(game, '12')).toBeNull();
  });

  it('plays Ukrainian words with the letters Russian lacks and refuses those Ukrainian lacks', () => {
    const game = guess(withWord('їжачок', 'uk'));
    expect(readGuess(game, 'Ї')).toEqual({ kind: 'letter', value: 'ї' });
    expect(readGuess(game, 'ґ')).toEqual({ kind: 'letter', value: 'ґ' });
    expect(readGuess(game, 'ы')).toBeNull();
    expect(readGuess(game, 'Їжачок')).toEqual({ kind: 'word', value: 'їжачок' });
    const hit = playGuess(withWord('їжачок', 'uk'), say('ї'));
    expect(hit.outcome).toMatchObject({ kind: 'hit', language: 'uk', letter: 'ї' });
  });

  it('shows letters found, counts misses, ignores a repeat, and the last letter solves it for a point', () => {
    let data = withWord('арбуз');
    const steps = ['а', 'ж', 'р', 'р', 'б', 'у'].map((letter) => {
      const result = playGuess(data, say(letter));
      data = result.data;
      return result.outcome;
    });
    expect(steps.map((o) => o.kind)).toEqual(['hit', 'miss', 'hit', 'repeat', 'hit', 'hit']);
    expect(guessView(guess(data))).toMatchObject({ mask: 'А Р Б У _', misses: 1, missed: 'ж' });
    const last = playGuess(data, say('з', 2, 'Петя'));
    expect(last.outcome).toEqual({ kind: 'solved', language: 'ru', name: 'Петя', word: 'арбуз', points: 1 });
    expect(last.data.game).toBeNull();
    expect(last.data.board).toEqual({ '2': { name: 'Петя', points: 1 } });
  });

  it('takes the whole word for up to three points, and counts a wrong word as a miss', () => {
    const data = withWord('лимон');
    const wrong = playGuess(data, say('лилия'));
    expect(wrong.outcome).toMatchObject({ kind: 'miss', guess: 'лилия', view: { misses: 1 } });
    const right = playGuess(wrong.data, say('ЛИМОН'));
    expect(right.outcome).toMatchObject({ kind: 'solved', points: 3 });
  });

  it('is lost at the last miss allowed', () => {
    let data = withWord('лимон', 'ru', 2);
    data = playGuess(data, say('ж')).data;
    const lost = playGuess(data, say('щ'));
    expect(lost.outcome).toEqual({ kind: 'lost', language: 'ru', word: 'лимон', guess: 'щ' });
    expect(lost.data.game).toBeNull();
    expect(lost.data.board).toEqual({});
  });

  it('is given up when nobody played for its idle time, every guess moving that on', () => {
    let data = withWord('apple', 'en');
    data = playGuess(data, say('p', 1, 'Ann', T0 + IDLE - 1)).data;
    expect(expireGuess(data, T0 + IDLE).outcome).toEqual({ kind: 'ignored' });
    expect(expireGuess(data, T0 + 2 * IDLE).outcome).toEqual({ kind: 'expired', language: 'en', word: 'apple' });
    expect(playGuess(data, say('a', 1, 'Ann', T0 + 2 * IDLE)).outcome).toMatchObject({ kind: 'expired' });
  });

  it('stops showing the word, and refuses a second game while one runs', () => {
    const data = withWord('apple', 'en');
    expect(stopGuess(data).outcome).toEqual({ kind: 'stopped', language: 'en', word: 'apple' });
    expect(
      startGuess(data, { language: 'en', maxMisses: 8, idleMs: IDLE, nowMs: T0, random: () => 0 }).outcome,
    ).toMatchObject({
      kind: 'busy',
    });
  });
});
