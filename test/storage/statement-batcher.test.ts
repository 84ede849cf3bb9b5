import { describe, expect, it } from 'vitest';
import { StatementBatcher } from '../../src/storage/statement-batcher.js';

describe('StatementBatcher', () => {
  it('runs the calls made in one turn as one batch and gives each call its own answer', async () => {
    const batches: number[][] = [];
    const batcher = new StatementBatcher<number, number>((requests) => {
      batches.push([...requests]);
      return Promise.resolve(requests.map((r) => r * 10));
    });
    const answers = await Promise.all([batcher.call(1), batcher.call(2), batcher.call(3)]);
    expect(answers).toEqual([10, 20, 30]);
    expect(await batcher.call(4)).toBe(40);
    expect(batches).toEqual([[1, 2, 3], [4]]);
  });

  it('starts a batch as soon as it is full', async () => {
    const batches: number[][] = [];
    const batcher = new StatementBatcher<number, number>((requests) => {
      batches.push([...requests]);
      return Promise.resolve(requests);
    }, 2);
    await Promise.all([1, 2, 3, 4, 5].map((n) => batcher.call(n)));
    expect(batches).toEqual([[1, 2], [3, 4], [5]]);
  });

  it('fails every call of a batch whose statement failed, and runs the next batch afresh', async () => {
    let fail = true;
    const batcher = new StatementBatcher<number, number>((requests) =>
      fail ? Promise.reject(new Error('connection reset')) : Promise.resolve(requests),
    );
    const first = await Promise.allSettled([batcher.call(1), batcher.call(2)]);
    expect(first.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    fail = false;
    expect(await batcher.call(3)).toBe(3);
  });
});
