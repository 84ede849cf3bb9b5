import type { RandomInt } from './games-data.js';

/** How many dice of how many sides. */
export interface DiceRoll {
  count: number;
  sides: number;
}

export const MAX_DICE = 10;
export const MAX_SIDES = 1000;
const DEFAULT_SIDES = 6;

/**
 * Reads `/dice` arguments: '' is one d6, `3` three d6, `d20` one d20,
 * `2d8` two d8 (also with Cyrillic `д` or `к`, as Russian players write it).
 * Null when the text is no roll; a roll out of range is
 * returned as written, for {@link diceInRange} to refuse.
 */
export function parseDice(text: string): DiceRoll | null {
  const said = text.trim().toLowerCase();
  if (said === '') return { count: 1, sides: DEFAULT_SIDES };
  const match = /^(\d{1,4})?\s*(?:[dдк]\s*(\d{1,5}))?$/u.exec(said);
  if (match === null || (match[1] === undefined && match[2] === undefined)) return null;
  return { count: Number(match[1] ?? 1), sides: Number(match[2] ?? DEFAULT_SIDES) };
}

export function diceInRange(roll: DiceRoll): boolean {
  return roll.count >= 1 && roll.count <= MAX_DICE && roll.sides >= 2 && roll.sides <= MAX_SIDES;
}

/** Each die's face. */
export function rollDice(roll: DiceRoll, random: RandomInt): number[] {
  return Array.from({ length: roll.count }, () => 1 + random(roll.sides));
}

/** `🎲 4`, or `🎲 2d6: 3 + 5 = 8`. */
export function formatDice(roll: DiceRoll, faces: readonly number[]): string {
  if (faces.length === 1 && roll.sides === DEFAULT_SIDES) return `🎲 ${faces[0]}`;
  const total = faces.reduce((sum, face) => sum + face, 0);
  const shown = faces.length === 1 ? String(total) : `${faces.join(' + ')} = ${total}`;
  return `🎲 ${roll.count}d${roll.sides}: ${shown}`;
}
