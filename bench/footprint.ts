import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  CHAT_SNAPSHOTS,
  ChatActor,
  ChatActorCounters,
  LAST_PROMPTS_KEPT,
  LastPrompts,
  type ChatMsg,
  chatOverflowPolicy,
  type ChatState,
  discardingArchive,
  discardingReplyLedger,
} from '../src/actors/index.js';
import { DEFAULT_CATALOG, type IncomingMessage, PersonaBook, RuleBook, Vocabulary } from '../src/chat/index.js';
import type { LlmPort } from '../src/llm/index.js';
import {
  EmbeddingPool,
  InMemoryMemoryStore,
  type MemoryPort,
  MemoryService,
  MemoryShards,
  type ShardStats,
} from '../src/memory/index.js';
import { MetricsRegistry, SystemClock } from '../src/runtime/index.js';
import {
  type DurableSnapshotStore,
  type FencedKeys,
  NONE_FENCED,
  type SnapshotRecord,
  SnapshotFormat,
  WriteBehind,
} from '../src/storage/index.js';
import { Supervisor } from '../src/supervisor/index.js';
import type { BotIdentity, SentReply, TelegramUpdate } from '../src/telegram/index.js';
import { groupConversation, seededRandom } from './chat-corpus.js';
import type { Scenario, ScenarioResult } from './report.js';

const BOT: BotIdentity = { id: 7_000_000_001, username: 'lekha_bot', firstName: 'Лёха', canReadAllGroupMessages: true };
const MEMBERS_PER_CHAT = 8;
/** The production defaults (src/config/schema.ts) of what shapes a chat's footprint. */
const SNAPSHOT_INTERVAL_MS = 1000;
const MAILBOX_CAPACITY = 1000;
const MEMORY_SHARDS = 2;
/**
 * Chats that talk before the first reading: every code path compiled and
 * every bounded structure the chats share filled, so that what those hold
 * (the last prompts kept for /prompt, LAST_PROMPTS_KEPT of ~9 KB for the
 * whole process) is not divided among the chats measured. With 50, a quick
 * run counted 4.6 KB of them per chat and a full one 0.9 KB.
 */
const WARM_CHATS = LAST_PROMPTS_KEPT + 50;

/**
 * Postgres's stand-in: takes every snapshot and keeps none of it in this
 * process (the real store keeps them in another one), so the bytes measured
 * are the runtime's, not the store's.
 */
class OffProcessStore implements DurableSnapshotStore {
  readonly batchSize = 1000;
  readonly parallelism = 1;
  written = 0;
  bytes = 0;

  read(): Promise<SnapshotRecord | undefined> {
    return Promise.resolve(undefined);
  }

  write(records: readonly SnapshotRecord[]): Promise<FencedKeys> {
    this.written += records.length;
    for (const r of records) this.bytes += r.bytes.byteLength;
    return Promise.resolve(NONE_FENCED);
  }

  writeTracked(records: readonly SnapshotRecord[]): Promise<FencedKeys> {
    return this.write(records);
  }

  staleHotKeys(): Promise<string[]> {
    return Promise.resolve([]);
  }

  unmarkStaleHot(): Promise<void> {
    return Promise.resolve();
  }

  unfinishedKeys(): Promise<string[]> {
    return Promise.resolve([]);
  }
}

/** The model answers at once with a line of the right length. */
const instantModel: LlmPort = {
  complete: () =>
    Promise.resolve({
      text: 'Ну вы даёте, народ. Я бы на вашем месте сначала поужинал, а потом уже спорил.',
      source: 'groq',
      promptTokens: 900,
      completionTokens: 30,
      latencyMs: 1,
      costUsd: 0,
    }),
};

/** Long-term memory measured on its own (see `indexPhase`): writes counted, nothing kept. */
export class CountingMemory implements MemoryPort {
  readonly chats = new Set<number>();
  remember(request: { chatId: number }) {
    this.chats.add(request.chatId);
    return Promise.resolve({ stored: false as const, reason: 'saturated' as const });
  }
  recall(request: { chatId: number }) {
    this.chats.add(request.chatId);
    return Promise.resolve([]);
  }
  feedback() {
    return Promise.resolve(0);
  }
  forgetUser() {
    return Promise.resolve(0);
  }
}

