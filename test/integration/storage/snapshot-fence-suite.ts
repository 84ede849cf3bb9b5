import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Counter, ManualClock, MetricsRegistry } from '../../../src/runtime/index.js';
import {
  type Database,
  migrate,
  PostgresSnapshotStore,
  type SnapshotFence,
  type SnapshotRecord,
  WriteBehind,
} from '../../../src/storage/index.js';
import { CapturingLogger } from '../../support/capturing-logger.js';
import type { CounterState } from '../../support/counter-actor.js';
import { counterFormat } from '../../support/counter-runtime.js';
import type { SuiteDatabase } from './suite-databases.js';

/** Sets partition `partition`'s lease to `epoch` (a takeover when it grows), creating the row if missing. */
export async function setLease(db: Database, partition: number, epoch: number): Promise<void> {
  await db.query(
    `INSERT INTO partition_leases (partition, owner, epoch) VALUES ($1, 'member', $2)
     ON CONFLICT (partition) DO UPDATE SET epoch = EXCLUDED.epoch`,
    [partition, epoch],
  );
}

/** A counter snapshot record of `key` whose state is `[n]`. */
export function counterRecord(key: string, seq: number, n: number, fence?: SnapshotFence): SnapshotRecord {
  const bytes = counterFormat.encode({ seen: [n] });
  return fence === undefined ? { key, version: 1, seq, bytes } : { key, version: 1, seq, bytes, fence };
}

/** What the snapshots table holds for `key`: its sequence and counter state. */
export async function storedCounter(
  store: PostgresSnapshotStore,
  key: string,
): Promise<{ seq: number; state: CounterState } | undefined> {
  const record = await store.read(key);
  return record === undefined
    ? undefined
    : { seq: record.seq, state: counterFormat.decode(key, record.version, record.bytes) };
}

/**
 * Fenced snapshot writes: the guarantees that hold for any database behind
 * the `Database` port (the concurrency ones need a server: see the Postgres
 * test file). Run against a real Postgres server and against PGlite.
 */
