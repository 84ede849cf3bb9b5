import type { Redis } from 'ioredis';
import { InvalidOptionError } from '../runtime/index.js';
import { type FencedKeys, NONE_FENCED, type SnapshotRecord, type SnapshotStore } from './snapshot-store.js';

// A stored value is a 21-byte ASCII header — the sequence zero-padded to 16
// digits, then the schema version padded to 5 — followed by the msgpack
// bytes: one string per key, so a check reads only the first 16 bytes.
const SEQ_DIGITS = 16; // every safe integer (< 2^53) has at most 16 digits
const VERSION_DIGITS = 5;
const HEADER_BYTES = SEQ_DIGITS + VERSION_DIGITS;

// Writes a batch of snapshots, each only if it is newer than what Redis
// holds. The values never pass through Lua: a Lua string is a copy of the
// argument and `redis.call` copies it back, which cost more server time per
// key than all the rest of the write. So one MULTI sets the values under
// staging keys (one MSET, whose values Redis keeps without copying), then
// this script, in the same transaction, renames each staged value over its
// key only if its sequence is newer and drops it otherwise. The
// transaction keeps the staging keys invisible to every other client, so
// they are named by position in the batch (`<ARGV[2]><i>`). A missing key,
// a value without a valid header, or a key of another type (its GETRANGE
// error caught) counts as older than anything.
// KEYS: snapshot keys; ARGV[1]: TTL in ms (0: none); ARGV[2]: the staging
// keys' prefix; ARGV[3]: the sequences of KEYS, as in their headers,
// concatenated (fewer arguments cost the client less than one per key).
// Returns how many were written.
const RENAME_NEWER = `
local ttl = tonumber(ARGV[1])
local stage = ARGV[2]
local seqs = ARGV[3]
local written = 0
for i, key in ipairs(KEYS) do
  local current = tonumber(redis.pcall('GETRANGE', key, 0, ${SEQ_DIGITS - 1}))
  local seq = tonumber(string.sub(seqs, (i - 1) * ${SEQ_DIGITS} + 1, i * ${SEQ_DIGITS}))
  if current == nil or current < seq then
    redis.call('RENAME', stage .. i, key)
    if ttl > 0 then redis.call('PEXPIRE', key, ttl) end
    written = written + 1
  else
    redis.call('DEL', stage .. i)
  end
end
return written
`;

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
 * usually costs one Redis GET. Writes go through staging keys
 * (`<prefix>snap-stage:<n>`) that a script renames without declaring them,
 * so all keys must live on one Redis node (no Redis Cluster).
 *
 * Redis cannot check a partition lease, so it takes no fenced record: those
 * are refused (reported, never written), which keeps a former owner of a
 * partition from leaving a copy here that would shadow the new owner's state.
 */
export class RedisSnapshotStore implements SnapshotStore {
  readonly batchSize: number;
  private readonly prefix: string;
  private readonly ttlArg: string;
  private readonly stagePrefix: string;
  private readonly stageKeys: string[] = [];

  constructor(
    private readonly redis: Redis,
    options: RedisSnapshotStoreOptions,
  ) {
    if (!(options.ttlMs >= 0))
      throw new InvalidOptionError('ttlMs', `ttlMs must be 0 (never) or positive, got ${options.ttlMs}`);
    this.prefix = `${options.prefix}snap:`;
    this.ttlArg = String(Math.round(options.ttlMs));
    this.batchSize = options.batchSize ?? 500;
    this.stagePrefix = `${options.prefix}snap-stage:`;
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
    const n = records.length;
    // MSET's arguments: staging key, value, staging key, value, …
    const staged = new Array<string | Buffer>(2 * n);
    const keys = new Array<string>(n);
    let seqs = '';
    // One allocation for the batch; each value is a view into it.
    const buffer = Buffer.allocUnsafe(records.reduce((sum, r) => sum + HEADER_BYTES + r.bytes.length, 0));
    let offset = 0;
    for (let i = 0; i < n; i++) {
      const record = records[i] as SnapshotRecord;
      if (!Number.isSafeInteger(record.seq) || record.seq < 0) {
        throw new RangeError(`snapshot sequence ${record.seq} of ${record.key} is not a safe non-negative integer`);
      }
      if (!Number.isInteger(record.version) || record.version < 1 || record.version >= 10 ** VERSION_DIGITS) {
        throw new RangeError(
          `snapshot version ${record.version} of ${record.key} does not fit ${VERSION_DIGITS} digits`,
        );
      }
      const seq = String(record.seq).padStart(SEQ_DIGITS, '0');
      seqs += seq;
      keys[i] = this.prefix + record.key;
      const start = offset;
      buffer.write(seq + String(record.version).padStart(VERSION_DIGITS, '0'), start, 'latin1');
      buffer.set(record.bytes, start + HEADER_BYTES);
      offset += HEADER_BYTES + record.bytes.length;
      staged[2 * i] = this.stageKey(i);
      staged[2 * i + 1] = buffer.subarray(start, offset);
    }
    // EVAL, not EVALSHA: a script missing after a restart or SCRIPT FLUSH
    // would fail inside the transaction after the MSET had run, and the
    // script's text costs nothing next to the values. The transaction goes
    // out as four commands issued in one synchronous run (nothing else on
    // the connection can come between them), not as an ioredis pipeline: a
    // pipeline joins its commands into one more buffer, a third copy of
    // every value, and beside many chats' live states the collections that
    // garbage set off cut the write rate (docs/benchmarks.md).
    const begun = this.redis.multi({ pipeline: false });
    const set = this.redis.mset(staged);
    const renamed = this.redis.eval(RENAME_NEWER, n, ...keys, this.ttlArg, this.stagePrefix, seqs);
    // A command refused while queued rejects before EXEC does (EXECABORT), so its own error is the one thrown.
    const [results] = await Promise.all([this.redis.exec(), begun, set, renamed]);
    for (const [error] of results ?? [[new Error('Redis discarded the snapshot transaction')]]) {
      if (error !== null) throw error;
    }
  }

  /** The staging key of position `i` in a batch (Lua counts from 1). */
  private stageKey(i: number): string {
    let name = this.stageKeys[i];
    if (name === undefined) {
      name = this.stagePrefix + (i + 1);
      this.stageKeys[i] = name;
    }
    return name;
  }
}