interface Footprint {
  rss: number;
  heapUsed: number;
  external: number;
  arrayBuffers: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The process's memory after full collections (finalizers of native objects run between them). */
async function footprint(): Promise<Footprint> {
  for (let i = 0; i < 3; i++) {
    globalThis.gc?.();
    await sleep(20);
  }
  const { rss, heapUsed, external, arrayBuffers } = process.memoryUsage();
  return { rss, heapUsed, external, arrayBuffers };
}

function perChat(before: Footprint, after: Footprint, chats: number): Footprint {
  return {
    rss: (after.rss - before.rss) / chats,
    heapUsed: (after.heapUsed - before.heapUsed) / chats,
    external: (after.external - before.external) / chats,
    arrayBuffers: (after.arrayBuffers - before.arrayBuffers) / chats,
  };
}

/** Heap and off-heap bytes (`external` includes array buffers) held per chat. */
const held = (f: Footprint): number => f.heapUsed + f.external;

const kib = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KiB`;

/**
 * Chat actors as production runs them: the real Supervisor and ChatActor
 * with the production mailbox capacity and overflow policy, state written
 * behind every second through the real WriteBehind (to a store outside the
 * process), the model answering at once, Telegram replaced by an egress
 * that sends nothing.
 */
export class Runtime {
  readonly supervisor: Supervisor<number, ChatMsg, ChatState>;
  private readonly generators = new Map<number, Generator<IncomingMessage>>();
  private nextUpdateId = 1;
  private nextBotMessageId = 2_000_000_000;

  private constructor(
    readonly store: OffProcessStore,
    private readonly snapshots: WriteBehind<number, ChatState>,
    memory: MemoryPort,
    idleMs: number,
  ) {
    const clock = new SystemClock();
    const metrics = new MetricsRegistry();
    // Built once per process and shared by every chat, as src/chat-supervisor.ts does.
    const counters = new ChatActorCounters(metrics);
    const prompts = new LastPrompts();
    const personas = new PersonaBook(DEFAULT_CATALOG, { userId: BOT.id, username: BOT.username });
    const pipeline = {
      address: personas.address(personas.default),
      personas,
      vocabulary: new Vocabulary({ ownNames: personas }),
      rules: new RuleBook(),
      random: seededRandom(11),
    };
    const egress = {
      sendReply: (): Promise<SentReply> => Promise.resolve({ messageIds: [this.nextBotMessageId++] }),
      sendTyping: () => undefined,
    };
    this.supervisor = new Supervisor<number, ChatMsg, ChatState>({
      create: (chatId, state) =>
        new ChatActor(chatId, state, {
          bot: BOT,
          llm: instantModel,
          egress,
          acks: { processed: () => undefined },
          durability: { afterFlush: (id) => snapshots.afterFlush(id) },
          archive: discardingArchive,
          replies: discardingReplyLedger,
          admins: { administrators: () => Promise.resolve([]) },
          pipeline,
          memory,
          clock,
          counters,
          prompts,
        }),
      load: (chatId) => snapshots.load(chatId),
      persist: (chatId, state) => snapshots.persist(chatId, state),
      overflowPolicy: chatOverflowPolicy,
      clock,
      metrics,
      mailboxCapacity: MAILBOX_CAPACITY,
      idleMs,
    });
    snapshots.start(this.supervisor);
  }

  static async create(memory: MemoryPort, idleMs: number): Promise<Runtime> {
    const store = new OffProcessStore();
    const snapshots = await WriteBehind.create<number, ChatState>({
      format: new SnapshotFormat<ChatState>(CHAT_SNAPSHOTS),
      durable: store,
      keyOf: (chatId) => `chat:${chatId}`,
      intervalMs: SNAPSHOT_INTERVAL_MS,
    });
    return new Runtime(store, snapshots, memory, idleMs);
  }

  /** `count` messages of the chat's ongoing group conversation into its mailbox. */
  say(chatId: number, count: number): void {
    let conversation = this.generators.get(chatId);
    if (conversation === undefined) {
      conversation = groupConversation({ chatId: -chatId, members: MEMBERS_PER_CHAT, seed: -chatId, startId: 1 });
      this.generators.set(chatId, conversation);
    }
    const dateS = Math.floor(Date.now() / 1000);
    for (let i = 0; i < count; i++) {
      const msg = conversation.next().value as IncomingMessage;
      const update: TelegramUpdate = {
        update_id: this.nextUpdateId++,
        message: {
          message_id: msg.messageId,
          date: dateS,
          chat: { id: chatId, type: 'supergroup', title: `Чат ${-chatId}` },
          from: {
            id: msg.from.id,
            is_bot: false,
            first_name: msg.from.name,
            ...(msg.from.username === undefined ? {} : { username: msg.from.username }),
          },
          text: msg.text,
          ...(msg.replyTo === undefined
            ? {}
            : {
                reply_to_message: {
                  message_id: msg.replyTo.messageId,
                  date: dateS,
                  chat: { id: chatId, type: 'supergroup', title: `Чат ${-chatId}` },
                  from: { id: msg.replyTo.fromId, is_bot: false, first_name: 'Участник' },
                },
              }),
        },
      };
      // Through JSON, as updates arrive: each update its own objects and strings, as
      // production holds them, not parts shared with the corpus's message.
      const parsed = JSON.parse(JSON.stringify(update)) as TelegramUpdate;
      this.supervisor.tell(chatId, { type: 'UpdateReceived', updateId: parsed.update_id, update: parsed });
    }
  }

  /** The conversations end (the bench's own generators are not the runtime's memory). */
  forgetConversations(): void {
    this.generators.clear();
  }

  /** Until every mailbox is empty, every side effect settled and every snapshot written. */
  async settle(): Promise<void> {
    for (;;) {
      await sleep(20);
      const s = this.supervisor.stats();
      if (s.mailboxDepthSum === 0 && s.inflightEffects === 0 && s.loading === 0) break;
    }
    await this.snapshots.flush();
  }

  async close(): Promise<void> {
    await this.supervisor.shutdown({ deadlineMs: 10_000 });
    await this.snapshots.flush();
    await this.snapshots.close({ deadlineMs: 10_000 });
  }
}

interface Phase {
  chats: number;
  per: Footprint;
  notes: string[];
}

/** Active chats: live actors holding the state a few dozen messages built. */
async function activePhase(chats: number, messages: number, progress: (m: string) => void): Promise<Phase> {
  const memory = new CountingMemory();
  // idleMs 0: nothing is passivated while the chats are counted.
  const runtime = await Runtime.create(memory, 0);
  for (let c = 1; c <= WARM_CHATS; c++) runtime.say(-9_000_000 - c, messages);
  await runtime.settle();
  const before = await footprint();
  const batch = 1000;
  for (let first = 1; first <= chats; first += batch) {
    progress(
      `footprint: ${Math.min(chats, first + batch - 1).toLocaleString('en-US')}/${chats.toLocaleString('en-US')} active chats × ${messages} messages`,
    );
    for (let c = first; c < first + batch && c <= chats; c++) runtime.say(-1_000_000 - c, messages);
    await runtime.settle();
  }
  runtime.forgetConversations();
  const after = await footprint();
  const stats = runtime.supervisor.stats();
  if (stats.live < chats) throw new Error(`only ${stats.live} of ${chats} chats are live`);
  const per = perChat(before, after, chats);
  const snapshotBytes = runtime.store.written === 0 ? 0 : runtime.store.bytes / runtime.store.written;
  await runtime.close();
  return {
    chats,
    per,
    notes: [
      `active: ${chats.toLocaleString('en-US')} live ChatActors under the real Supervisor, ${messages} messages each from ${MEMBERS_PER_CHAT} members (bench/chat-corpus.ts), replies through an instant model, state written behind every ${SNAPSHOT_INTERVAL_MS} ms`,
      `active per chat: heap ${kib(per.heapUsed)}, external ${kib(per.external)} (array buffers ${kib(per.arrayBuffers)}), rss ${kib(per.rss)}; a snapshot of one is ${kib(snapshotBytes)} of msgpack`,
      `${memory.chats.size.toLocaleString('en-US')} of the active chats wrote to or read from long-term memory`,
    ],
  };
}

/**
 * The same active chats with long-term memory on: the real memory service,
 * embedding pool and shard threads (each chat's index lives natively, in a
 * shard thread, until MEMORY_IDLE_UNLOAD_MS), memories kept in the
 * in-process store Lekha uses without storage. The main thread's heap is
 * measured as for the other phases; each shard thread reports its own
 * isolate's heap + external after a collection, and the native bytes of
 * any HNSW-tier index (none at this size: chats this small search exactly).
 */
async function memoryPhase(
  chats: number,
  messages: number,
  progress: (m: string) => void,
): Promise<Phase & { loaded: number; vectors: number; dropped: number; shardBytesPerChat: number }> {
  const indexDir = await mkdtemp(path.join(tmpdir(), 'lekha-footprint-'));
  // Queues that never fill: every chat keeps every memory it makes, so the figure does not depend on how
  // many writes a busy moment of the machine would have dropped (production drops them, counted).
  const pool = new EmbeddingPool({ embedder: { kind: 'hash' }, threads: 1, maxQueue: 1_000_000 });
  const shards = new MemoryShards({ shards: MEMORY_SHARDS, dir: indexDir });
  const service = new MemoryService({
    pool,
    shards,
    store: new InMemoryMemoryStore(),
    indexDir,
    retention: { maxPerChat: 20_000, maxAgeMs: 90 * 86_400_000 },
    maxPendingWrites: 1_000_000,
  });
  await service.start();
  const runtime = await Runtime.create(service, 0);
  try {
    for (let c = 1; c <= WARM_CHATS; c++) runtime.say(-8_000_000 - c, messages);
    await runtime.settle();
    await waitForMemory(service);
    const warm = service.stats().loadedChats;
    const before = await footprint();
    const shardsBefore = await shards.stats();
    const droppedBefore = service.dropped.value;
    const batch = 500;
    for (let first = 1; first <= chats; first += batch) {
      progress(
        `footprint: ${Math.min(chats, first + batch - 1).toLocaleString('en-US')}/${chats.toLocaleString('en-US')} active chats with long-term memory`,
      );
      for (let c = first; c < first + batch && c <= chats; c++) runtime.say(-2_000_000 - c, messages);
      await runtime.settle();
      await waitForMemory(service);
    }
    runtime.forgetConversations();
    const after = await footprint();
    const shardsAfter = await shards.stats();
    const loaded = service.stats().loadedChats - warm;
    const per = perChat(before, after, chats);
    const shardBytes = (s: ShardStats): number => s.heapBytes + s.indexBytes;
    const shardBytesPerChat = (shardBytes(shardsAfter) - shardBytes(shardsBefore)) / chats;
    const dropped = service.dropped.value - droppedBefore;
    return { chats, loaded, vectors: shardsAfter.vectors, dropped, per, shardBytesPerChat, notes: [] };
  } finally {
    await runtime.close();
    await service.close();
    await rm(indexDir, { recursive: true, force: true });
  }
}

async function waitForMemory(service: MemoryService): Promise<void> {
  while (service.stats().pendingWrites > 0) await sleep(20);
}

/** Passivated chats: actors stopped after idling, their state written out; what the runtime still holds for them. */
async function idlePhase(chats: number, messages: number, progress: (m: string) => void): Promise<Phase> {
  const idleMs = 200;
  const runtime = await Runtime.create(new CountingMemory(), idleMs);
  for (let c = 1; c <= 200; c++) runtime.say(-7_000_000 - c, messages);
  await runtime.settle();
  await passivated(runtime, 200);
  runtime.forgetConversations();
  const before = await footprint();
  const batch = 5000;
  for (let first = 1; first <= chats; first += batch) {
    progress(
      `footprint: ${Math.min(chats, first + batch - 1).toLocaleString('en-US')}/${chats.toLocaleString('en-US')} chats active, then passivated`,
    );
    for (let c = first; c < first + batch && c <= chats; c++) runtime.say(-3_000_000 - c, messages);
    await runtime.settle();
    runtime.forgetConversations();
    await passivated(runtime, 200 + Math.min(chats, first + batch - 1));
  }
  await runtime.settle();
  const after = await footprint();
  const per = perChat(before, after, chats);
  await runtime.close();
  return {
    chats,
    per,
    notes: [
      `idle: ${chats.toLocaleString('en-US')} chats each active for ${messages} messages, then passivated by the Supervisor's idle sweep (idleMs ${idleMs} here, 10 min in production: the same path) with their state written behind`,
      `idle per chat: heap ${kib(per.heapUsed)}, external ${kib(per.external)}, rss ${kib(per.rss)}`,
    ],
  };
}

