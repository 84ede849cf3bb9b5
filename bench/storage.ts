import { randomBytes } from 'node:crypto';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { Actor, Histogram, MailboxFullError, MetricsRegistry, type Reply, SystemClock } from '../src/runtime/index.js';
import {
  Keyring,
  PostgresDatabase,
  PostgresSnapshotStore,
  RedisSnapshotStore,
  type SnapshotRecord,
  type SnapshotStore,
  SnapshotFormat,
  Storage,
  type StorageOptions,
  type WriteBehind,
} from '../src/storage/index.js';
import { Supervisor } from '../src/supervisor/index.js';
import { stemWord } from '../src/chat/index.js';
import type { FieldCipher } from '../src/ports/index.js';
import type { BenchContext, Scenario, ScenarioResult } from './report.js';
import { benchPostgresUrl, withSearchPath } from './postgres-schema.js';

// ---- a realistic chat state (≈1.5 KB of msgpack) and the update stream that changes it ----

interface MemberState {
  id: number;
  username: string;
  name: string;
  messages: number;
  replies: number;
  toxicity: number;
  words: string[];
  lastSeenMs: number;
}

interface ChatState {
  chatId: number;
  title: string;
  mode: string;
  settings: { replyChance: number; language: string; filters: string[] };
  members: MemberState[];
  recent: Array<{ userId: number; text: string; atMs: number }>;
  mood: { warmth: number; conflict: number; activity: number };
  total: number;
}

interface ChatUpdate {
  chatId: number;
  userId: number;
  text: string;
  atMs: number;
  replyTo: number | null;
}

const WORDS = [
  'привет',
  'как',
  'дела',
  'лёха',
  'бот',
  'сегодня',
  'погода',
  'работа',
  'код',
  'релиз',
  'кофе',
  'ночь',
  'завтра',
  'мем',
  'ok',
  'lol',
];
const RECENT_KEPT = 8;

/** A small deterministic PRNG, so every run generates the same chats and stream. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function sentence(random: () => number, words: number): string {
  return Array.from({ length: words }, () => WORDS[Math.floor(random() * WORDS.length)]).join(' ');
}

function newChat(chatId: number): ChatState {
  return {
    chatId,
    title: `Чат ${chatId}`,
    mode: 'normal',
    settings: { replyChance: 0.05, language: 'ru', filters: ['links', 'flood'] },
    members: [],
    recent: [],
    mood: { warmth: 0.5, conflict: 0.1, activity: 0 },
    total: 0,
  };
}

/** The per-update work both systems do: the same function, so only persistence differs. */
function applyUpdate(state: ChatState, update: ChatUpdate): void {
  let member = state.members.find((m) => m.id === update.userId);
  if (member === undefined) {
    member = {
      id: update.userId,
      username: `user${update.userId}`,
      name: `Имя ${update.userId}`,
      messages: 0,
      replies: 0,
      toxicity: 0,
      words: [],
      lastSeenMs: 0,
    };
    state.members.push(member);
  }
  member.messages++;
  if (update.replyTo !== null) member.replies++;
  member.lastSeenMs = update.atMs;
  const word = update.text.split(' ', 1)[0] ?? '';
  if (!member.words.includes(word)) {
    member.words.push(word);
    if (member.words.length > 5) member.words.shift();
  }
  member.toxicity = member.toxicity * 0.9 + (update.text.includes('мем') ? 0.1 : 0);
  state.recent.push({ userId: update.userId, text: update.text, atMs: update.atMs });
  if (state.recent.length > RECENT_KEPT) state.recent.shift();
  state.mood.activity = state.mood.activity * 0.95 + 1;
  state.total++;
}

/** Full-size states for any chat id, each a copy of one of 256 generated from `seed` (generating each is slower). */
function busyChats(seed: number): (chatId: number) => ChatState {
  const random = prng(seed);
  const templates = Array.from({ length: 256 }, (_, i) => busyChat(i, random));
  return (chatId) => ({ ...structuredClone(templates[chatId % 256] as ChatState), chatId });
}

/** A chat that has seen enough traffic to have its full-size state. */
function busyChat(chatId: number, random: () => number): ChatState {
  const state = newChat(chatId);
  for (let i = 0; i < 40; i++) {
    applyUpdate(state, {
      chatId,
      userId: 1000 + Math.floor(random() * 6),
      text: sentence(random, 6),
      atMs: 1_700_000_000_000 + i,
      replyTo: i % 3 === 0 ? i : null,
    });
  }
  return state;
}

