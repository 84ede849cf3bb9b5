import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { withLast } from '../../src/chat/bounded-list.js';

describe('withLast', () => {
  it('keeps what pushing and dropping the oldest beyond the cap keeps, without touching the list it is given', () => {
    fc.assert(
      fc.property(fc.array(fc.integer(), { maxLength: 60 }), fc.integer({ min: 1, max: 10 }), (items, cap) => {
        const pushed: number[] = [];
        let list: readonly number[] = [];
        for (const item of items) {
          pushed.push(item);
          if (pushed.length > cap) pushed.shift();
          const before = list.slice();
          const next = withLast(list, item, cap);
          expect(list).toEqual(before);
          expect(next).not.toBe(list);
          list = next;
          expect(list).toEqual(pushed);
        }
      }),
    );
  });

  it('adds a tuple as one entry', () => {
    expect(withLast<[number, number]>([[1, 2]], [3, 4], 2)).toEqual([
      [1, 2],
      [3, 4],
    ]);
  });
});
