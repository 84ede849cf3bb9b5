import type { Database, Queryable } from './database.js';
import { type DurableSnapshotStore, type FencedKeys, NONE_FENCED, type SnapshotRecord } from './snapshot-store.js';

// All bytes of a batch travel as one bytea parameter sliced by offset and
// length: one binary parameter instead of an array literal of hex strings,
// which is what makes a batch cheap for the client and the server alike.
// The WHERE clause keeps a key from ever going back to an older sequence.
// `unfinished` ($7) marks a state with work a start must go on with.
const UPSERT = `
  INSERT INTO snapshots (key, schema_version, seq, bytes, unfinished, updated_at)
  SELECT k, v, s, substring($4::bytea FROM o + 1 FOR n), u, now()
  FROM unnest($1::text[], $2::integer[], $3::bigint[], $5::integer[], $6::integer[], $7::boolean[]) AS t(k, v, s, o, n, u)
  ON CONFLICT (key) DO UPDATE
    SET schema_version = EXCLUDED.schema_version, seq = EXCLUDED.seq, bytes = EXCLUDED.bytes,
      unfinished = EXCLUDED.unfinished, updated_at = EXCLUDED.updated_at
    WHERE snapshots.seq < EXCLUDED.seq`;

// The same upsert for a batch with fenced records ($8: partition, $9: epoch;
// NULL for a record without a fence; $10: the distinct partitions). The lease
// rows are read FOR SHARE, in partition order, in the statement that writes:
// a takeover (an UPDATE of the row) either happened before — then the lock
// returns the row's new epoch and the record is refused — or waits until
// this write has committed, so the new owner reads what was written. Returns
// the keys of the refused records.
const FENCED_UPSERT = `
  WITH input AS MATERIALIZED (
    SELECT * FROM unnest($1::text[], $2::integer[], $3::bigint[], $5::integer[], $6::integer[], $7::boolean[], $8::integer[], $9::bigint[])
      AS t(k, v, s, o, n, u, p, e)
  ), lease AS MATERIALIZED (
    SELECT partition, epoch FROM partition_leases WHERE partition = ANY($10::integer[]) ORDER BY partition FOR SHARE
  ), allowed AS MATERIALIZED (
    SELECT input.k, input.v, input.s, input.o, input.n, input.u FROM input LEFT JOIN lease ON lease.partition = input.p
    WHERE input.p IS NULL OR lease.epoch = input.e
  ), written AS (
    INSERT INTO snapshots (key, schema_version, seq, bytes, unfinished, updated_at)
    SELECT k, v, s, substring($4::bytea FROM o + 1 FOR n), u, now() FROM allowed
    ON CONFLICT (key) DO UPDATE
      SET schema_version = EXCLUDED.schema_version, seq = EXCLUDED.seq, bytes = EXCLUDED.bytes,
        unfinished = EXCLUDED.unfinished, updated_at = EXCLUDED.updated_at
      WHERE snapshots.seq < EXCLUDED.seq
  )
  SELECT k AS key FROM input WHERE NOT EXISTS (SELECT 1 FROM allowed WHERE allowed.k = input.k)`;

const MARK_STALE = `
  INSERT INTO snapshot_hot_stale (key) SELECT unnest($1::text[])
  ON CONFLICT (key) DO UPDATE SET marked_at = now()`;

const UNMARK_STALE = `DELETE FROM snapshot_hot_stale WHERE key = ANY($1::text[])`;

/**
 * Snapshots in the `snapshots` table, written in multi-row upserts. A batch
 * with fenced records is written only where `partition_leases` holds the
 * record's epoch (checked and locked in the same statement); the others are
 * refused and reported.
 */
export class PostgresSnapshotStore implements DurableSnapshotStore {
  readonly batchSize: number;
  readonly parallelism: number;

  constructor(
    private readonly db: Database,
    options: { batchSize?: number } = {},
  ) {
    this.batchSize = options.batchSize ?? 1000;
    this.parallelism = db.parallelism;
  }

