import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Cell, type CellHost, type Message } from '../../src/runtime/index.js';
import { LruList } from '../../src/supervisor/lru-list.js';

type Op = { kind: 'touch' | 'remove'; key: number };

const host = { mailboxCapacity: 1 } as unknown as CellHost<Message>;

/** The order a list moved to the front on every touch gives, least recently used first. */
function modelOrder(ops: Op[]): number[] {
  const order: number[] = [];
  for (const op of ops) {
    const at = order.indexOf(op.key);
    if (at >= 0) order.splice(at, 1);
    if (op.kind === 'touch') order.push(op.key);
  }
  return order;
}

function replay(ops: Op[], cells: Map<number, Cell<Message>>): LruList<Message> {
  const lru = new LruList<Message>();
  for (const op of ops) {
    let cell = cells.get(op.key);
    if (cell === undefined) {
      cell = new Cell<Message>(op.key, host);
      cells.set(op.key, cell);
    }
    if (op.kind === 'touch') lru.touch(cell);
    else lru.remove(cell);
  }
  return lru;
}

describe('LruList', () => {
  it('keeps exact least-recently-used order through any touches and removes, across compactions', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({ kind: fc.constantFrom<Op['kind']>('touch', 'touch', 'touch', 'remove'), key: fc.nat(40) }),
          // Past the log's first 1,024 slots, so every long run compacts at least once.
          { minLength: 0, maxLength: 4000, size: 'max' },
        ),
        (ops) => {
          const cells = new Map<number, Cell<Message>>();
          const lru = replay(ops, cells);
          const expected = modelOrder(ops);
          expect(lru.size).toBe(expected.length);
          expect(lru.oldest(Number.POSITIVE_INFINITY).map((cell) => cell.key)).toEqual(expected);
          expect(lru.oldest(3).map((cell) => cell.key)).toEqual(expected.slice(0, 3));
        },
      ),
      { numRuns: 60 },
    );
  });

  it('compacts a log full of superseded entries without losing or reordering cells', () => {
    // 3 hot keys touched 5,000 times each around 500 cold keys touched once: most slots go stale.
    const ops: Op[] = [];
    for (let cold = 0; cold < 500; cold++) {
      ops.push({ kind: 'touch', key: 1000 + cold });
      for (let round = 0; round < 10; round++) for (let hot = 0; hot < 3; hot++) ops.push({ kind: 'touch', key: hot });
    }
    const lru = replay(ops, new Map());
    expect(lru.oldest(Number.POSITIVE_INFINITY).map((cell) => cell.key)).toEqual(modelOrder(ops));
  });

  it('stops at the first cell the predicate refuses', () => {
    const ops: Op[] = [0, 1, 2, 3, 4].map((key) => ({ kind: 'touch', key }));
    const lru = replay(ops, new Map());
    expect(lru.oldest(Number.POSITIVE_INFINITY, (cell) => (cell.key as number) < 3).map((c) => c.key)).toEqual([
      0, 1, 2,
    ]);
  });

  it('gives back the slots of removed cells once most of them are gone', () => {
    const cells = new Map<number, Cell<Message>>();
    const ops: Op[] = [];
    for (let key = 0; key < 20_000; key++) ops.push({ kind: 'touch', key });
    for (let key = 0; key < 19_990; key++) ops.push({ kind: 'remove', key });
    const lru = replay(ops, cells);
    expect(lru.size).toBe(10);
    expect((lru as unknown as { log: unknown[] }).log.length).toBeLessThan(4 * 1024 + 10 * 3 * 4);
    expect(lru.oldest(Number.POSITIVE_INFINITY).map((cell) => cell.key)).toEqual(modelOrder(ops));
    // A removed cell can come back.
    lru.touch(cells.get(5) as Cell<Message>);
    expect(lru.oldest(Number.POSITIVE_INFINITY).map((cell) => cell.key)).toEqual([...modelOrder(ops), 5]);
  });
});