function updateStream(count: number, chats: number, seed: number): ChatUpdate[] {
  const random = prng(seed);
  const out = new Array<ChatUpdate>(count);
  for (let i = 0; i < count; i++) {
    // A skewed mix: a few busy chats, a long tail of quiet ones.
    const chatId = Math.floor(chats * random() ** 2);
    out[i] = {
      chatId,
      userId: 1000 + Math.floor(random() * 12),
      text: sentence(random, 6),
      atMs: 1_700_000_000_000 + i,
      replyTo: random() < 0.3 ? i : null,
    };
  }
  return out;
}

// ---- the chat actor the runtime side runs ----

type ChatMsg = { type: 'Update'; update: ChatUpdate } | { type: 'Ping'; reply: Reply<number> };

class ChatStateActor extends Actor<ChatMsg, ChatState> {
  private readonly state: ChatState;

  constructor(chatId: number, state: ChatState | undefined) {
    super();
    this.state = state ?? newChat(chatId);
  }

  receive(msg: ChatMsg): void {
    if (msg.type === 'Ping') {
      msg.reply.resolve(this.state.total);
      return;
    }
    applyUpdate(this.state, msg.update);
    this.markDirty();
  }

  // The live state: write-behind encodes it between turns, so no copy is needed.
  snapshot(): ChatState {
    return this.state;
  }
}

const format = new SnapshotFormat<ChatState>({ version: 1, parse: (value) => value as ChatState });

// ---- measurements ----

interface Env {
  baseUrl: string;
  schema: string;
  url: string;
  redisUrl: string;
  prefix: string;
  redis: Redis;
  db: PostgresDatabase;
}

async function openEnv(): Promise<Env> {
  const baseUrl = benchPostgresUrl();
  const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const schema = `bench_storage_${randomBytes(4).toString('hex')}`;
  const admin = new PostgresDatabase({ url: baseUrl, maxConnections: 1 });
  try {
    await admin.query(`CREATE SCHEMA ${schema}`);
  } catch (error) {
    throw new Error(
      `the storage bench needs Postgres (DATABASE_URL or ${baseUrl}): ${error instanceof Error ? error.message : String(error)}`,
      {
        cause: error,
      },
    );
  } finally {
    await admin.close();
  }
  const url = withSearchPath(baseUrl, schema);
  const redis = new Redis(redisUrl, { lazyConnect: true });
  await redis.connect().catch((error: unknown) => {
    throw new Error(
      `the storage bench needs Redis (REDIS_URL or ${redisUrl}): ${error instanceof Error ? error.message : String(error)}`,
      {
        cause: error,
      },
    );
  });
  return { baseUrl, schema, url, redisUrl, prefix: `bench:${schema}:`, redis, db: new PostgresDatabase({ url }) };
}

