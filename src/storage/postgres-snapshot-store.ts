import type { Database, Queryable } from './database.js';
import type { DurableSnapshotStore, SnapshotRecord } from './snapshot-store.js';

// All bytes of a batch travel as one bytea parameter sliced by offset and
// length: one binary parameter instead of an array literal of hex strings,
// which is what makes a batch cheap for the client and the server alike.
// The WHERE clause keeps a key from ever going back to an older sequence.
const UPSERT = `
  INSERT INTO snapshots (key, schema_version, seq, bytes, updated_at)
  SELECT k, v, s, substring($4::bytea FROM o + 1 FOR n), now()
  FROM unnest($1::text[], $2::integer[], $3::bigint[], $5::integer[], $6::integer[]) AS t(k, v, s, o, n)
  ON CONFLICT (key) DO UPDATE
    SET schema_version = EXCLUDED.schema_version, seq = EXCLUDED.seq, bytes = EXCLUDED.bytes, updated_at = EXCLUDED.updated_at
    WHERE snapshots.seq < EXCLUDED.seq`;

const MARK_STALE = `
  INSERT INTO snapshot_hot_stale (key) SELECT unnest($1::text[])
  ON CONFLICT (key) DO UPDATE SET marked_at = now()`;

const UNMARK_STALE = `DELETE FROM snapshot_hot_stale WHERE key = ANY($1::text[])`;

/** Snapshots in the `snapshots` table, written in multi-row upserts. */
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

  async write(records: readonly SnapshotRecord[]): Promise<void> {
    if (records.length > 0) await upsert(this.db, records);
  }

  async writeTracked(
    records: readonly SnapshotRecord[],
    staleHot: readonly string[],
    freshHot: readonly string[],
  ): Promise<void> {
    if (staleHot.length === 0 && freshHot.length === 0) return this.write(records);
    await this.db.transaction(async (tx) => {
      if (records.length > 0) await upsert(tx, records);
      if (staleHot.length > 0) await tx.query(MARK_STALE, [staleHot]);
      if (freshHot.length > 0) await tx.query(UNMARK_STALE, [freshHot]);
    });
  }

  async staleHotKeys(): Promise<string[]> {
    const result = await this.db.query<{ key: string }>('SELECT key FROM snapshot_hot_stale');
    return result.rows.map((row) => row.key);
  }

  async unmarkStaleHot(keys: readonly string[]): Promise<void> {
    if (keys.length > 0) await this.db.query(UNMARK_STALE, [keys]);
  }
}

async function upsert(db: Queryable, records: readonly SnapshotRecord[]): Promise<void> {
  const n = records.length;
  const keys = new Array<string>(n);
  const versions = new Array<number>(n);
  const seqs = new Array<number>(n);
  const offsets = new Array<number>(n);
  const lengths = new Array<number>(n);
  const parts = new Array<Uint8Array>(n);
  let offset = 0;
  for (let i = 0; i < n; i++) {
    const record = records[i] as SnapshotRecord;
    keys[i] = record.key;
    versions[i] = record.version;
    seqs[i] = record.seq;
    offsets[i] = offset;
    lengths[i] = record.bytes.length;
    parts[i] = record.bytes;
    offset += record.bytes.length;
  }
  await db.query(UPSERT, [keys, versions, seqs, Buffer.concat(parts, offset), offsets, lengths]);
}
