import { describe, expect, it } from 'vitest';
import {
  gamesDataSchema,
  type GamesData,
  MAX_RECENT,
  type QuizGame,
} from '../../../../src/plugins/integrations/games/games-data.js';
import { QUIZ_BANK, quizQuestion } from '../../../../src/plugins/integrations/games/quiz-bank.js';
import {
  ANSWER_GRACE_MS,
  answerQuiz,
  expireQuiz,
  questionView,
  readQuizAnswer,
  startQuiz,
  stopQuiz,
} from '../../../../src/plugins/integrations/games/quiz-round.js';

/** A fixed sequence of random numbers, cycling. */
const seq = (...values: number[]) => {
  let i = 0;
  return (max: number) => values[i++ % values.length]! % max;
};
const random = seq(3, 1, 4, 1, 5, 9, 2, 6);
const empty = (): GamesData => gamesDataSchema.parse(undefined);
const T0 = 1_000_000;
const start = (data = empty(), roundSize = 3) =>
  startQuiz(data, { language: 'ru', roundSize, questionMs: 60_000, nowMs: T0, afterMessageId: 10, random });
const quiz = (data: GamesData) => data.game as QuizGame;
/** The number (1-based) of the right option as the open question shows it. */
const rightNumber = (game: QuizGame) => {
  const question = quizQuestion(game.questions[game.index]!)!;
  return game.order.findIndex((i) => question.options[i] === question.answer) + 1;
};
const wrongNumber = (game: QuizGame) => (rightNumber(game) % game.order.length) + 1;
const move = (
  text: string,
  over: Partial<{ fromId: number; name: string; messageId: number; nowMs: number }> = {},
) => ({
  fromId: 1,
  name: 'Маша',
  text,
  messageId: 20,
  nowMs: T0 + ANSWER_GRACE_MS,
  ...over,
});

