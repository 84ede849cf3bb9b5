import type { Redis, Result } from 'ioredis';
import { Codec, type Counter, type Histogram, InvalidOptionError, type MetricsRegistry } from '../runtime/index.js';
import type { StreamAppend, StreamEntry, StreamLog } from './cluster-ports.js';
import { StreamNotReplicatedError } from './stream-errors.js';

// Acknowledges and deletes entries, each only if it is still pending for the
// consumer: an entry another member claimed (XAUTOCLAIM moved it to that
// member) is left alone, so an owner that lost its partition can never ack
// what the new owner has yet to process. KEYS[1]: the stream; ARGV[1]: the
// group; ARGV[2]: the consumer; ARGV[3..]: entry ids. Returns how many were.
const ACK_IF_OWNED = `
local acked = 0
for i = 3, #ARGV do
  local id = ARGV[i]
  local pending = redis.call('XPENDING', KEYS[1], ARGV[1], id, id, 1, ARGV[2])
  if #pending == 1 then
    redis.call('XACK', KEYS[1], ARGV[1], id)
    redis.call('XDEL', KEYS[1], id)
    acked = acked + 1
  end
end
return acked
`;

declare module 'ioredis' {
  interface RedisCommander<Context> {
    lekhaStreamAck(numKeys: number, ...keysAndArgs: string[]): Result<number, Context>;
  }
}

// Field names of an entry. The chat and update ids are plain decimal strings,
// so an entry whose update does not decode still says whose it is (for the
// log) and `XRANGE` in redis-cli shows them; the update is msgpack.
const CHAT = 'c';
const UPDATE_ID = 'u';
const DATA = 'd';
const CLAIM_BATCH = 500;

/** `xreadgroupBuffer` as this file calls it (ioredis types its many overloads too narrowly to spread keys). */
interface BufferReader {
  xreadgroupBuffer(...args: Array<string | number>): Promise<unknown>;
}

export interface RedisStreamLogOptions {
  /** Commands other than the blocking read: appends, claims, acks, lag. */
  redis: Redis;
  /**
   * A connection of its own for the blocking `XREADGROUP` (a blocked
   * connection serves nothing else). Absent: `redis.duplicate()`, closed by
   * `close()`; one that is given is left open.
   */
  blocking?: Redis;
  /** Prepended to every key (`<prefix>stream:<partition>`). */
  prefix: string;
  /** The consumer group every member reads through. */
  group?: string;
  /** Replicas that must acknowledge an append (`WAIT`); 0: none. */
  waitReplicas?: number;
  /** How long `WAIT` waits for them. */
  waitTimeoutMs?: number;
  metrics: MetricsRegistry;
}

/**
 * The partition streams in Redis: one stream per partition
 * (`<prefix>stream:<partition>`) read through one consumer group. An entry
 * holds the chat id, the update id and the update encoded with msgpack —
 * the runtime's one binary encoding, smaller than JSON and read by nothing
 * but Lekha. Entries are deleted once acknowledged, so a stream's length is
 * its lag. All keys are touched one at a time (no multi-key commands but the
 * read), so a Redis Cluster would do, though Lekha's other keys need one node.
 */
export class RedisStreamLog implements StreamLog {
  private readonly redis: Redis;
  private readonly blocking: Redis;
  private readonly ownsBlocking: boolean;
  private readonly keyPrefix: string;
  private readonly group: string;
  private readonly waitReplicas: number;
  private readonly waitTimeoutMs: number;
  private readonly codec = new Codec();
  private readonly appendLatency: Histogram;
  private readonly appended: Counter;

  constructor(options: RedisStreamLogOptions) {
    const waitReplicas = options.waitReplicas ?? 0;
    const waitTimeoutMs = options.waitTimeoutMs ?? 1000;
    if (!Number.isInteger(waitReplicas) || waitReplicas < 0) {
      throw new InvalidOptionError('waitReplicas', `waitReplicas must be a non-negative integer, got ${waitReplicas}`);
    }
    if (!Number.isInteger(waitTimeoutMs) || waitTimeoutMs < 1) {
      throw new InvalidOptionError('waitTimeoutMs', `waitTimeoutMs must be a positive integer, got ${waitTimeoutMs}`);
    }
    this.redis = options.redis;
    this.ownsBlocking = options.blocking === undefined;
    this.blocking = options.blocking ?? options.redis.duplicate();
    // Connection failures of the duplicate reach the caller as failed reads
    // (counted and logged by the consumer); unheard, they would be printed.
    if (this.ownsBlocking) this.blocking.on('error', () => undefined);
    // A duplicate of a lazily connecting client waits for its first command,
    // which a client without an offline queue would refuse.
    if (this.blocking.status === 'wait') this.blocking.connect().catch(() => undefined);
    this.keyPrefix = `${options.prefix}stream:`;
    this.group = options.group ?? 'lekha';
    this.waitReplicas = waitReplicas;
    this.waitTimeoutMs = waitTimeoutMs;
    this.appendLatency = options.metrics.histogram(
      'lekha_stream_append_ms',
      'Duration of one pipelined append of updates to the partition streams (with WAIT when configured)',
    );
    this.appended = options.metrics.counter('lekha_stream_appends_total', 'Updates appended to the partition streams');
    this.redis.defineCommand('lekhaStreamAck', { lua: ACK_IF_OWNED });
  }

  /** The stream key of a partition. */
  key(partition: number): string {
    return this.keyPrefix + String(partition);
  }

