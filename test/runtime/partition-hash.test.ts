import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { partitionOf, partitionSql } from '../../src/runtime/index.js';

describe('the partition of a chat', () => {
  it('is the same for the same chat and spreads neighbouring ids over every partition', () => {
    const counts = new Array<number>(64).fill(0);
    for (let id = -1001000000000; id > -1001000010000; id--) counts[partitionOf(id, 64)]! += 1;
    expect(Math.min(...counts)).toBeGreaterThan(10_000 / 64 / 2);
    expect(Math.max(...counts)).toBeLessThan((10_000 / 64) * 2);
    expect(partitionOf(-1001234567890, 64)).toBe(partitionOf(-1001234567890, 64));
    expect(partitionOf(Number.MAX_SAFE_INTEGER, 64)).toBeGreaterThanOrEqual(0);
  });

  describe('computed by Postgres', () => {
    let client: pg.Client;

    beforeAll(async () => {
      client = new pg.Client({ connectionString: inject('postgresUrl') });
      await client.connect();
    });

    afterAll(async () => {
      await client.end();
    });

    it('equals the one computed here, for group, private and extreme ids', async () => {
      const ids = [0, 1, -1, 42, 777_000_001, -1001234567890, -100999999999999, Number.MAX_SAFE_INTEGER];
      for (let i = 0; i < 500; i++) ids.push(-1000000000000 - i * 7919, 100_000 + i * 104_729);
      for (const partitions of [1, 7, 64, 4096]) {
        const result = await client.query<{ p: number }>(
          `SELECT (${partitionSql('id', '$2::bigint')})::int AS p FROM unnest($1::bigint[]) WITH ORDINALITY AS t(id, n) ORDER BY n`,
          [ids.map(String), partitions],
        );
        expect(result.rows.map((r) => r.p)).toEqual(ids.map((id) => partitionOf(id, partitions)));
      }
    });
  });
});