describe('a quiz round', () => {
  it('starts with distinct questions of the language, the first one shown, and remembers them as played', () => {
    const { data, outcome } = start();
    const game = quiz(data);
    expect(game.questions).toHaveLength(3);
    expect(new Set(game.questions).size).toBe(3);
    expect(game.questions.every((id) => id.startsWith('ru-'))).toBe(true);
    expect(data.recent).toEqual(game.questions);
    expect(outcome).toMatchObject({ kind: 'started', view: { number: 1, total: 3, seconds: 60 } });
    expect(game.deadlineMs).toBe(T0 + 60_000);
  });

  it('prefers questions not played lately', () => {
    const recent = QUIZ_BANK.ru.slice(0, MAX_RECENT).map((q) => q.id);
    const { data } = start({ ...empty(), recent }, 5);
    expect(quiz(data).questions.some((id) => recent.includes(id))).toBe(false);
    expect(data.recent.length).toBeLessThanOrEqual(MAX_RECENT);
  });

  it('refuses a second game while one runs', () => {
    const first = start().data;
    expect(start(first).outcome).toEqual({ kind: 'busy', game: first.game });
  });

  it('reads an option by its number or its text, any case, ё as е, and nothing else', () => {
    const game = quiz(start().data);
    const question = quizQuestion(game.questions[0]!)!;
    const second = question.options[game.order[1]!]!;
    expect(readQuizAnswer(game, '2')).toBe(1);
    expect(readQuizAnswer(game, ' 2) ')).toBe(1);
    expect(readQuizAnswer(game, second.toUpperCase() + '!')).toBe(1);
    expect(readQuizAnswer(game, '9')).toBeNull();
    expect(readQuizAnswer(game, '0')).toBeNull();
    expect(readQuizAnswer(game, 'ну я думаю что второй')).toBeNull();
    expect(readQuizAnswer(game, '')).toBeNull();
    const yo = { ...game, questions: ['ru-nat-4'], index: 0, order: [0, 1, 2, 3] };
    expect(readQuizAnswer(yo, 'ЖЕРЕБЕНОК')).toBe(1);
  });

  it('scores the first right answer once, moves to the next question and ignores a late one to the last', () => {
    const started = start().data;
    const right = String(rightNumber(quiz(started)));
    const first = answerQuiz(started, move(right), random);
    expect(first.outcome).toMatchObject({ kind: 'right', name: 'Маша', next: { number: 2 }, results: null });
    expect(first.data.board).toEqual({ '1': { name: 'Маша', points: 1 } });
    expect(quiz(first.data).index).toBe(1);
    // Петя answered the same question at the same moment: his answer reaches a question just opened.
    const late = answerQuiz(first.data, move(right, { fromId: 2, name: 'Петя', messageId: 21 }), random);
    expect(late.outcome).toEqual({ kind: 'ignored' });
    expect(late.data).toBe(first.data);
    // A message written before the question was shown is late too, however much later it is read.
    const before = answerQuiz(
      first.data,
      move(right, { fromId: 2, messageId: 19, nowMs: T0 + 3 * ANSWER_GRACE_MS }),
      random,
    );
    expect(before.outcome).toEqual({ kind: 'ignored' });
  });

  it('gives each member one try per question', () => {
    const started = start().data;
    const game = quiz(started);
    const wrong = answerQuiz(started, move(String(wrongNumber(game))), random);
    expect(wrong.outcome).toEqual({ kind: 'wrong', language: 'ru', name: 'Маша' });
    expect(quiz(wrong.data).tried).toEqual([1]);
    const again = answerQuiz(wrong.data, move(String(rightNumber(game))), random);
    expect(again.outcome).toEqual({ kind: 'ignored' });
    const other = answerQuiz(wrong.data, move(String(rightNumber(game)), { fromId: 2, name: 'Петя' }), random);
    expect(other.outcome).toMatchObject({ kind: 'right', name: 'Петя' });
  });

  it('ends with the round’s points after the last question', () => {
    let data = start(empty(), 2).data;
    data = answerQuiz(data, move(String(rightNumber(quiz(data)))), random).data;
    const t = T0 + 2 * ANSWER_GRACE_MS;
    const last = answerQuiz(
      data,
      move(String(rightNumber(quiz(data))), { fromId: 2, name: 'Петя', messageId: 30, nowMs: t }),
      random,
    );
    expect(last.outcome).toMatchObject({
      kind: 'right',
      next: null,
      results: [
        { name: 'Маша', points: 1 },
        { name: 'Петя', points: 1 },
      ],
    });
    expect(last.data.game).toBeNull();
  });

  it('closes a question past its deadline with the answer shown, then ends a round nobody plays', () => {
    const started = start().data;
    const answer = rightNumber(quiz(started));
    expect(expireQuiz(started, T0 + 59_999, random).outcome).toEqual({ kind: 'ignored' });
    const first = expireQuiz(started, T0 + 60_000, random);
    expect(first.outcome).toMatchObject({
      kind: 'expired',
      answer: { number: answer },
      next: { number: 2 },
      abandoned: false,
    });
    expect(quiz(first.data).deadlineMs).toBe(T0 + 120_000);
    const second = expireQuiz(first.data, T0 + 120_000, random);
    expect(second.outcome).toMatchObject({ kind: 'expired', next: null, results: [], abandoned: true });
    expect(second.data.game).toBeNull();
  });

  it('closes an overdue question at the next message instead of taking it as an answer', () => {
    const started = start().data;
    const late = answerQuiz(started, move(String(rightNumber(quiz(started))), { nowMs: T0 + 61_000 }), random);
    expect(late.outcome).toMatchObject({ kind: 'expired' });
    expect(late.data.board).toEqual({});
  });

  it('stops with the open question’s answer and the round’s points', () => {
    const started = start().data;
    expect(stopQuiz(started).outcome).toMatchObject({ kind: 'stopped', results: [] });
    expect(stopQuiz(stopQuiz(started).data).outcome).toEqual({ kind: 'ignored' });
  });

  it('shows no question a newer bank dropped', () => {
    const game = { ...quiz(start().data), questions: ['gone'] };
    expect(questionView(game)).toBeNull();
    expect(readQuizAnswer(game, '1')).toBeNull();
  });
});