async function closeEnv(env: Env): Promise<void> {
  await env.db.close();
  let cursor = '0';
  do {
    const [next, keys] = await env.redis.scan(cursor, 'MATCH', `${env.prefix}*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) await env.redis.unlink(...keys);
  } while (cursor !== '0');
  env.redis.disconnect();
  const admin = new PostgresDatabase({ url: env.baseUrl, maxConnections: 1 });
  await admin.query(`DROP SCHEMA IF EXISTS ${env.schema} CASCADE`);
  await admin.close();
}

/** Writes `records` the way the write-behind does: batches of the store's size, `parallelism` at once. Returns snapshots/s. */
async function writeThroughput(store: SnapshotStore, records: SnapshotRecord[], parallelism: number): Promise<number> {
  const started = performance.now();
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < records.length) {
      const batch = records.slice(next, next + store.batchSize);
      next += store.batchSize;
      await store.write(batch);
    }
  };
  await Promise.all(Array.from({ length: parallelism }, worker));
  return (records.length * 1000) / (performance.now() - started);
}

/** p99 of `writeBehind.load` over `samples` random keys, `concurrency` activations at a time. */
async function activationP99(
  writeBehind: WriteBehind<number, ChatState>,
  chats: number,
  samples: number,
  concurrency: number,
): Promise<number> {
  const random = prng(7);
  const latency = new Histogram('activation', 'activation latency');
  let left = samples;
  const worker = async (): Promise<void> => {
    while (left-- > 0) {
      const key = Math.floor(random() * chats);
      const started = performance.now();
      const state = await writeBehind.load(key);
      latency.recordMs(performance.now() - started);
      if (state?.chatId !== key) throw new Error(`activation of chat ${key} returned the wrong state`);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return latency.percentileMs(99);
}

// Storage trouble during a run (failed writes, retries) goes to stderr next to the progress lines.
const logger = pino({ level: 'warn', base: { bench: 'storage' } }, pino.destination(2));

/** With ENCRYPTION_KEY set, the bench seals everything at rest as `lekha start` would (key id 1). */
const cipher: FieldCipher | undefined =
  process.env.ENCRYPTION_KEY === undefined || process.env.ENCRYPTION_KEY === ''
    ? undefined
    : new Keyring([{ id: 1, key: Buffer.from(process.env.ENCRYPTION_KEY, 'base64') }], { stem: stemWord });

/**
 * CPU cost of sealing snapshots: encode + decode of every state with a
 * keyring (AES-256-GCM, envelope) over plain msgpack. Rounds alternate and
 * the best of each counts, so load from elsewhere on the machine hits both alike.
 */
function encryptOverheadRatio(states: readonly ChatState[]): number {
  const sealed = format.sealedWith(new Keyring([{ id: 1, key: randomBytes(32) }], { stem: stemWord }));
  const time = (f: SnapshotFormat<ChatState>): number => {
    const started = performance.now();
    for (const state of states) f.decode('bench', 1, f.encode(state));
    return performance.now() - started;
  };
  time(format); // warm-up
  time(sealed);
  let plainMs = Number.POSITIVE_INFINITY;
  let sealedMs = Number.POSITIVE_INFINITY;
  for (let round = 0; round < 5; round++) {
    plainMs = Math.min(plainMs, time(format));
    sealedMs = Math.min(sealedMs, time(sealed));
  }
  return sealedMs / plainMs;
}

async function openStorage(env: Env, redis: boolean, intervalMs = 1000): Promise<Storage> {
  const options: StorageOptions = {
    logger,
    ...(cipher === undefined ? {} : { cipher }),
    databaseUrl: env.url,
    ...(redis ? { redisUrl: env.redisUrl, redisKeyPrefix: env.prefix } : {}),
    snapshotIntervalMs: intervalMs,
    clock: new SystemClock(),
    metrics: new MetricsRegistry(),
  };
  return Storage.open(options);
}

/** Tells every update, waiting a moment whenever a mailbox is full (the ingress's backpressure). */
async function feed(supervisor: Supervisor<number, ChatMsg, ChatState>, updates: ChatUpdate[]): Promise<void> {
  for (let i = 0; i < updates.length; i++) {
    const update = updates[i] as ChatUpdate;
    try {
      supervisor.tell(update.chatId, { type: 'Update', update });
    } catch (error) {
      if (!(error instanceof MailboxFullError)) throw error;
      await new Promise((resolve) => setImmediate(resolve));
      i--;
      continue;
    }
    if (i % 2000 === 0) await new Promise((resolve) => setImmediate(resolve));
  }
}

// @grammyjs/runner's default: up to 500 updates in flight, each chat in order.
const SESSION_CONCURRENCY = 500;

/** The grammY way: per update, GET the chat's session, apply, SET it back (storage-redis semantics), chats in parallel, each in order. */
async function sessionBaseline(
  redis: Redis,
  prefix: string,
  updates: ChatUpdate[],
  concurrency: number,
): Promise<number> {
  const started = performance.now();
  const chains = new Map<number, Promise<void>>();
  let active = 0;
  let wake: (() => void) | null = null;
  for (const update of updates) {
    while (active >= concurrency) await new Promise<void>((resolve) => (wake = resolve));
    active++;
    const key = `${prefix}session:${update.chatId}`;
    const run = async (): Promise<void> => {
      const raw = await redis.get(key);
      const state = raw === null ? newChat(update.chatId) : (JSON.parse(raw) as ChatState);
      applyUpdate(state, update);
      await redis.set(key, JSON.stringify(state));
    };
    const done = (chains.get(update.chatId) ?? Promise.resolve()).then(run).finally(() => {
      active--;
      const resume = wake;
      wake = null;
      resume?.();
    });
    chains.set(update.chatId, done);
  }
  await Promise.all(chains.values());
  return (updates.length * 1000) / (performance.now() - started);
}

interface SnapshotWrites {
  pgPerS: number;
  redisPerS: number;
  redisP99: number;
  pgP99: number;
  encryptOverhead: number;
  avgBytes: number;
  pgBatch: number;
  redisBatch: number;
}

/** Write throughput of both stores and activation latency through the write-behind, over `chats` generated chats. */
async function snapshotWrites(env: Env, chats: number, samples: number, ctx: BenchContext): Promise<SnapshotWrites> {
  ctx.progress(`generating ${chats} chats`);
  const random = prng(42);
  const states = Array.from({ length: chats }, (_, i) => busyChat(i, random));
  const encoded = states.map((s) => (cipher === undefined ? format : format.sealedWith(cipher)).encode(s));
  ctx.progress('sealing cost: encode + decode with and without a key');
  const encryptOverhead = encryptOverheadRatio(states);
  const avgBytes = encoded.reduce((sum, b) => sum + b.length, 0) / encoded.length;
  const records = (seqBase: number): SnapshotRecord[] =>
    encoded.map((bytes, i) => ({ key: `chat:${i}`, version: 1, seq: seqBase + i, bytes }));

  const pgStore = new PostgresSnapshotStore(env.db);
  const redisStore = new RedisSnapshotStore(env.redis, { prefix: env.prefix, ttlMs: 0 });
  ctx.progress('Postgres: first write of every chat');
  await writeThroughput(pgStore, records(1_000_000), env.db.parallelism);
  ctx.progress('Postgres: flush throughput');
  const pgPerS = await writeThroughput(pgStore, records(2_000_000), env.db.parallelism);
  ctx.progress('Redis: first write of every chat');
  await writeThroughput(redisStore, records(1_000_000), 4);
  ctx.progress('Redis: flush throughput');
  const redisPerS = await writeThroughput(redisStore, records(2_000_000), 4);

  ctx.progress('activation latency');
  const keyOf = (chatId: number): string => `chat:${chatId}`;
  const hotTier = await openStorage(env, true);
  const fromRedis = await hotTier.writeBehind<number, ChatState>({ format, keyOf });
  const redisP99 = await activationP99(fromRedis, chats, samples, 16);
  await hotTier.close();
  const durableOnly = await openStorage(env, false);
  const fromPg = await durableOnly.writeBehind<number, ChatState>({ format, keyOf });
  const pgP99 = await activationP99(fromPg, chats, samples, 16);
  await durableOnly.close();

  return {
    pgPerS,
    redisPerS,
    redisP99,
    pgP99,
    encryptOverhead,
    avgBytes,
    pgBatch: pgStore.batchSize,
    redisBatch: redisStore.batchSize,
  };
}

async function run(ctx: BenchContext): Promise<ScenarioResult> {
  const chats = ctx.quick ? 10_000 : 100_000;
  const restartChats = 100_000;
  const samples = ctx.quick ? 1000 : 10_000;
  const streamLength = ctx.quick ? 60_000 : 300_000;
  const streamChats = ctx.quick ? 3000 : 10_000;
  const sweepChats = ctx.quick ? 20_000 : 100_000;
  const env = await openEnv();
  try {
    const bootstrap = await openStorage(env, false);
    await bootstrap.close();

    // The generated states and their encodings go out of scope with this call, before the restart holds 100k of its own.
    const writes = await snapshotWrites(env, chats, samples, ctx);

    ctx.progress(`restart with ${restartChats} dirty chats`);
    const restart = await restartToReady(env, restartChats, ctx);

    ctx.progress(`idle sweep of ${sweepChats} chats`);
    const sweep = await sweepStall(env, sweepChats);

    ctx.progress(`update stream: ${streamLength} updates to ${streamChats} chats, runtime with write-behind`);
    const stream = updateStream(streamLength, streamChats, 99);
    // Steady state: every chat of the stream has been seen once (actor in memory, session in Redis) before timing starts.
    const warmUp = [...new Set(stream.map((u) => u.chatId))].map((chatId) => ({
      ...(stream[0] as ChatUpdate),
      chatId,
    }));
    const ours = await runtimeThroughput(env, warmUp, stream);
    ctx.progress('update stream: per-update session GET + SET');
    await sessionBaseline(env.redis, env.prefix, warmUp, SESSION_CONCURRENCY);
    const baseline = await sessionBaseline(env.redis, env.prefix, stream, SESSION_CONCURRENCY);

    return {
      results: {
        pg_snapshots_per_s: writes.pgPerS,
        redis_snapshots_per_s: writes.redisPerS,
        activation_redis_p99_ms: writes.redisP99,
        activation_pg_p99_ms: writes.pgP99,
        restart_ready_100k_ms: restart.stopMs + restart.startMs,
        stop_100k_ms: restart.stopMs,
        stop_event_loop_max_ms: restart.stopLoopMaxMs,
        start_ready_ms: restart.startMs,
        idle_sweep_event_loop_max_ms: sweep.loopMaxMs,
        updates_per_s: ours,
        vs_session_storage_ratio: ours / baseline,
        encrypt_overhead_ratio: writes.encryptOverhead,
      },
      baseline: { updates_per_s: baseline },
      targets: {
        pg_snapshots_per_s: { '>=': 60_000 },
        redis_snapshots_per_s: { '>=': 100_000 },
        activation_redis_p99_ms: { '<=': 10 },
        activation_pg_p99_ms: { '<=': 50 },
        restart_ready_100k_ms: { '<=': 5000 },
        vs_session_storage_ratio: { '>=': 5 },
      },
      notes: [
        `encryption at rest ${cipher === undefined ? 'off (plain msgpack)' : 'on (ENCRYPTION_KEY: every snapshot and row sealed)'}; encrypt_overhead_ratio: CPU time of encode + decode of every chat state sealed (AES-256-GCM) over plain, in process`,
        `${chats} chats of ${Math.round(writes.avgBytes)} B msgpack on average; throughput is the second write of every chat (upserts over existing rows), batches of ${writes.pgBatch} (Postgres, ${env.db.parallelism} at once) and ${writes.redisBatch} (Redis, 4 at once)`,
        `activation: ${samples} loads of random chats, 16 at a time, through the write-behind's load (Redis then Postgres; Postgres only)`,
        `restart: ${restartChats} live dirty chats → graceful stop (every snapshot to Redis and Postgres: stop_100k_ms; stop_event_loop_max_ms is the longest event-loop delay meanwhile, how long a health check or metrics scrape went unanswered) → storage reopened → first update answered (start_ready_ms)`,
        `idle sweep: ${sweepChats} live changed chats go idle together and are passivated by the supervisor's idle sweep through the write-behind (idleMs ${SWEEP_IDLE_MS}, 10 min in production: the same path) in ${Math.round(sweep.sweepMs)} ms; idle_sweep_event_loop_max_ms is the longest event-loop delay meanwhile (monitorEventLoopDelay), what a busy chat would have waited`,
        `stream: ${streamLength} updates to ${streamChats} chats (skewed), same state and update function; every chat seen once before timing; ours = supervisor + write-behind every 1000 ms to Redis and Postgres, timed until durable; baseline = per-update Redis GET + SET of a JSON session, ${SESSION_CONCURRENCY} in flight, each chat in order`,
      ],
    };
  } finally {
    await closeEnv(env);
  }
}

