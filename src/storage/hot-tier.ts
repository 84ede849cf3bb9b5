import type { Logger } from '../runtime/index.js';
import type { HotTierMetrics } from './hot-tier-metrics.js';
import type { SnapshotFormat } from './snapshot-format.js';
import type { DurableSnapshotStore, SnapshotRecord, SnapshotStore } from './snapshot-store.js';

export interface HotTierOptions<S> {
  /** Redis. */
  store: SnapshotStore;
  /** Postgres, which keeps the marks of stale Redis copies. */
  durable: DurableSnapshotStore;
  format: SnapshotFormat<S>;
  /** Keys marked stale when the tier was opened. */
  staleKeys: readonly string[];
  metrics: HotTierMetrics;
  logger?: Logger;
}

/** A Redis copy that was read: its state, or why it does not decode. */
export type HotCopy<S> =
  { readonly record: SnapshotRecord; readonly state: S } | { readonly record: SnapshotRecord; readonly error: unknown };

/** Keys whose Redis copies one batch write left stale or brought up to date; Postgres records them with the batch. */
export interface HotMarks {
  readonly stale: readonly string[];
  readonly fresh: readonly string[];
}

export const NO_HOT_MARKS: HotMarks = { stale: [], fresh: [] };

/**
 * The Redis tier of the snapshots: read first, written before Postgres.
 *
 * Redis is a cache that may fall behind: when it does not take a batch,
 * Postgres records (in the same transaction as the batch) that those keys'
 * copies are stale, and reads skip Redis for them until a newer copy reaches
 * it — by a later batch or by `refresh` after a read from Postgres. A Redis
 * that cannot be read or a copy that does not decode is counted and logged,
 * never fatal: Postgres answers.
 */
export class HotTier<S> {
  private readonly store: SnapshotStore;
  private readonly durable: DurableSnapshotStore;
  private readonly format: SnapshotFormat<S>;
  private readonly metrics: HotTierMetrics;
  private readonly logger: Logger | undefined;
  private readonly stale: Set<string>;
  private readsFailing = false;

  constructor(options: HotTierOptions<S>) {
    this.store = options.store;
    this.durable = options.durable;
    this.format = options.format;
    this.metrics = options.metrics;
    this.logger = options.logger;
    this.stale = new Set(options.staleKeys);
  }

  /** Keys whose Redis copy is known to be older than Postgres. */
  get staleCount(): number {
    return this.stale.size;
  }

  /** The Redis copy of `key`, decoded; `undefined` when its copy is stale, missing or Redis cannot be read. */
  async read(key: string): Promise<HotCopy<S> | undefined> {
    if (this.stale.has(key)) return undefined;
    const record = await this.readRecord(key);
    return record === undefined ? undefined : this.decode(record);
  }

  /**
   * Writes a batch to Redis. Never throws: a batch Redis does not take is
   * counted, logged and returned as stale marks.
   */
  async write(records: readonly SnapshotRecord[]): Promise<HotMarks> {
    try {
      const size = this.store.batchSize;
      const writes: Promise<unknown>[] = [];
      for (let i = 0; i < records.length; i += size) writes.push(this.store.write(records.slice(i, i + size)));
      await Promise.all(writes);
      return { stale: [], fresh: records.filter((r) => this.stale.has(r.key)).map((r) => r.key) };
    } catch (error) {
      this.metrics.writeFailures.inc();
      this.logger?.warn(
        { err: error, snapshots: records.length },
        'Redis did not take a snapshot batch; marking those keys stale',
      );
      return { stale: records.map((r) => r.key), fresh: [] };
    }
  }

  /** Takes over the marks of a batch once Postgres has recorded them. */
  applyMarks(marks: HotMarks): void {
    for (const key of marks.stale) this.stale.add(key);
    for (const key of marks.fresh) this.stale.delete(key);
  }

  /**
   * After a Redis miss, puts the durable copy back into Redis so the next
   * activation is fast. `replacing` an undecodable copy removes it first: its
   * sequence would keep an equal durable one out.
   */
  refresh(record: SnapshotRecord, replacing = false): void {
    const store = this.store;
    const removed = replacing && store.remove !== undefined ? store.remove(record.key) : Promise.resolve();
    removed
      .then(() => store.write([record]))
      .then(
        () => {
          if (!this.stale.delete(record.key)) return;
          this.durable.unmarkStaleHot([record.key]).catch((error: unknown) => {
            // Only the mark stays behind: the next start skips Redis for this key once more.
            this.logger?.warn({ err: error, key: record.key }, 'could not unmark a refreshed Redis snapshot');
          });
        },
        (error: unknown) => {
          this.metrics.writeFailures.inc();
          this.logger?.warn({ err: error, key: record.key }, 'could not copy a snapshot back to Redis');
        },
      );
  }

  private async readRecord(key: string): Promise<SnapshotRecord | undefined> {
    try {
      const record = await this.store.read(key);
      if (this.readsFailing) {
        this.readsFailing = false;
        this.logger?.info({}, 'Redis answers snapshot reads again');
      }
      return record;
    } catch (error) {
      this.metrics.readFailures.inc();
      if (!this.readsFailing) {
        this.readsFailing = true;
        this.logger?.warn({ err: error }, 'Redis cannot be read; activations fall back to Postgres');
      }
      return undefined;
    }
  }

  /** The copy's state, or why it does not decode (counted and logged: Postgres is read next). */
  private decode(record: SnapshotRecord): HotCopy<S> {
    try {
      return { record, state: this.format.decode(record.key, record.version, record.bytes) };
    } catch (error) {
      this.metrics.decodeFailures.inc();
      this.logger?.warn(
        { err: error, key: record.key, seq: record.seq },
        'the Redis copy of a snapshot does not decode; reading Postgres',
      );
      return { record, error };
    }
  }
}
