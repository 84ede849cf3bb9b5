import { InvalidOptionError } from '../runtime/index.js';
import type { Database } from '../storage/index.js';
import type { Lease, LeaseRow, LeaseTable } from './cluster-ports.js';
import { PartitionCountMismatchError } from './errors.js';

interface LeaseRecord {
  partition: number;
  epoch: number;
}

interface RowRecord extends LeaseRecord {
  owner: string | null;
  expires_at: Date | null;
}

/**
 * The partition leases in `partition_leases` (migration 13). Every expiry is
 * set and compared by the database's clock (`now()`), so the members' clocks
 * need not agree; each call is one statement, so two members racing for a
 * partition are ordered by the row lock and only one gets it.
 */
export class PostgresLeaseTable implements LeaseTable {
  constructor(private readonly db: Database) {}

  async init(partitions: number): Promise<void> {
    if (!Number.isInteger(partitions) || partitions < 1)
      throw new InvalidOptionError('partitions', `partitions must be a positive integer, got ${partitions}`);
    const before = await this.count();
    if (before !== 0 && before !== partitions) throw new PartitionCountMismatchError(partitions, before);
    await this.db.query(
      'INSERT INTO partition_leases (partition) SELECT generate_series(0, $1::int - 1) ON CONFLICT DO NOTHING',
      [partitions],
    );
    // Two first starts with different counts race to an empty table: the
    // rows are the union of both, and the smaller one notices here.
    const after = await this.count();
    if (after !== partitions) throw new PartitionCountMismatchError(partitions, after);
  }

  // Every change locks its rows in partition order, as fenced snapshot writes
  // do (FOR SHARE, ORDER BY partition): a renewal and a write batch then wait
  // for each other instead of deadlocking.
  async acquire(member: string, partitions: readonly number[], leaseMs: number): Promise<Lease[]> {
    if (partitions.length === 0) return [];
    const result = await this.db.query<LeaseRecord>(
      `UPDATE partition_leases
          SET owner = $1, epoch = epoch + 1, expires_at = now() + $3::int * interval '1 ms'
        WHERE partition IN (
          SELECT partition FROM partition_leases
           WHERE partition = ANY($2::int[])
             AND (owner IS NULL OR owner = $1 OR expires_at IS NULL OR expires_at < now())
           ORDER BY partition FOR UPDATE)
        RETURNING partition, epoch`,
      [member, [...partitions], Math.ceil(leaseMs)],
    );
    return sorted(result.rows);
  }

  async renew(member: string, leaseMs: number): Promise<Lease[]> {
    const result = await this.db.query<LeaseRecord>(
      `UPDATE partition_leases
          SET expires_at = now() + $2::int * interval '1 ms'
        WHERE partition IN (
          SELECT partition FROM partition_leases
           WHERE owner = $1 AND expires_at >= now()
           ORDER BY partition FOR UPDATE)
        RETURNING partition, epoch`,
      [member, Math.ceil(leaseMs)],
    );
    return sorted(result.rows);
  }

  async release(member: string, leases: readonly Lease[]): Promise<void> {
    if (leases.length === 0) return;
    await this.db.query(
      `UPDATE partition_leases
          SET owner = NULL, expires_at = NULL
        WHERE partition IN (
          SELECT l.partition FROM partition_leases AS l
            JOIN unnest($2::int[], $3::bigint[]) AS r(partition, epoch)
              ON l.partition = r.partition AND l.epoch = r.epoch
           WHERE l.owner = $1
           ORDER BY l.partition FOR UPDATE OF l)`,
      [member, leases.map((l) => l.partition), leases.map((l) => l.epoch)],
    );
  }

  async list(): Promise<LeaseRow[]> {
    const result = await this.db.query<RowRecord>(
      'SELECT partition, owner, epoch, expires_at FROM partition_leases ORDER BY partition',
    );
    return result.rows.map((row) => ({
      partition: row.partition,
      owner: row.owner,
      epoch: Number(row.epoch),
      expiresAtMs: row.expires_at === null ? null : row.expires_at.getTime(),
    }));
  }

  private async count(): Promise<number> {
    const result = await this.db.query<{ n: number }>('SELECT count(*)::int AS n FROM partition_leases');
    return result.rows[0]?.n ?? 0;
  }
}

function sorted(rows: readonly LeaseRecord[]): Lease[] {
  return rows
    .map((r) => ({ partition: r.partition, epoch: Number(r.epoch) }))
    .sort((a, b) => a.partition - b.partition);
}