interface RestartTimes {
  /** Graceful stop: every dirty chat persisted and written to Redis and Postgres. */
  stopMs: number;
  /** The longest event-loop delay during the stop: how long health checks and metrics scrapes went unanswered. */
  stopLoopMaxMs: number;
  /** Storage reopened (connections, migrations check) until the first update is answered. */
  startMs: number;
}

async function restartToReady(env: Env, chats: number, ctx: BenchContext): Promise<RestartTimes> {
  const keyOf = (chatId: number): string => `restart:${chatId}`;
  const storage = await openStorage(env, true, 3_600_000);
  const snapshots = await storage.writeBehind<number, ChatState>({ format, keyOf });
  const busyState = busyChats(5);
  // Chats start from full-size states without loading: the first run's activations are not what is measured.
  const supervisor = new Supervisor<number, ChatMsg, ChatState>({
    create: (key, state) => new ChatStateActor(key, state ?? busyState(key)),
    persist: (key, state) => snapshots.persist(key, state),
    mailboxCapacity: 64,
  });
  snapshots.start(supervisor);
  for (let chatId = 0; chatId < chats; chatId++) {
    supervisor.tell(chatId, { type: 'Update', update: { chatId, userId: 1, text: 'привет', atMs: 0, replyTo: null } });
    if (chatId % 5000 === 0) await new Promise((resolve) => setImmediate(resolve));
  }
  await supervisor.ask<number>(chats - 1, (reply) => ({ type: 'Ping', reply }));
  if (supervisor.stats().live !== chats) throw new Error('not every chat is live before the restart');
  ctx.progress(`restart: stopping ${chats} dirty chats`);

  const loop = monitorEventLoopDelay({ resolution: 1 });
  loop.enable();
  // The monitor records a delay from its second tick on: a stall before that would go unseen.
  await new Promise((resolve) => setTimeout(resolve, 10));
  const started = performance.now();
  await supervisor.shutdown();
  const closed = await storage.close({ deadlineMs: 600_000 });
  if (closed.unwrittenSnapshots !== 0)
    throw new Error(`${closed.unwrittenSnapshots} snapshots were not written on stop`);
  const stopped = performance.now();
  loop.disable();
  ctx.progress('restart: starting again');
  const reopened = await openStorage(env, true);
  const again = await reopened.writeBehind<number, ChatState>({ format, keyOf });
  const next = new Supervisor<number, ChatMsg, ChatState>({
    create: (key, state) => new ChatStateActor(key, state),
    load: (key) => again.load(key),
    persist: (key, state) => again.persist(key, state),
  });
  again.start(next);
  next.tell(7, { type: 'Update', update: { chatId: 7, userId: 2, text: 'снова тут', atMs: 1, replyTo: null } });
  const total = await next.ask<number>(7, (reply) => ({ type: 'Ping', reply }));
  const ready = performance.now();
  if (total !== 42) throw new Error(`chat 7 came back with ${total} updates instead of 42`);
  await next.shutdown();
  await reopened.close();
  return { stopMs: stopped - started, stopLoopMaxMs: loop.max / 1e6, startMs: ready - stopped };
}

