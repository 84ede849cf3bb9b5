import type { Redis, Result } from 'ioredis';
import type { FieldCipher } from '../../ports/index.js';
import { InvalidOptionError } from '../../runtime/index.js';
import type { Queryable } from '../database.js';
import { asBuffer } from '../messages-table.js';
import { checkEncryptionKeys, retireKey } from './key-registry.js';
import { envelopeKeyId, envelopeKeyIdSql, openEnvelope, sealEnvelope } from './sealed-envelope.js';
import { type SealedTable, sealedTables } from './sealed-tables.js';

/** How many stored values of one place (a table, `snapshots`, `redis`) use each key id (0: plain). */
export interface KeyUsage {
  readonly place: string;
  readonly byKeyId: ReadonlyMap<number, number>;
}

/** One step of a rotation, for progress output. */
export interface RotationProgress {
  readonly place: string;
  /** Values of this place moved to the writing key so far. */
  readonly moved: number;
  /** Values of this place on another key when it started. */
  readonly total: number;
}

export interface RotationReport {
  readonly writeKeyId: number;
  readonly moved: Readonly<Record<string, number>>;
  /** Values still on another key (written meanwhile by a process with an older configuration). */
  readonly left: number;
  /** Key ids no stored value uses any more, now marked retired. */
  readonly retired: readonly number[];
}

export interface KeyRotationOptions {
  db: Queryable;
  cipher: FieldCipher;
  /** The hot tier, when configured: its snapshot copies are re-sealed too. */
  redis?: Redis | undefined;
  /** Key prefix of the hot tier (`REDIS_KEY_PREFIX`). */
  redisKeyPrefix?: string;
  /** Rows per statement (default 500). */
  batchRows?: number;
}

// Re-seals one Redis snapshot only if it is still the value that was read:
// a newer snapshot written meanwhile is never replaced. KEEPTTL keeps the
// idle expiry. KEYS[1]: the key; ARGV[1]: the value read; ARGV[2]: the new value.
const RESEAL = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[2], 'KEEPTTL')
  return 1