  async append(items: readonly StreamAppend[]): Promise<void> {
    if (items.length === 0) return;
    const started = performance.now();
    const pipeline = this.redis.pipeline();
    for (const item of items) {
      const bytes = this.codec.encode(item.update);
      pipeline.xadd(
        this.key(item.partition),
        '*',
        CHAT,
        String(item.chatId),
        UPDATE_ID,
        String(item.updateId),
        DATA,
        Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength),
      );
    }
    if (this.waitReplicas > 0) pipeline.wait(this.waitReplicas, this.waitTimeoutMs);
    const results = (await pipeline.exec()) ?? [];
    const failed = results.find(([error]) => error !== null);
    if (failed !== undefined) throw failed[0];
    if (results.length < items.length) throw new Error('the Redis pipeline of stream appends was cut short');
    if (this.waitReplicas > 0) {
      const replicas = Number(results[items.length]?.[1]);
      if (!(replicas >= this.waitReplicas)) {
        throw new StreamNotReplicatedError(replicas, this.waitReplicas, this.waitTimeoutMs);
      }
    }
    this.appendLatency.recordMs(performance.now() - started);
    this.appended.inc(items.length);
  }

  async ensureGroup(partition: number): Promise<void> {
    try {
      await this.redis.xgroup('CREATE', this.key(partition), this.group, '0', 'MKSTREAM');
    } catch (error) {
      // The group exists already: what was asked for.
      if (!(error instanceof Error && error.message.startsWith('BUSYGROUP'))) throw error;
    }
  }

  async claimPending(partition: number, consumer: string): Promise<StreamEntry[]> {
    const key = this.key(partition);
    const out: StreamEntry[] = [];
    let cursor = '0-0';
    do {
      const reply = await this.redis.callBuffer(
        'XAUTOCLAIM',
        key,
        this.group,
        consumer,
        '0',
        cursor,
        'COUNT',
        CLAIM_BATCH,
      );
      if (!Array.isArray(reply) || reply.length < 2) throw new Error('unexpected XAUTOCLAIM reply');
      cursor = String(reply[0]);
      // Redis 6.2 lists an entry deleted since it was read as nil; 7 drops it from the group.
      for (const raw of reply[1] as unknown[]) {
        const entry = this.decodeEntry(raw);
        if (entry !== undefined) out.push(entry);
      }
    } while (cursor !== '0-0');
    return out;
  }

  async read(
    partitions: readonly number[],
    consumer: string,
    options: { count: number; blockMs: number },
  ): Promise<Array<{ partition: number; entries: StreamEntry[] }>> {
    if (partitions.length === 0) return [];
    const byKey = new Map(partitions.map((p) => [this.key(p), p]));
    // The named command, not `callBuffer`: it turns the RESP3 map reply into
    // the RESP2 shape ([[key, entries], …]) whichever protocol the client speaks.
    const reply = await (this.blocking as unknown as BufferReader).xreadgroupBuffer(
      'GROUP',
      this.group,
      consumer,
      'COUNT',
      options.count,
      'BLOCK',
      options.blockMs,
      'STREAMS',
      ...byKey.keys(),
      ...partitions.map(() => '>'),
    );
    if (reply === null) return [];
    if (!Array.isArray(reply)) throw new Error('unexpected XREADGROUP reply');
    const out: Array<{ partition: number; entries: StreamEntry[] }> = [];
    for (const stream of reply as unknown[]) {
      if (!Array.isArray(stream) || stream.length < 2) continue;
      const partition = byKey.get(String(stream[0]));
      if (partition === undefined) continue;
      const entries: StreamEntry[] = [];
      for (const raw of stream[1] as unknown[]) {
        const entry = this.decodeEntry(raw);
        if (entry !== undefined) entries.push(entry);
      }
      if (entries.length > 0) out.push({ partition, entries });
    }
    return out;
  }

  async ack(partition: number, consumer: string, ids: readonly string[]): Promise<number> {
    if (ids.length === 0) return 0;
    return this.redis.lekhaStreamAck(1, this.key(partition), this.group, consumer, ...ids);
  }

  async lag(partitions: readonly number[]): Promise<number[]> {
    if (partitions.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const p of partitions) pipeline.xlen(this.key(p));
    const results = (await pipeline.exec()) ?? [];
    return partitions.map((_, i) => {
      const [error, length] = results[i] ?? [new Error('the Redis pipeline of XLEN was cut short'), 0];
      if (error !== null) throw error;
      return Number(length);
    });
  }

  async close(): Promise<void> {
    if (this.ownsBlocking) this.blocking.disconnect();
  }

  /** One `[id, [field, value, …]]` of a reply; `undefined` for an entry deleted since it was read. */
  private decodeEntry(raw: unknown): StreamEntry | undefined {
    if (!Array.isArray(raw) || raw.length < 2 || !Array.isArray(raw[1])) return undefined;
    const id = String(raw[0]);
    const fields = raw[1] as unknown[];
    let chatId = Number.NaN;
    let updateId = Number.NaN;
    let data: Buffer | undefined;
    for (let i = 0; i + 1 < fields.length; i += 2) {
      const name = String(fields[i]);
      const value = fields[i + 1];
      if (name === CHAT) chatId = Number(String(value));
      else if (name === UPDATE_ID) updateId = Number(String(value));
      else if (name === DATA && Buffer.isBuffer(value)) data = value;
    }
    let update: unknown;
    if (data !== undefined) {
      try {
        update = this.codec.decode(data);
      } catch {
        // Not msgpack: handed over with `update` undefined, which the consumer logs and acknowledges.
        update = undefined;
      }
    }
    return { id, chatId, updateId, update };
  }
}