async function passivated(runtime: Runtime, count: number): Promise<void> {
  while (runtime.supervisor.stats().passivated < count || runtime.supervisor.stats().live > 0) await sleep(50);
}

async function run({ quick, progress }: { quick: boolean; progress: (m: string) => void }): Promise<ScenarioResult> {
  if (globalThis.gc === undefined)
    throw new Error('the footprint bench needs node --expose-gc (npm run bench does it)');
  const activeChats = quick ? 2000 : 10_000;
  const idleChats = quick ? 20_000 : 100_000;
  // As many as without memory: rss per chat compares only between runs of the same size.
  const memoryChats = activeChats;
  const messages = 30;

  const active = await activePhase(activeChats, messages, progress);
  const withMemory = await memoryPhase(memoryChats, messages, progress);
  const idle = await idlePhase(idleChats, 3, progress);

  // What long-term memory adds to a chat (same chats, same messages): the main thread's heap with it on, less
  // without, plus what the shard threads hold. The rss difference saw the threads too, but swung 0–52 KiB a chat.
  const memoryExtra = held(withMemory.per) - held(active.per) + withMemory.shardBytesPerChat;
  return {
    results: {
      memory_bytes_per_active_chat: held(active.per) + memoryExtra,
      memory_bytes_per_idle_chat: held(idle.per),
      memory_extra_bytes_per_active_chat: memoryExtra,
    },
    targets: {
      memory_bytes_per_active_chat: { '<=': 64 * 1024 },
      memory_bytes_per_idle_chat: { '<=': 2 * 1024 },
    },
    notes: [
      ...active.notes,
      `with long-term memory: ${memoryChats.toLocaleString('en-US')} more active chats, same messages, real MemoryService (hash embedder, ${MEMORY_SHARDS} shard threads, memories in the in-process store); ${withMemory.loaded.toLocaleString('en-US')} loaded an index, ${withMemory.vectors.toLocaleString('en-US')} vectors in all (${withMemory.dropped.toLocaleString('en-US')} writes dropped by a saturated pool); the main thread's heap + external ${kib(held(withMemory.per))} per chat against ${kib(held(active.per))} without; the shard threads' heap + external + HNSW ${kib(withMemory.shardBytesPerChat)} per chat; rss ${kib(withMemory.per.rss)} per chat against ${kib(active.per.rss)} without (for reference only: it swings by tens of KiB between runs)`,
      `memory_bytes_per_active_chat = heap + external per active chat without memory + memory_extra_bytes_per_active_chat (what memory adds: main thread's heap + external with memory, less without, + the shard threads' heap + external + HNSW)`,
      ...idle.notes,
      `memory_bytes_per_idle_chat = heap + external per passivated chat, after forced collections`,
      ...(quick
        ? [
            `quick: ${activeChats.toLocaleString('en-US')} active, ${memoryChats.toLocaleString('en-US')} with memory, ${idleChats.toLocaleString('en-US')} idle chats (full: 10,000, 10,000 and 100,000)`,
          ]
        : []),
    ],
  };
}

export const scenario: Scenario = {
  name: 'footprint',
  description: 'memory held per active chat (live actor, state, memory index) and per passivated chat',
  run,
};
export default scenario;
