import type { Redis, Result } from 'ioredis';
import { Codec, type Counter, type Histogram, InvalidOptionError, type MetricsRegistry } from '../runtime/index.js';
import type { FencedPartition, PartitionRead, StreamAppend, StreamEntry, StreamLog } from './cluster-ports.js';
import { StreamFencedError, StreamNotReplicatedError } from './stream-errors.js';

// Sets a partition's fence (KEYS[1]) to `<consumer> <epoch>` (ARGV[1],
// ARGV[2]) unless it holds that epoch or a later one: a fence never goes
// backwards. Returns 1 when the fence is the one asked for afterwards.
const FENCE = `
local wanted = ARGV[1] .. ' ' .. ARGV[2]
local current = redis.call('GET', KEYS[1])
if current == wanted then return 1 end
if current then
  local epoch = tonumber(string.match(current, '(%d+)$'))
  if epoch ~= nil and epoch >= tonumber(ARGV[2]) then return 0 end
end
redis.call('SET', KEYS[1], wanted)
return 1
`;

// One batch of XAUTOCLAIM of every pending entry for the consumer, if the
// fence (KEYS[2]) is the consumer's at its epoch; nil when it is not.
// KEYS[1]: the stream; ARGV: group, consumer, epoch, cursor, count.
const CLAIM_IF_FENCED = `
if redis.call('GET', KEYS[2]) ~= ARGV[2] .. ' ' .. ARGV[3] then return false end
return redis.call('XAUTOCLAIM', KEYS[1], ARGV[1], ARGV[2], 0, ARGV[4], 'COUNT', ARGV[5])
`;

// Reads new entries (XREADGROUP ... >, never blocking) of the streams whose
// fence is the consumer's at the epoch given for it. KEYS: n streams, then
// their n fences; ARGV: group, consumer, count, then the n epochs. Returns
// {states, reply}: per stream 'held', 'taken' (another fence) or 'missing',
// and the XREADGROUP reply over the held streams (nil when none or nothing new).
const READ_IF_FENCED = `
local n = #KEYS / 2
local states = {}
local args = {'XREADGROUP', 'GROUP', ARGV[1], ARGV[2], 'COUNT', ARGV[3], 'STREAMS'}
local held = {}
for i = 1, n do
  local fence = redis.call('GET', KEYS[n + i])
  if fence == ARGV[2] .. ' ' .. ARGV[3 + i] then
    states[i] = 'held'
    held[#held + 1] = KEYS[i]
  elseif fence then
    states[i] = 'taken'
  else
    states[i] = 'missing'
  end
end
if #held == 0 then return {states, false} end
for _, key in ipairs(held) do args[#args + 1] = key end
for _ = 1, #held do args[#args + 1] = '>' end
return {states, redis.call(unpack(args))}
`;