const SWEEP_IDLE_MS = 1000;

/** The longest event-loop delay while `chats` changed chats, live at once, are passivated by the idle sweep. */
async function sweepStall(env: Env, chats: number): Promise<{ loopMaxMs: number; sweepMs: number }> {
  const storage = await openStorage(env, true, 3_600_000);
  const snapshots = await storage.writeBehind<number, ChatState>({ format, keyOf: (chatId) => `sweep:${chatId}` });
  const busyState = busyChats(11);
  const supervisor = new Supervisor<number, ChatMsg, ChatState>({
    create: (key, state) => new ChatStateActor(key, state ?? busyState(key)),
    persist: (key, state) => snapshots.persist(key, state),
    idleMs: SWEEP_IDLE_MS,
  });
  snapshots.start(supervisor);
  // Told in one go, so that their turns run within a few milliseconds and the chats go idle together.
  for (let chatId = 0; chatId < chats; chatId++)
    supervisor.tell(chatId, { type: 'Update', update: { chatId, userId: 3, text: 'пока', atMs: 0, replyTo: null } });
  await supervisor.ask<number>(chats - 1, (reply) => ({ type: 'Ping', reply }));
  const loop = monitorEventLoopDelay({ resolution: 1 });
  loop.enable();
  const started = performance.now();
  while (supervisor.stats().passivated < chats) await new Promise((resolve) => setTimeout(resolve, 5));
  const sweepMs = performance.now() - started;
  loop.disable();
  await supervisor.shutdown();
  await storage.close({ deadlineMs: 600_000 });
  return { loopMaxMs: loop.max / 1e6, sweepMs };
}

