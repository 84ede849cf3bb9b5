import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CellTable } from '../../src/supervisor/cell-table.js';

type Op = { kind: 'set' | 'delete'; key: number | string };

const keyArb = fc.oneof(
  // Few distinct chat-like ids, so sets, overwrites and deletes meet the same keys and probe runs.
  fc.integer({ min: 0, max: 300 }).map((n) => -1_001_000_000_000 - n),
  fc.integer({ min: -5, max: 5 }),
  fc.constantFrom(Number.NaN, -0, 0.5, Number.MAX_SAFE_INTEGER + 2, Number.POSITIVE_INFINITY, 'chat:1', 'a'),
);

describe('CellTable', () => {
  it('holds the same entries as a Map after any sequence of sets and deletes', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ kind: fc.constantFrom<Op['kind']>('set', 'set', 'delete'), key: keyArb }), {
          maxLength: 600,
        }),
        (ops) => {
          const table = new CellTable<number | string, number>();
          const model = new Map<number | string, number>();
          ops.forEach((op, i) => {
            if (op.kind === 'set') {
              table.set(op.key, i);
              model.set(op.key, i);
            } else {
              expect(table.delete(op.key)).toBe(model.delete(op.key));
            }
            expect(table.get(op.key)).toBe(model.get(op.key));
          });
          expect(table.size).toBe(model.size);
          for (const [key, value] of model) expect(table.get(key)).toBe(value);
          const sortKey = ([k]: [number | string, number]): string => String(k);
          expect([...table].map(sortKey).sort()).toEqual([...model].map(sortKey).sort());
        },
      ),
      { numRuns: 200 },
    );
  });

  it('grows past many thousands of numeric keys and shrinks again as they leave', () => {
    const table = new CellTable<number, number>();
    const ids = Array.from({ length: 20_000 }, (_, i) => -1_001_000_000_000 - i * 7);
    ids.forEach((id, i) => table.set(id, i));
    expect(table.size).toBe(20_000);
    expect(ids.every((id, i) => table.get(id) === i)).toBe(true);
    for (const id of ids.slice(0, 19_990)) expect(table.delete(id)).toBe(true);
    expect(table.size).toBe(10);
    expect(ids.slice(19_990).every((id, i) => table.get(id) === 19_990 + i)).toBe(true);
    expect(table.get(ids[0] as number)).toBeUndefined();
  });

  it('lets entries be deleted while it is iterated', () => {
    const table = new CellTable<number, string>();
    for (let i = 0; i < 100; i++) table.set(i, `v${i}`);
    let seen = 0;
    for (const [key] of table) {
      table.delete(key);
      seen++;
    }
    expect(seen).toBe(100);
    expect(table.size).toBe(0);
  });
});
