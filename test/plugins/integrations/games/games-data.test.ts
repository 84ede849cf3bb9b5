import { describe, expect, it } from 'vitest';
import {
  addPoints,
  gamesDataSchema,
  leaders,
  MAX_BOARD,
  MAX_RECENT,
  normalize,
  remember,
  shuffled,
} from '../../../../src/plugins/integrations/games/games-data.js';

describe('the games data', () => {
  it('reads as no game and an empty board in a chat that never played', () => {
    expect(gamesDataSchema.parse(undefined)).toEqual({ game: null, board: {}, recent: [] });
  });

  it('adds points under the member’s id with their current name, ranking by points', () => {
    let board = addPoints({}, 1, 'Маша', 2);
    board = addPoints(board, 2, 'Петя', 3);
    board = addPoints(board, 1, 'Мария', 2);
    expect(board).toEqual({ '1': { name: 'Мария', points: 4 }, '2': { name: 'Петя', points: 3 } });
    expect(leaders(board, 1)).toEqual([{ name: 'Мария', points: 4 }]);
  });

  it('keeps the board bounded, dropping the lowest scores but never the one just scored', () => {
    let board = {};
    for (let id = 1; id <= MAX_BOARD; id++) board = addPoints(board, id, `m${id}`, id + 1);
    board = addPoints(board, 9999, 'новенький', 1);
    expect(Object.keys(board)).toHaveLength(MAX_BOARD);
    expect(board).toHaveProperty('9999');
    expect(board).not.toHaveProperty('1');
    expect(JSON.stringify(board).length).toBeLessThan(8 * 1024);
  });

  it('stays well under the 64 KiB a chat’s plugin data may take, with every list at its bound', () => {
    let board = {};
    for (let id = 1; id <= MAX_BOARD + 20; id++)
      board = addPoints(board, 1_000_000_000 + id, 'Ж'.repeat(40), 1_000_000);
    const game = {
      kind: 'quiz' as const,
      language: 'ru' as const,
      questions: Array.from({ length: 20 }, (_, i) => `ru-math-${i}`),
      index: 19,
      order: [3, 2, 1, 0],
      openedAtMs: 1.7e12,
      deadlineMs: 1.7e12,
      questionMs: 600_000,
      afterMessageId: 2 ** 31,
      tried: Array.from({ length: 200 }, (_, i) => 1_000_000_000 + i),
      quiet: 1,
      scores: Object.fromEntries(
        Array.from({ length: 20 }, (_, i) => [String(1e9 + i), { name: 'Ж'.repeat(32), points: 20 }]),
      ),
    };
    const recent = Array.from({ length: MAX_RECENT }, () => 'ж'.repeat(9));
    const data = gamesDataSchema.parse({ game, board, recent });
    expect(Buffer.byteLength(JSON.stringify(data))).toBeLessThan(16 * 1024);
  });

  it('remembers what was played lately, a bounded list', () => {
    const many = Array.from({ length: 50 }, (_, i) => `q${i}`);
    expect(remember([], many)).toEqual(many.slice(-MAX_RECENT));
    expect(remember(['a', 'b'], ['a'])).toEqual(['b', 'a']);
  });

  it('compares answers without case, ё, punctuation or extra spaces', () => {
    expect(normalize('  «Жеребёнок»!  ')).toBe('жеребенок');
    expect(normalize('Twenty-six')).toBe('twenty six');
  });

  it('shuffles into a permutation', () => {
    expect(shuffled([1, 2, 3, 4], () => 0).sort()).toEqual([1, 2, 3, 4]);
  });
});