// Acknowledges and deletes entries, each only if the fence (KEYS[2]) is still
// the consumer's at its epoch and the entry is still pending for the consumer:
// an entry another member claimed (XAUTOCLAIM moved it to that member) is left
// alone, so an owner that lost its partition can never ack what the new owner
// has yet to process. KEYS[1]: the stream; ARGV: group, consumer, epoch, then
// entry ids. Returns how many were.
const ACK_IF_OWNED = `
if redis.call('GET', KEYS[2]) ~= ARGV[2] .. ' ' .. ARGV[3] then return 0 end
local acked = 0
for i = 4, #ARGV do
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
    lekhaStreamFence(numKeys: number, ...keysAndArgs: string[]): Result<number, Context>;
    lekhaStreamClaimBuffer(numKeys: number, ...keysAndArgs: Array<string | number>): Result<unknown, Context>;
    lekhaStreamReadBuffer(numKeys: number, ...keysAndArgs: Array<string | number>): Result<unknown, Context>;
    lekhaStreamAck(numKeys: number, ...keysAndArgs: Array<string | number>): Result<number, Context>;
  }
}

// Field names of an entry. The chat and update ids are plain decimal strings,
// so an entry whose update does not decode still says whose it is (for the
// log) and `XRANGE` in redis-cli shows them; the update is msgpack.
const CHAT = 'c';
const UPDATE_ID = 'u';
const DATA = 'd';
const CLAIM_BATCH = 500;

/** `xreadBuffer` as this file calls it (ioredis types its many overloads too narrowly to spread keys). */
interface BufferReader {
  xreadBuffer(...args: Array<string | number>): Promise<unknown>;
}

export interface RedisStreamLogOptions {
  /** Commands other than the blocking read: appends, claims, acks, lag. */
  redis: Redis;
  /**
   * A connection of its own for the blocking `XREAD` that waits for entries (a blocked
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
 * its lag. Each partition has a fence (`<prefix>stream-owner:<partition>`,
 * `<consumer> <epoch>`), checked by the scripts that read, claim and
 * acknowledge; reads are multi-key scripts, so all keys must live on one
 * Redis node (as Lekha's other keys do).
 */
export class RedisStreamLog implements StreamLog {
  private readonly redis: Redis;
  private readonly blocking: Redis;
  private readonly ownsBlocking: boolean;
  private readonly keyPrefix: string;
  private readonly fencePrefix: string;
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
    this.fencePrefix = `${options.prefix}stream-owner:`;
    this.group = options.group ?? 'lekha';
    this.waitReplicas = waitReplicas;
    this.waitTimeoutMs = waitTimeoutMs;
    this.appendLatency = options.metrics.histogram(
      'lekha_stream_append_ms',
      'Duration of one pipelined append of updates to the partition streams (with WAIT when configured)',
    );
    this.appended = options.metrics.counter('lekha_stream_appends_total', 'Updates appended to the partition streams');
    this.redis.defineCommand('lekhaStreamFence', { lua: FENCE });
    this.redis.defineCommand('lekhaStreamClaim', { lua: CLAIM_IF_FENCED });
    this.redis.defineCommand('lekhaStreamRead', { lua: READ_IF_FENCED });
    this.redis.defineCommand('lekhaStreamAck', { lua: ACK_IF_OWNED });
  }

  /** The stream key of a partition. */
  key(partition: number): string {
    return this.keyPrefix + String(partition);
  }

  /** The fence key of a partition. */
  fenceKey(partition: number): string {
    return this.fencePrefix + String(partition);
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

  async fence(partition: number, consumer: string, epoch: number): Promise<boolean> {
    return (await this.redis.lekhaStreamFence(1, this.fenceKey(partition), consumer, String(epoch))) === 1;
  }

  async claimPending(partition: number, consumer: string, epoch: number): Promise<StreamEntry[]> {
    const out: StreamEntry[] = [];
    let cursor = '0-0';
    do {
      const reply = await this.redis.lekhaStreamClaimBuffer(
        2,
        this.key(partition),
        this.fenceKey(partition),
        this.group,
        consumer,
        String(epoch),
        cursor,
        CLAIM_BATCH,
      );
      if (reply === null) throw new StreamFencedError(partition, epoch);
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
    partitions: readonly FencedPartition[],
    consumer: string,
    options: { count: number },
  ): Promise<PartitionRead[]> {
    if (partitions.length === 0) return [];
    const reply = await this.redis.lekhaStreamReadBuffer(
      partitions.length * 2,
      ...partitions.map((p) => this.key(p.partition)),
      ...partitions.map((p) => this.fenceKey(p.partition)),
      this.group,
      consumer,
      options.count,
      ...partitions.map((p) => String(p.epoch)),
    );
    if (!Array.isArray(reply) || reply.length < 1 || !Array.isArray(reply[0])) {
      throw new Error('unexpected reply of the stream read script');
    }
    const states = (reply[0] as unknown[]).map(String);
    const entriesByKey = new Map<string, StreamEntry[]>();
    const streams: unknown = reply[1];
    if (Array.isArray(streams)) {
      for (const stream of streams as unknown[]) {
        if (!Array.isArray(stream) || stream.length < 2) continue;
        const entries: StreamEntry[] = [];
        for (const raw of stream[1] as unknown[]) {
          const entry = this.decodeEntry(raw);
          if (entry !== undefined) entries.push(entry);
        }
        entriesByKey.set(String(stream[0]), entries);
      }
    }
    return partitions.map((p, i) => {
      const state = states[i];
      const fence = state === 'held' ? 'held' : state === 'taken' ? 'taken' : 'missing';
      return { partition: p.partition, fence, entries: entriesByKey.get(this.key(p.partition)) ?? [] };
    });
  }

  async waitForEntries(
    after: ReadonlyArray<{ partition: number; afterId: string }>,
    blockMs: number,
  ): Promise<Array<{ partition: number; id: string }>> {
    if (after.length === 0) return [];
    const byKey = new Map(after.map((a) => [this.key(a.partition), a.partition]));
    // Plain XREAD: no group, so it moves no delivery id and takes nothing;
    // it returns at once when an entry later than the one given is there.
    const reply = await (this.blocking as unknown as BufferReader).xreadBuffer(
      'COUNT',
      1,
      'BLOCK',
      blockMs,
      'STREAMS',
      ...byKey.keys(),
      ...after.map((a) => a.afterId),
    );
    if (reply === null) return [];
    if (!Array.isArray(reply)) throw new Error('unexpected XREAD reply');
    const out: Array<{ partition: number; id: string }> = [];
    for (const stream of reply as unknown[]) {
      if (!Array.isArray(stream) || stream.length < 2 || !Array.isArray(stream[1])) continue;
      const partition = byKey.get(String(stream[0]));
      const first: unknown = (stream[1] as unknown[])[0];
      if (partition === undefined || !Array.isArray(first)) continue;
      out.push({ partition, id: String(first[0]) });
    }
    return out;
  }

  async ack(partition: number, consumer: string, epoch: number, ids: readonly string[]): Promise<number> {
    if (ids.length === 0) return 0;
    return this.redis.lekhaStreamAck(
      2,
      this.key(partition),
      this.fenceKey(partition),
      this.group,
      consumer,
      String(epoch),
      ...ids,
    );
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
