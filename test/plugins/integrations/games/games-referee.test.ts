import { describe, expect, it } from 'vitest';
import { gamesDataSchema, type GamesData } from '../../../../src/plugins/integrations/games/games-data.js';
import {
  concernsGame,
  refereeDeadline,
  refereeMessage,
} from '../../../../src/plugins/integrations/games/games-referee.js';
import { startGuess } from '../../../../src/plugins/integrations/games/guess-game.js';
import { WORD_BANK } from '../../../../src/plugins/integrations/games/word-bank.js';
import { startQuiz } from '../../../../src/plugins/integrations/games/quiz-round.js';

const T0 = 1_000_000;
const random = () => 0;
const empty = (): GamesData => gamesDataSchema.parse(undefined);
const quiz = () =>
  startQuiz(empty(), { language: 'en', roundSize: 2, questionMs: 60_000, nowMs: T0, afterMessageId: 1, random }).data;
const guess = () => startGuess(empty(), { language: 'ru', maxMisses: 8, idleMs: 60_000, nowMs: T0, random }).data;
const message = (text: string, nowMs = T0 + 5000) => ({ fromId: 1, name: 'Ann', text, messageId: 9, nowMs });

describe('the games referee', () => {
  it('takes up only messages that answer the game, or come after its deadline', () => {
    const q = quiz().game!;
    expect(concernsGame(q, '2', T0 + 5000)).toBe(true);
    expect(concernsGame(q, 'what a day', T0 + 5000)).toBe(false);
    expect(concernsGame(q, '/start', T0 + 5000)).toBe(false);
    expect(concernsGame(q, 'what a day', T0 + 60_000)).toBe(true);
    const g = guess().game!;
    const word = WORD_BANK.ru[0]!.word;
    expect(concernsGame(g, 'к', T0 + 5000)).toBe(true);
    expect(concernsGame(g, word, T0 + 5000)).toBe(true);
    expect(concernsGame(g, 'привет всем', T0 + 5000)).toBe(false);
    expect(concernsGame(g, 'x', T0 + 5000)).toBe(false);
  });

  it('passes a message to the game that runs and says what came of it', () => {
    expect(refereeMessage(empty(), message('2'), random)).toEqual({ data: empty(), text: '' });
    expect(refereeMessage(quiz(), message('/quiz'), random).text).toBe('');
    expect(refereeMessage(guess(), message('ъ'), random).text).toMatch(/^❌ Буквы «ъ» нет\./);
    expect(refereeMessage(quiz(), message('7'), random).text).toBe('');
  });

  it('closes only what ran out of time', () => {
    expect(refereeDeadline(quiz(), T0 + 59_999, random).text).toBe('');
    expect(refereeDeadline(quiz(), T0 + 60_000, random).text).toMatch(/^⏰ Time’s up! The answer was \d\) /);
    expect(refereeDeadline(guess(), T0 + 60_000, random)).toMatchObject({
      data: { game: null },
      text: `⌛ В слово давно никто не играет — закрываю. Было загадано: ${WORD_BANK.ru[0]!.word.toUpperCase()}.`,
    });
    expect(refereeDeadline(empty(), T0, random).text).toBe('');
  });
});
