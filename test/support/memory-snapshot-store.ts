import type { DurableSnapshotStore, FencedKeys, SnapshotRecord } from '../../src/storage/index.js';

/**
 * An in-memory snapshot store with the same rule as the real ones (an older
 * or equal sequence never replaces a newer one) and knobs to make it fail or
 * hang, for unit tests of the write-behind logic. Fenced records are taken
 * only where `leases` holds their partition at their epoch, as Postgres does.
 */
export class MemorySnapshotStore implements DurableSnapshotStore {
  readonly records = new Map<string, SnapshotRecord>();
  readonly staleMarks = new Set<string>();
  /** Epoch of each partition's lease (`partition_leases`). */
  readonly leases = new Map<number, number>();
  /** Keys of every write call, in order. */
  readonly writes: string[][] = [];
  reads = 0;
  /** Calls to fail before working again. */
  failWrites = 0;
  failReads = false;
  private gate: Promise<void> | null = null;
  private openGate: (() => void) | null = null;

  constructor(
    readonly batchSize = 1000,
    readonly parallelism = 1,
  ) {}

  /** Makes writes wait until the returned function is called. */
  hold(): () => void {
    this.gate = new Promise((resolve) => {
      this.openGate = resolve;
    });
    return () => {
      this.openGate?.();
      this.gate = null;
    };
  }

  async read(key: string): Promise<SnapshotRecord | undefined> {
    this.reads++;
    if (this.failReads) throw new Error('store is unreachable');
    return this.records.get(key);
  }

  async write(records: readonly SnapshotRecord[]): Promise<FencedKeys> {
    return this.writeTracked(records, [], []);
  }

  async writeTracked(
    records: readonly SnapshotRecord[],
    staleHot: readonly string[],
    freshHot: readonly string[],
  ): Promise<FencedKeys> {
    this.writes.push(records.map((r) => r.key));
    if (this.gate !== null) await this.gate;
    if (this.failWrites > 0) {
      this.failWrites--;
      throw new Error('store is unreachable');
    }
    const fenced: string[] = [];
    for (const record of records) {
      if (record.fence !== undefined && this.leases.get(record.fence.partition) !== record.fence.epoch) {
        fenced.push(record.key);
        continue;
      }
      const current = this.records.get(record.key);
      if (current === undefined || current.seq < record.seq) this.records.set(record.key, record);
    }
    for (const key of staleHot) this.staleMarks.add(key);
    for (const key of freshHot) this.staleMarks.delete(key);
    return fenced;
  }

  async staleHotKeys(): Promise<string[]> {
    return [...this.staleMarks];
  }

  async unmarkStaleHot(keys: readonly string[]): Promise<void> {
    for (const key of keys) this.staleMarks.delete(key);
  }

  async unfinishedKeys(prefix: string): Promise<string[]> {
    return [...this.records.values()]
      .filter((r) => r.unfinished === true && r.key.startsWith(prefix))
      .map((r) => r.key)
      .sort();
  }
}