end
return 0
`;
/** The Redis snapshot header (sequence and schema version digits) before the stored bytes. */
const REDIS_HEADER_BYTES = 21;
/** Passes over a table that keep finding rows a concurrent writer changed; past this, they are reported as left. */
const MAX_PASSES = 3;

declare module 'ioredis' {
  interface RedisCommander<Context> {
    lekhaResealSnapshot(key: string, read: Buffer, next: Buffer): Result<number, Context>;
  }
}

/**
 * Moves every stored sealed value — rows of every sealed table, snapshots
 * in Postgres and Redis — to the writing key, in batches, while the bot
 * runs. Each row is re-sealed with compare-and-set on its key id and
 * ciphertext (a snapshot on its sequence, a Redis copy on its whole value),
 * so a value written meanwhile is never replaced by an older one. Running
 * it again continues where it stopped: only values on another key are read.
 */
export class KeyRotation {
  private readonly db: Queryable;
  private readonly cipher: FieldCipher;
  private readonly redis: Redis | undefined;
  private readonly snapshotPattern: string;
  private readonly batchRows: number;

  constructor(options: KeyRotationOptions) {
    this.db = options.db;
    this.cipher = options.cipher;
    this.redis = options.redis;
    this.snapshotPattern = `${options.redisKeyPrefix ?? 'lekha:'}snap:*`;
    this.batchRows = options.batchRows ?? 500;
    if (!Number.isInteger(this.batchRows) || this.batchRows < 1)
      throw new InvalidOptionError('batchRows', 'batchRows must be a positive integer');
    this.redis?.defineCommand('lekhaResealSnapshot', { numberOfKeys: 1, lua: RESEAL });
  }

  /** How many values each table, `snapshots` and Redis hold under each key id. */
  async status(): Promise<KeyUsage[]> {
    const usages: KeyUsage[] = [];
    for (const table of sealedTables) {
      const { rows } = await this.db.query<{ key_id: number; n: string | number }>(
        `SELECT ${table.keyIdColumn} AS key_id, count(*) AS n FROM ${table.name} GROUP BY 1 ORDER BY 1`,
      );
      usages.push({ place: table.name, byKeyId: new Map(rows.map((r) => [Number(r.key_id), Number(r.n)])) });
    }
    const { rows } = await this.db.query<{ key_id: string | number; n: string | number }>(
      `SELECT ${envelopeKeyIdSql('bytes')} AS key_id, count(*) AS n FROM snapshots GROUP BY 1 ORDER BY 1`,
    );
    usages.push({ place: 'snapshots', byKeyId: new Map(rows.map((r) => [Number(r.key_id), Number(r.n)])) });
    if (this.redis !== undefined) {
      const counts = new Map<number, number>();
      for await (const batch of this.redisSnapshots()) {
        for (const [, value] of batch) {
          const keyId = envelopeKeyId(value.subarray(REDIS_HEADER_BYTES));
          counts.set(keyId, (counts.get(keyId) ?? 0) + 1);
        }
      }
      usages.push({ place: 'redis', byKeyId: counts });
    }
    return usages;
  }

  /**
   * Re-seals everything on another key with the writing key, reporting
   * progress after each batch; then retires, in the key registry, every
   * key no stored value uses any more. Refuses to run without a key.
   */
  async rotate(onProgress: (progress: RotationProgress) => void = () => undefined): Promise<RotationReport> {
    const writeKeyId = this.cipher.writeKeyId;
    if (writeKeyId === 0)
      throw new InvalidOptionError(
        'cipher',
        'no ENCRYPTION_KEY or ENCRYPTION_KEYS is configured: there is no key to rotate to',
      );
    // Refuses a wrong or missing key as a start would, and records the writing key before anything is sealed with it.
    await checkEncryptionKeys(this.db, this.cipher);
    const before = await this.status();
    const totalOf = (place: string): number => {
      const usage = before.find((u) => u.place === place);
      let total = 0;
      for (const [keyId, n] of usage?.byKeyId ?? []) if (keyId !== writeKeyId) total += n;
      return total;
    };
    const moved: Record<string, number> = {};
    for (const table of sealedTables) {
      moved[table.name] = await this.rotateTable(table, totalOf(table.name), onProgress);
    }
    moved.snapshots = await this.rotateSnapshots(totalOf('snapshots'), onProgress);
    if (this.redis !== undefined) moved.redis = await this.rotateRedis(totalOf('redis'), onProgress);

    const after = await this.status();
    let left = 0;
    const used = new Set<number>();
    for (const usage of after)
      for (const [keyId, n] of usage.byKeyId) {
        if (n === 0) continue;
        used.add(keyId);
        if (keyId !== writeKeyId) left += n;
      }
    const retired: number[] = [];
    const registered = await this.db.query<{ id: number }>(
      'SELECT id FROM encryption_keys WHERE retired_at IS NULL AND id <> $1 ORDER BY id',
      [writeKeyId],
    );
    for (const { id } of registered.rows) if (!used.has(id) && (await retireKey(this.db, id))) retired.push(id);
    return { writeKeyId, moved, left, retired };
  }

  private async rotateTable(
    table: SealedTable,
    total: number,
    onProgress: (progress: RotationProgress) => void,
  ): Promise<number> {
    const writeKeyId = this.cipher.writeKeyId;
    const keyNames = table.key.map((k) => k.name);
    const keyTuple = `(${keyNames.join(', ')})`;
    const selected = [...keyNames, table.keyIdColumn, ...table.sealed].join(', ');
    const update = this.updateStatement(table);
    let moved = 0;
    for (let pass = 0; pass < MAX_PASSES; pass++) {
      let after: unknown[] | undefined;
      let skipped = 0;
      for (;;) {
        const params: unknown[] = [writeKeyId];
        let where = `${table.keyIdColumn} <> $1`;
        if (after !== undefined) {
          params.push(...after);
          where += ` AND ${keyTuple} > (${after.map((_, i) => `$${i + 2}`).join(', ')})`;
        }
        params.push(this.batchRows);
        const { rows } = await this.db.query<Record<string, unknown>>(
          `SELECT ${selected} FROM ${table.name} WHERE ${where} ORDER BY ${keyNames.join(', ')} LIMIT $${params.length}`,
          params,
        );
        if (rows.length === 0) break;
        const last = rows.at(-1) as Record<string, unknown>;
        after = keyNames.map((name) => last[name]);
        const changed = await this.db.query(update, this.updateParams(table, rows));
        moved += changed.rowCount;
        skipped += rows.length - changed.rowCount;
        onProgress({ place: table.name, moved, total });
        if (rows.length < this.batchRows) break;
      }
      // Rows a writer changed between our read and our write are still on their old key: one more pass takes them.
      if (skipped === 0) break;
    }
    return moved;
  }

  private updateStatement(table: SealedTable): string {
    const columns = [
      ...table.key.map((k) => ({ name: k.name, type: k.type })),
      { name: 'old_key_id', type: 'integer' },
      ...table.sealed.map((name) => ({ name: `old_${name}`, type: 'bytea' })),
      ...table.sealed.map((name) => ({ name: `new_${name}`, type: 'bytea' })),
      ...table.derived.map((d) => ({ name: `new_${d.name}`, type: d.type })),
    ];
    const arrays = columns.map((c, i) => `$${i + 2}::${c.type}[]`).join(', ');
    const set = [
      `${table.keyIdColumn} = $1`,
      ...table.sealed.map((name) => `${name} = u.new_${name}`),
      ...table.derived.map((d) => `${d.name} = u.new_${d.name}`),
    ];
    const match = [
      ...table.key.map((k) => `t.${k.name} = u.${k.name}`),
      `t.${table.keyIdColumn} = u.old_key_id`,
      ...table.sealed.map((name) => `t.${name} IS NOT DISTINCT FROM u.old_${name}`),
    ];
    return `UPDATE ${table.name} t SET ${set.join(', ')}
      FROM unnest(${arrays}) AS u(${columns.map((c) => c.name).join(', ')})
      WHERE ${match.join(' AND ')}`;
  }

  private updateParams(table: SealedTable, rows: Record<string, unknown>[]): unknown[] {
    const utf8 = new TextDecoder();
    const resealed = rows.map((row) => {
      const keyId = Number(row[table.keyIdColumn]);
      const plain = table.sealed.map((name) => {
        const bytes = row[name] as Uint8Array | null;
        return bytes === null ? null : this.cipher.open(bytes, keyId);
      });
      return {
        keyId,
        plain,
        sealed: plain.map((bytes) => (bytes === null ? null : asBuffer(this.cipher.seal(bytes).bytes))),
        text: plain.map((bytes) => (bytes === null ? null : utf8.decode(bytes))),
      };
    });
    return [
      this.cipher.writeKeyId,
      ...table.key.map((k) => rows.map((row) => row[k.name])),
      resealed.map((r) => r.keyId),
      ...table.sealed.map((name) => rows.map((row) => asBuffer(row[name] as Uint8Array | null))),
      ...table.sealed.map((_, i) => resealed.map((r) => r.sealed[i])),
      ...table.derived.map((d) => resealed.map((r) => d.value(r.text, this.cipher))),
    ];
  }

  private async rotateSnapshots(total: number, onProgress: (progress: RotationProgress) => void): Promise<number> {
    const writeKeyId = this.cipher.writeKeyId;
    const keyIdSql = envelopeKeyIdSql('bytes');
    let moved = 0;
    let after = '';
    for (;;) {
      const { rows } = await this.db.query<{ key: string; seq: string | number; bytes: Uint8Array }>(
        `SELECT key, seq, bytes FROM snapshots WHERE ${keyIdSql} <> $1 AND key > $2 ORDER BY key LIMIT $3`,
        [writeKeyId, after, this.batchRows],
      );
      if (rows.length === 0) break;
      after = (rows.at(-1) as { key: string }).key;
      const resealed = rows.map((row) => asBuffer(sealEnvelope(this.cipher, openEnvelope(this.cipher, row.bytes))));
      // A snapshot written meanwhile has a higher sequence and stays as it is.
      const changed = await this.db.query(
        `UPDATE snapshots s SET bytes = u.bytes FROM unnest($1::text[], $2::bigint[], $3::bytea[]) AS u(key, seq, bytes)
         WHERE s.key = u.key AND s.seq = u.seq`,
        [rows.map((r) => r.key), rows.map((r) => r.seq), resealed],
      );
      moved += changed.rowCount;
      onProgress({ place: 'snapshots', moved, total });
      if (rows.length < this.batchRows) break;
    }
    return moved;
  }

  private async rotateRedis(total: number, onProgress: (progress: RotationProgress) => void): Promise<number> {
    const redis = this.redis as Redis;
    const writeKeyId = this.cipher.writeKeyId;
    let moved = 0;
    for await (const batch of this.redisSnapshots()) {
      let changed = 0;
      for (const [key, value] of batch) {
        const body = value.subarray(REDIS_HEADER_BYTES);
        if (envelopeKeyId(body) === writeKeyId) continue;
        const next = Buffer.concat([
          value.subarray(0, REDIS_HEADER_BYTES),
          sealEnvelope(this.cipher, openEnvelope(this.cipher, body)),
        ]);
        changed += await redis.lekhaResealSnapshot(key, value, next);
      }
      if (changed === 0) continue;
      moved += changed;
      onProgress({ place: 'redis', moved, total });
    }
    return moved;
  }

  /** Every snapshot copy in Redis, a SCAN page at a time (keys that vanish meanwhile are left out). */
  private async *redisSnapshots(): AsyncGenerator<Array<[string, Buffer]>> {
    const redis = this.redis as Redis;
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', this.snapshotPattern, 'COUNT', this.batchRows);
      cursor = next;
      if (keys.length === 0) continue;
      const values = await redis.mgetBuffer(...keys);
      const batch: Array<[string, Buffer]> = [];
      keys.forEach((key, i) => {
        const value = values[i];
        if (value !== null && value !== undefined && value.length >= REDIS_HEADER_BYTES) batch.push([key, value]);
      });
      yield batch;
    } while (cursor !== '0');
  }
}
