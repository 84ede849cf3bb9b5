import type { Redis, Result } from 'ioredis';
import type { SnapshotRecord, SnapshotStore } from './snapshot-store.js';

// Writes a batch of snapshots, each only if it is newer than what Redis
// holds. Running as one script makes check-and-set atomic per key and costs
// one round trip per batch. KEYS: hash keys; ARGV[1]: TTL in ms (0: none),
// then seq, schema version and bytes per key. Returns how many were written.
const PUT_SNAPSHOTS = `
local ttl = tonumber(ARGV[1])
local written = 0
for i, key in ipairs(KEYS) do
  local at = i * 3 - 1
  local seq = ARGV[at]
  local current = redis.call('HGET', key, 's')
  if not current or tonumber(current) < tonumber(seq) then
    redis.call('HSET', key, 's', seq, 'v', ARGV[at + 1], 'b', ARGV[at + 2])
    if ttl > 0 then redis.call('PEXPIRE', key, ttl) end
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
 * The hot tier: the latest snapshot per key in a Redis hash
 * (`s` sequence, `v` schema version, `b` msgpack bytes), so activation
 * usually costs one Redis round trip. Uses multi-key scripts, so all keys
 * must live on one Redis node (no Redis Cluster).
 */
export class RedisSnapshotStore implements SnapshotStore {
  readonly batchSize: number;
  private readonly prefix: string;
  private readonly ttlArg: string;

  constructor(private readonly redis: Redis, options: RedisSnapshotStoreOptions) {
    if (!(options.ttlMs >= 0)) throw new RangeError(`ttlMs must be 0 (never) or positive, got ${options.ttlMs}`);
    this.prefix = `${options.prefix}snap:`;
    this.ttlArg = String(Math.round(options.ttlMs));
    this.batchSize = options.batchSize ?? 500;
    redis.defineCommand('lekhaPutSnapshots', { lua: PUT_SNAPSHOTS });
  }

  async read(key: string): Promise<SnapshotRecord | undefined> {
    const [seq, version, bytes] = await this.redis.hmgetBuffer(this.prefix + key, 's', 'v', 'b');
    if (!seq || !version || !bytes) return undefined; // a missing hash (or field) comes back as null
    return { key, seq: Number(seq.toString()), version: Number(version.toString()), bytes };
  }

  async write(records: readonly SnapshotRecord[]): Promise<void> {
    if (records.length === 0) return;
    const keys = new Array<string>(records.length);
    const args = new Array<string | Buffer>(1 + records.length * 3);
    args[0] = this.ttlArg;
    records.forEach((record, i) => {
      keys[i] = this.prefix + record.key;
      args[1 + i * 3] = String(record.seq);
      args[2 + i * 3] = String(record.version);
      // ioredis sends Buffers as they are but stringifies any other view.
      args[3 + i * 3] = Buffer.from(record.bytes.buffer, record.bytes.byteOffset, record.bytes.byteLength);
    });
    await this.redis.lekhaPutSnapshots(keys.length, ...keys, ...args);
  }
}