/** Updates/s of supervisor + write-behind over `stream`, after `warmUp` brought every chat into memory; timed until durable. */
async function runtimeThroughput(env: Env, warmUp: ChatUpdate[], stream: ChatUpdate[]): Promise<number> {
  const storage = await openStorage(env, true, 1000);
  const snapshots = await storage.writeBehind<number, ChatState>({ format, keyOf: (chatId) => `stream:${chatId}` });
  const supervisor = new Supervisor<number, ChatMsg, ChatState>({
    create: (key, state) => new ChatStateActor(key, state),
    load: (key) => snapshots.load(key),
    persist: (key, state) => snapshots.persist(key, state),
    askTimeoutMs: 60_000,
  });
  snapshots.start(supervisor);
  const chats = [...new Set(stream.map((u) => u.chatId))];
  // A hot chat's mailbox may still be full when the feed ends: its Ping waits for room, as the feed's updates do.
  const ping = async (chatId: number): Promise<number> => {
    for (;;) {
      try {
        return await supervisor.ask<number>(chatId, (reply) => ({ type: 'Ping', reply }));
      } catch (error) {
        if (!(error instanceof MailboxFullError)) throw error;
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
  };
  const processed = (): Promise<number[]> => Promise.all(chats.map(ping));
  await feed(supervisor, warmUp);
  await processed();
  await snapshots.flush();
  const started = performance.now();
  await feed(supervisor, stream);
  await processed();
  await snapshots.flush();
  const elapsed = performance.now() - started;
  await supervisor.shutdown();
  await storage.close();
  return (stream.length * 1000) / elapsed;
}

export const storageScenario: Scenario = {
  name: 'storage',
  description: 'snapshot write-behind to Postgres and Redis, activation, restart, vs per-update session storage',
  run,
};