  async read(key: string): Promise<SnapshotRecord | undefined> {
    const result = await this.db.query<{ schema_version: number; seq: number; bytes: Uint8Array }>(
      'SELECT schema_version, seq, bytes FROM snapshots WHERE key = $1',
      [key],
    );
    const row = result.rows[0];
    return row === undefined ? undefined : { key, version: row.schema_version, seq: row.seq, bytes: row.bytes };
  }

  async write(records: readonly SnapshotRecord[]): Promise<FencedKeys> {
    return records.length > 0 ? upsert(this.db, records) : NONE_FENCED;
  }

  async writeTracked(
    records: readonly SnapshotRecord[],
    staleHot: readonly string[],
    freshHot: readonly string[],
  ): Promise<FencedKeys> {
    if (staleHot.length === 0 && freshHot.length === 0) return this.write(records);
    return this.db.transaction(async (tx) => {
      const fenced = records.length > 0 ? await upsert(tx, records) : NONE_FENCED;
      if (staleHot.length > 0) await tx.query(MARK_STALE, [staleHot]);
      if (freshHot.length > 0) await tx.query(UNMARK_STALE, [freshHot]);
      return fenced;
    });
  }

  async staleHotKeys(): Promise<string[]> {
    const result = await this.db.query<{ key: string }>('SELECT key FROM snapshot_hot_stale');
    return result.rows.map((row) => row.key);
  }

  async unmarkStaleHot(keys: readonly string[]): Promise<void> {
    if (keys.length > 0) await this.db.query(UNMARK_STALE, [keys]);
  }

  async unfinishedKeys(prefix: string): Promise<string[]> {
    // starts_with, not LIKE: a prefix is taken as it is, wildcards and all.
    const result = await this.db.query<{ key: string }>(
      'SELECT key FROM snapshots WHERE unfinished AND starts_with(key, $1) ORDER BY key',
      [prefix],
    );
    return result.rows.map((row) => row.key);
  }
}

async function upsert(db: Queryable, records: readonly SnapshotRecord[]): Promise<FencedKeys> {
  const n = records.length;
  let fenced = false;
  const keys = new Array<string>(n);
  const versions = new Array<number>(n);
  const seqs = new Array<number>(n);
  const offsets = new Array<number>(n);
  const lengths = new Array<number>(n);
  const unfinished = new Array<boolean>(n);
  const parts = new Array<Uint8Array>(n);
  let offset = 0;
  for (let i = 0; i < n; i++) {
    const record = records[i] as SnapshotRecord;
    keys[i] = record.key;
    versions[i] = record.version;
    seqs[i] = record.seq;
    offsets[i] = offset;
    lengths[i] = record.bytes.length;
    unfinished[i] = record.unfinished === true;
    parts[i] = record.bytes;
    offset += record.bytes.length;
    if (record.fence !== undefined) fenced = true;
  }
  const bytes = Buffer.concat(parts, offset);
  if (!fenced) {
    await db.query(UPSERT, [keys, versions, seqs, bytes, offsets, lengths, unfinished]);
    return NONE_FENCED;
  }
  const partitions = new Array<number | null>(n);
  const epochs = new Array<number | null>(n);
  const distinct = new Set<number>();
  for (let i = 0; i < n; i++) {
    const fence = (records[i] as SnapshotRecord).fence;
    partitions[i] = fence?.partition ?? null;
    epochs[i] = fence?.epoch ?? null;
    if (fence !== undefined) distinct.add(fence.partition);
  }
  const result = await db.query<{ key: string }>(FENCED_UPSERT, [
    keys,
    versions,
    seqs,
    bytes,
    offsets,
    lengths,
    unfinished,
    partitions,
    epochs,
    [...distinct],
  ]);
  return result.rows.length === 0 ? NONE_FENCED : result.rows.map((row) => row.key);
}
