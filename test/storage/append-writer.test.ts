import { describe, expect, it } from 'vitest';
import { ManualClock, MetricsRegistry } from '../../src/runtime/index.js';
import {
  type AppendTable,
  AppendWriter,
  type Database,
  type Queryable,
  type QueryResult,
} from '../../src/storage/index.js';

interface Row {
  id: number;
}

const table: AppendTable<Row> = {
  name: 'rows',
  conflict: ['id'],
  columns: [{ name: 'id', type: 'bigint', value: (r) => r.id }],
};

/** A database that stores inserted ids and can be made to fail. */
class FakeDatabase implements Database {
  readonly kind = 'postgres';
  readonly parallelism = 1;
  readonly ids: number[] = [];
  statements = 0;
  failing = false;

  async query<R extends object>(text: string, params?: readonly unknown[]): Promise<QueryResult<R>> {
    this.statements++;
    if (this.failing) throw Object.assign(new Error('connection refused'), { code: 'ECONNREFUSED' });
    expect(text).toBe('INSERT INTO rows (id) SELECT * FROM unnest($1::bigint[]) ON CONFLICT (id) DO NOTHING');
    this.ids.push(...((params?.[0] as number[]) ?? []));
    return { rows: [], rowCount: 0 };
  }

  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T> {
    return work(this);
  }

  async close(): Promise<void> {}
}

function writer(db: FakeDatabase, clock: ManualClock, maxQueuedRows = 1000): AppendWriter {
  return new AppendWriter({
    db,
    clock,
    intervalMs: 1000,
    maxBatchRows: 100,
    maxQueuedRows,
    retry: { minMs: 100, maxMs: 400 },
    metrics: new MetricsRegistry(),
  });
}

describe('AppendWriter', () => {
  it('writes queued rows every interval, one statement per batch of rows', async () => {
    const db = new FakeDatabase();
    const clock = new ManualClock();
    const appends = writer(db, clock);
    appends.start();
    for (let id = 1; id <= 250; id++) appends.append(table, { id });
    await clock.advance(999);
    expect(db.statements).toBe(0);
    await clock.advance(1);
    expect(db.statements).toBe(3);
    expect(db.ids).toEqual(Array.from({ length: 250 }, (_, i) => i + 1));
  });

  it('keeps rows queued through failures and retries with backoff, in order', async () => {
    const db = new FakeDatabase();
    const clock = new ManualClock();
    const appends = writer(db, clock);
    appends.start();
    appends.append(table, { id: 1 });
    db.failing = true;
    await clock.advance(1000);
    expect(appends.stats()).toMatchObject({ queued: 1, writeFailures: 1 });
    appends.append(table, { id: 2 });
    await clock.advance(100);
    expect(appends.stats().writeFailures).toBe(2);
    db.failing = false;
    await clock.advance(200);
    expect(db.ids).toEqual([1, 2]);
    expect(appends.stats()).toMatchObject({ queued: 0, written: 2 });
  });

  it('refuses rows with APPEND_QUEUE_FULL once too many wait, and takes them again after a flush', async () => {
    const db = new FakeDatabase();
    const clock = new ManualClock();
    const appends = writer(db, clock, 100);
    for (let id = 1; id <= 100; id++) appends.append(table, { id });
    expect(() => appends.append(table, { id: 101 })).toThrow(expect.objectContaining({ code: 'APPEND_QUEUE_FULL' }));
    await appends.flush();
    appends.append(table, { id: 101 });
    expect(appends.stats().queued).toBe(1);
  });

  it('reports on close the rows it could not write before the deadline', async () => {
    const db = new FakeDatabase();
    const clock = new ManualClock();
    const appends = writer(db, clock);
    appends.append(table, { id: 1 });
    db.failing = true;
    const closing = appends.close({ deadlineMs: 500 });
    await clock.advance(600);
    expect(await closing).toEqual({ unwritten: 1 });
  });
});
