import { describe, expect, it } from 'vitest';
import { diceInRange, formatDice, parseDice, rollDice } from '../../../../src/plugins/integrations/games/dice-roll.js';

describe('dice', () => {
  it.each([
    ['', { count: 1, sides: 6 }],
    ['3', { count: 3, sides: 6 }],
    ['d20', { count: 1, sides: 20 }],
    ['2d8', { count: 2, sides: 8 }],
    ['2D8', { count: 2, sides: 8 }],
    ['2д6', { count: 2, sides: 6 }],
    ['3к10', { count: 3, sides: 10 }],
    ['11d6', { count: 11, sides: 6 }],
  ])('reads %j', (text, roll) => {
    expect(parseDice(text)).toEqual(roll);
  });

  it.each(['d', 'two', '2d', '2x6', '-1'])('reads %j as no roll', (text) => {
    expect(parseDice(text)).toBeNull();
  });

  it('allows 1 to 10 dice of 2 to 1000 sides', () => {
    expect(diceInRange({ count: 10, sides: 1000 })).toBe(true);
    expect(diceInRange({ count: 11, sides: 6 })).toBe(false);
    expect(diceInRange({ count: 0, sides: 6 })).toBe(false);
    expect(diceInRange({ count: 1, sides: 1 })).toBe(false);
  });

  it('rolls faces from 1 to the sides and shows them with the total', () => {
    const faces = rollDice({ count: 3, sides: 6 }, (max) => max - 1);
    expect(faces).toEqual([6, 6, 6]);
    expect(formatDice({ count: 3, sides: 6 }, faces)).toBe('🎲 3d6: 6 + 6 + 6 = 18');
    expect(formatDice({ count: 1, sides: 6 }, [4])).toBe('🎲 4');
    expect(formatDice({ count: 1, sides: 20 }, [17])).toBe('🎲 1d20: 17');
  });
});