export function snapshotFenceSuite(label: string, open: () => Promise<SuiteDatabase>): void {
  describe(`fenced snapshot writes on ${label}`, () => {
    let db: Database;
    let dispose: () => Promise<void>;
    let store: PostgresSnapshotStore;

    beforeAll(async () => {
      ({ db, dispose } = await open());
      await migrate(db);
      store = new PostgresSnapshotStore(db);
      await setLease(db, 1, 5);
      await setLease(db, 2, 1);
    });

    afterAll(async () => {
      await dispose();
    });

    it('writes a record fenced at the current epoch of its partition', async () => {
      expect(await store.write([counterRecord('cur', 10, 1, { partition: 1, epoch: 5 })])).toEqual([]);
      expect(await storedCounter(store, 'cur')).toEqual({ seq: 10, state: { seen: [1] } });
    });

    it('refuses and reports a record fenced at an older or newer epoch, or at a partition without a lease row, leaving the row as it was', async () => {
      await store.write([counterRecord('old', 10, 1, { partition: 1, epoch: 5 })]);
      const refused = await store.write([
        counterRecord('old', 11, 2, { partition: 1, epoch: 4 }),
        counterRecord('ahead', 11, 2, { partition: 1, epoch: 6 }),
        counterRecord('nolease', 11, 2, { partition: 99, epoch: 0 }),
      ]);
      expect([...refused].sort()).toEqual(['ahead', 'nolease', 'old']);
      expect(await storedCounter(store, 'old')).toEqual({ seq: 10, state: { seen: [1] } });
      expect(await store.read('ahead')).toBeUndefined();
      expect(await store.read('nolease')).toBeUndefined();
    });

    it('writes the current and unfenced records of a mixed batch and refuses only the stale ones', async () => {
      const refused = await store.write([
        counterRecord('mix-a', 3, 1, { partition: 1, epoch: 5 }),
        counterRecord('mix-b', 3, 2, { partition: 2, epoch: 0 }),
        counterRecord('mix-c', 3, 3),
        counterRecord('mix-d', 3, 4, { partition: 2, epoch: 1 }),
      ]);
      expect(refused).toEqual(['mix-b']);
      expect((await storedCounter(store, 'mix-a'))?.state).toEqual({ seen: [1] });
      expect(await store.read('mix-b')).toBeUndefined();
      expect((await storedCounter(store, 'mix-c'))?.state).toEqual({ seen: [3] });
      expect((await storedCounter(store, 'mix-d'))?.state).toEqual({ seen: [4] });
    });

    it('does not report a current record skipped for an older sequence as refused', async () => {
      await store.write([counterRecord('seq', 20, 1, { partition: 1, epoch: 5 })]);
      expect(await store.write([counterRecord('seq', 19, 2, { partition: 1, epoch: 5 })])).toEqual([]);
      expect(await storedCounter(store, 'seq')).toEqual({ seq: 20, state: { seen: [1] } });
    });

    it('marks a fenced record written unfinished, and leaves a refused one unmarked', async () => {
      const refused = await store.write([
        { ...counterRecord('uf-cur', 1, 1, { partition: 1, epoch: 5 }), unfinished: true },
        { ...counterRecord('uf-old', 1, 1, { partition: 1, epoch: 4 }), unfinished: true },
      ]);
      expect(refused).toEqual(['uf-old']);
      expect(await store.unfinishedKeys('uf-')).toEqual(['uf-cur']);
      await store.write([{ ...counterRecord('uf-cur', 2, 2, { partition: 1, epoch: 5 }), unfinished: false }]);
      expect(await store.unfinishedKeys('uf-')).toEqual([]);
    });

    it('writes unfenced records exactly as before: newer sequences win, nothing is reported', async () => {
      expect(await store.write([counterRecord('plain', 1, 1)])).toEqual([]);
      expect(await store.write([counterRecord('plain', 2, 2)])).toEqual([]);
      expect(await storedCounter(store, 'plain')).toEqual({ seq: 2, state: { seen: [2] } });
    });

    it('fences records written together with hot-tier marks in one transaction', async () => {
      const refused = await store.writeTracked(
        [
          counterRecord('tracked-a', 1, 1, { partition: 1, epoch: 5 }),
          counterRecord('tracked-b', 1, 2, { partition: 1, epoch: 3 }),
        ],
        ['tracked-a'],
        [],
      );
      expect(refused).toEqual(['tracked-b']);
      expect((await storedCounter(store, 'tracked-a'))?.state).toEqual({ seen: [1] });
      expect(await store.read('tracked-b')).toBeUndefined();
      expect(await store.staleHotKeys()).toContain('tracked-a');
      await store.unmarkStaleHot(['tracked-a']);
    });

    describe('through the write-behind', () => {
      async function fencedWriteBehind(epochs: Map<string, SnapshotFence | null>) {
        const metrics = new MetricsRegistry();
        const logger = new CapturingLogger();
        const writeBehind = await WriteBehind.create<string, CounterState>({
          format: counterFormat,
          durable: store,
          fence: (key) => epochs.get(key) ?? null,
          intervalMs: 60_000,
          clock: new ManualClock(),
          metrics,
          logger,
        });
        const fenced = (): number => (metrics.get('lekha_snapshot_writes_fenced_total') as Counter).value;
        return { writeBehind, metrics, logger, fenced };
      }

      it('refuses a stale owner’s snapshots (WRITE_FENCED, counted, logged with the key only) and still writes later ones under the new epoch', async () => {
        await setLease(db, 3, 7);
        const epochs = new Map<string, SnapshotFence | null>([['wb-a', { partition: 3, epoch: 7 }]]);
        const { writeBehind, logger, fenced } = await fencedWriteBehind(epochs);

        writeBehind.persist('wb-a', { seen: [1] });
        await writeBehind.flush();
        expect(await storedCounter(store, 'wb-a')).toMatchObject({ state: { seen: [1] } });

        await setLease(db, 3, 8); // another member took the partition over
        writeBehind.persist('wb-a', { seen: [1, 2] });
        const flushed = writeBehind.afterFlush('wb-a').catch((error: unknown) => error);
        await writeBehind.flush();
        expect(await flushed).toMatchObject({ code: 'WRITE_FENCED', retryable: false });
        expect(fenced()).toBe(1);
        expect(writeBehind.stats()).toMatchObject({ pending: 0, fenced: 1 });
        expect(await storedCounter(store, 'wb-a')).toMatchObject({ state: { seen: [1] } });
        const line = logger.lines.find((l) => l.level === 'warn' && l.msg.includes('refused'));
        expect(line?.obj).toEqual({ key: 'wb-a', partition: 3, epoch: 7 });
        expect(JSON.stringify(logger.lines)).not.toContain('seen');

        epochs.set('wb-a', { partition: 3, epoch: 8 }); // this member holds the lease again
        writeBehind.persist('wb-a', { seen: [1, 2, 3] });
        const again = writeBehind.afterFlush('wb-a');
        await writeBehind.flush();
        await again;
        expect(await storedCounter(store, 'wb-a')).toMatchObject({ state: { seen: [1, 2, 3] } });
        expect(fenced()).toBe(1);
        await writeBehind.close();
      });

      it('refuses to take a state whose key this member does not serve', async () => {
        const { writeBehind, fenced } = await fencedWriteBehind(new Map());
        expect(() => writeBehind.persist('wb-none', { seen: [1] })).toThrow(
          expect.objectContaining({ code: 'WRITE_FENCED' }),
        );
        expect(writeBehind.stats().pending).toBe(0);
        expect(fenced()).toBe(1);
        await writeBehind.close();
        expect(await store.read('wb-none')).toBeUndefined();
      });
    });
  });
}
