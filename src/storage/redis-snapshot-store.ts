import type { Redis, Result } from 'ioredis';
import { InvalidOptionError } from '../runtime/index.js';
import { type FencedKeys, NONE_FENCED, type SnapshotRecord, type SnapshotStore } from './snapshot-store.js';

// A stored value is a 21-byte ASCII header — the sequence zero-padded to 16
// digits, then the schema version padded to 5 — followed by the msgpack
// bytes: one string per key, so a write is one SET with its TTL and a
// check reads only the first 16 bytes.
const SEQ_DIGITS = 16; // every safe integer (< 2^53) has at most 16 digits
const VERSION_DIGITS = 5;
const HEADER_BYTES = SEQ_DIGITS + VERSION_DIGITS;

// Writes a batch of snapshots, each only if it is newer than what Redis
// holds. One script makes check-and-set atomic per key and costs one round
// trip per batch. A missing key, or a value without a valid header, counts
// as older than anything. KEYS: snapshot keys; ARGV[1]: TTL in ms (0:
// none); ARGV[i + 1]: the value for KEYS[i]. Returns how many were written.
const PUT_SNAPSHOTS = `
local ttl = tonumber(ARGV[1])
local written = 0
for i, key in ipairs(KEYS) do
  local value = ARGV[i + 1]
  local current = tonumber(redis.call('GETRANGE', key, 0, ${SEQ_DIGITS - 1}))
  if current == nil or current < tonumber(string.sub(value, 1, ${SEQ_DIGITS})) then
    if ttl > 0 then redis.call('SET', key, value, 'PX', ttl) else redis.call('SET', key, value) end
    written = written + 1
  end
end
return written
`;

declare module 'ioredis' {
  interface RedisCommander<Context> {
    lekhaPutSnapshots(numKeys: number, ...keysAndArgs: Array<string | Buffer>): Result<number, Context>;
  }
}

export interface RedisSnapshotStoreOptions {
  /** Prepended to every key this store touches (`<prefix>snap:<key>`). */
  prefix: string;
  /** Snapshots of chats idle this long expire from Redis (they stay in Postgres). `0`: never. */
  ttlMs: number;
  batchSize?: number;
}

/**
 * The hot tier: the latest snapshot per key as one Redis string (header
 * with sequence and schema version, then the msgpack bytes), so activation
 * usually costs one Redis GET. Uses multi-key scripts, so all keys
 * must live on one Redis node (no Redis Cluster).
 *
 * Redis cannot check a partition lease, so it takes no fenced record: those
 * are refused (reported, never written), which keeps a former owner of a
 * partition from leaving a copy here that would shadow the new owner's state.
 */
export class RedisSnapshotStore implements SnapshotStore {
  readonly batchSize: number;
  private readonly prefix: string;
  private readonly ttlArg: string;

  constructor(
    private readonly redis: Redis,
    options: RedisSnapshotStoreOptions,
  ) {
    if (!(options.ttlMs >= 0))
      throw new InvalidOptionError('ttlMs', `ttlMs must be 0 (never) or positive, got ${options.ttlMs}`);
    this.prefix = `${options.prefix}snap:`;
    this.ttlArg = String(Math.round(options.ttlMs));
    this.batchSize = options.batchSize ?? 500;
    redis.defineCommand('lekhaPutSnapshots', { lua: PUT_SNAPSHOTS });
  }

  /**
   * Deletes every snapshot under the prefix (SCAN and UNLINK in batches, so
   * Redis never blocks on one big call): after the database was restored from
   * a backup, newer copies here must not win over the restored state.
   * Returns how many were deleted.
   */
  async clear(): Promise<number> {
    const pattern = `${this.prefix.replace(/[*?[\]\\]/g, '\\$&')}*`;
    let cursor = '0';
    let deleted = 0;
    do {
      const [next, keys] = await this.redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) deleted += await this.redis.unlink(...keys);
    } while (cursor !== '0');
    return deleted;
  }

  async read(key: string): Promise<SnapshotRecord | undefined> {
    const value = await this.redis.getBuffer(this.prefix + key);
    if (value === null) return undefined;
    const header = value.toString('latin1', 0, HEADER_BYTES);
    const seq = Number(header.slice(0, SEQ_DIGITS));
    const version = Number(header.slice(SEQ_DIGITS));
    if (value.length < HEADER_BYTES || !Number.isSafeInteger(seq) || !Number.isInteger(version)) {
      throw new Error(`Redis value of ${key} has no valid snapshot header`);
    }
    return { key, seq, version, bytes: value.subarray(HEADER_BYTES) };
  }

  async remove(key: string): Promise<void> {
    await this.redis.del(this.prefix + key);
  }

  async write(all: readonly SnapshotRecord[]): Promise<FencedKeys> {
    const fenced = all.some((r) => r.fence !== undefined);
    const records = fenced ? all.filter((r) => r.fence === undefined) : all;
    const refused = fenced ? all.filter((r) => r.fence !== undefined).map((r) => r.key) : NONE_FENCED;
    if (records.length > 0) await this.put(records);
    return refused;
  }

  private async put(records: readonly SnapshotRecord[]): Promise<void> {
    const keys = new Array<string>(records.length);
    const values = new Array<Buffer>(records.length);
    // One allocation for the batch; each value is a view into it.
    const buffer = Buffer.allocUnsafe(records.reduce((sum, r) => sum + HEADER_BYTES + r.bytes.length, 0));
    let offset = 0;
    records.forEach((record, i) => {
      if (!Number.isSafeInteger(record.seq) || record.seq < 0) {
        throw new RangeError(`snapshot sequence ${record.seq} of ${record.key} is not a safe non-negative integer`);
      }
      if (!Number.isInteger(record.version) || record.version < 1 || record.version >= 10 ** VERSION_DIGITS) {
        throw new RangeError(
          `snapshot version ${record.version} of ${record.key} does not fit ${VERSION_DIGITS} digits`,
        );
      }
      keys[i] = this.prefix + record.key;
      const start = offset;
      buffer.write(
        String(record.seq).padStart(SEQ_DIGITS, '0') + String(record.version).padStart(VERSION_DIGITS, '0'),
        start,
        'latin1',
      );
      buffer.set(record.bytes, start + HEADER_BYTES);
      offset += HEADER_BYTES + record.bytes.length;
      values[i] = buffer.subarray(start, offset);
    });
    await this.redis.lekhaPutSnapshots(keys.length, ...keys, this.ttlArg, ...values);
  }
}
