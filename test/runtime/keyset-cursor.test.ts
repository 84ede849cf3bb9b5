import { describe, expect, it } from 'vitest';
import { KeysetCursor, keysetPage } from '../../src/runtime/index.js';

class ForeignCursor extends Error {}

const raw = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('KeysetCursor', () => {
  it('reads back the key it encoded, as an opaque URL-safe string', () => {
    const cursor = KeysetCursor.encode([1_700_000_000_000, -100123, 'ab12cd']);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(KeysetCursor.decode(cursor, ['number', 'number', 'string'], ForeignCursor)).toEqual([
      1_700_000_000_000,
      -100123,
      'ab12cd',
    ]);
  });

  const twoNumbers = ['number', 'number'] as const;
  it.each([
    ['not base64url JSON', 'garbage!', twoNumbers],
    ['not an array', raw({ seq: 1 }), twoNumbers],
    ['too few parts', raw([1]), twoNumbers],
    ['too many parts', raw([1, 2, 3]), twoNumbers],
    ['a string where a number belongs', raw(['1', 2]), twoNumbers],
    ['a number where a string belongs', raw([1, 2]), ['number', 'string'] as const],
    ['a fraction', raw([1.5, 2]), twoNumbers],
    ['a number beyond the safe integers', raw([1e300, 2]), twoNumbers],
    ['null', raw([null, 2]), twoNumbers],
  ])('refuses %s with the caller’s error', (_label, cursor, kinds) => {
    expect(() => KeysetCursor.decode(cursor, kinds, ForeignCursor)).toThrow(ForeignCursor);
  });
});

describe('keysetPage', () => {
  const rows = [{ id: 5 }, { id: 4 }, { id: 3 }];

  it('pages limit rows and continues after the last one when a further row was fetched', () => {
    const page = keysetPage(
      rows,
      2,
      (r) => r.id * 10,
      (r) => [r.id],
    );
    expect(page.items).toEqual([50, 40]);
    expect(KeysetCursor.decode(page.nextCursor as string, ['number'], ForeignCursor)).toEqual([4]);
  });

  it('has no next cursor on the last page', () => {
    expect(
      keysetPage(
        rows,
        3,
        (r) => r.id,
        (r) => [r.id],
      ),
    ).toEqual({ items: [5, 4, 3], nextCursor: null });
  });
});
