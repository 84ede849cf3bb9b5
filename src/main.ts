import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import {
  CHAT_STATE_UPGRADES,
  CHAT_STATE_VERSION,
  ChatActor,
  ChatActorCounters,
  type ChatAdmins,
  type ChatArchive,
  type ChatMsg,
  chatOverflowPolicy,
  type ChatPipelineShared,
  type ChatState,
  discardingArchive,
  parseChatState,
  type PromptView,
  settleQuarantined,
} from './actors/index.js';
import { allUserAnalytics, BotAddress, chatReport, RuleBook, userAnalytics, Vocabulary } from './chat/index.js';
import type { Config } from './config/index.js';
import {
  type AuditLog,
  type BreakerSource,
  type BreakerState,
  type ChatDirectory,
  type DebugPrompt,
  type ErrorFeed,
  FileTokenStore,
  type HttpServer,
  type IngressStatus,
  MemoryAuditLog,
  MemoryChatDirectory,
  type ReadinessProbe,
  startHttpServer,
  type TokenStore,
  ActorChatControl,
  LiveFirstChatInsights,
  toApiReport,
  toApiSettings,
  toApiUser,
  toDomainPatch,
} from './http/index.js';
import { LlmGateway, type LlmStats } from './llm/index.js';
import {
  EmbeddingPool,
  indexDirUnder,
  InMemoryMemoryStore,
  type MemoryPort,
  MemoryService,
  MemoryShards,
  type MemoryStore,
} from './memory/index.js';
import { type Clock, CloseIncompleteError, LifecycleStack, MetricsRegistry, SystemClock } from './runtime/index.js';
import { type Sandbox, startSandbox } from './sandbox/index.js';
import {
  MemoryDeadLetterStore,
  migrate,
  openDatabase,
  PostgresAuditLog,
  PostgresChatDirectory,
  PostgresMemoryStore,
  PostgresTokenStore,
  SnapshotFormat,
  Storage,
  type StorageCloseReport,
} from './storage/index.js';
import { toStartError } from './start-error.js';
import { type ShutdownReport, Supervisor } from './supervisor/index.js';
import {
  DeadLetterOffice,
  type DeliverUpdate,
  type Durability,
  immediateDurability,
  type SendLimits,
  TelegramChatAdmins,
  TelegramEdge,
} from './telegram/index.js';

/**
 * Where chat state is persisted: the supervisor's load/persist hooks plus
 * "is this chat's state durable yet" for the no-loss guarantees. Storage's
 * write-behind provides it; without one, state lives in memory only.
 */
export interface RuntimePersistence extends Durability<number> {
  load(chatId: number): ChatState | undefined | Promise<ChatState | undefined>;
  persist(chatId: number, state: ChatState): void | Promise<void>;
  /** Starts writing behind (it takes dirty state from the supervisor). */
  attach(supervisor: Supervisor<number, ChatMsg, ChatState>): void;
  /** Flushes what is left; called after the supervisor has shut down. */
  close(): Promise<void>;
}

/** Knobs for tests and benches; production takes everything from `Config`. */
export interface RuntimeOptions {
  /**
   * Where chat state goes. Absent: storage from the configuration (Postgres
   * or embedded PGlite, plus Redis when configured). `null`: memory only.
   */
  persistence?: RuntimePersistence | null;
  /** Telegram flood limits the sender keeps (default Telegram's). */
  telegramLimits?: SendLimits;
  /** Polling tuning (a short long-poll makes tests stop faster). */
  polling?: { timeoutS?: number; retryMinMs?: number };
  metrics?: MetricsRegistry;
  clock?: Clock;
  /** Recent errors for the dashboard's alerts panel. */
  errors?: ErrorFeed;
  /** Serve the admin HTTP app (default true). */
  http?: boolean;
  /** Where chat actors record chats, users and messages; default: storage's archive, or {@link discardingArchive} without storage. */
  archive?: ChatArchive;
  /** Random source for the bot's unasked replies (seeded in tests); default `Math.random`. */
  random?: () => number;
  /**
   * Long-term memory. Absent: the embedding pool and memory shards the
   * configuration describes, over storage's database (or, without storage,
   * memories that last as long as the process).
   */
  memory?: MemoryPort;
}

/** A running Lekha process: what `lekha start` builds and what stops it. */
export interface Runtime {
  readonly supervisor: Supervisor<number, ChatMsg, ChatState>;
  readonly metrics: MetricsRegistry;
  readonly telegram: TelegramEdge;
  readonly llm: LlmGateway;
  /** The emulators and simulated chats when running without a bot token. */
  readonly sandbox: Sandbox | null;
  /** Durable storage, unless the runtime was started with its own persistence. */
  readonly storage: Storage | null;
  /** The admin API and dashboard, unless disabled. */
  readonly http: HttpServer | null;
  /** Long-term memory, when the runtime built it (not given one in the options). */
  readonly memory: MemoryService | null;
  /**
   * Stops intake, drains the chat actors, flushes persistence, closes memory,
   * confirms finished updates to Telegram, then closes HTTP, the sandbox and
   * storage. A part that fails to close is logged and the rest still close;
   * then it rejects with `CLOSE_INCOMPLETE`. Calling it again returns the same stop.
   */
  stop(): Promise<ShutdownReport & { storage?: StorageCloseReport }>;
}

/**
 * The one place that builds the concrete pieces and wires them together:
 * the Telegram edge (or the sandbox's emulators when there is no bot token),
 * the LLM gateway, and the supervisor of chat actors fed by the ingress.
 *
 * Each piece registers its close on a {@link LifecycleStack} as it opens, so
 * `stop` closes in reverse (intake, chat actors, persistence, memory,
 * Telegram, HTTP, sandbox, storage) and a start that fails halfway closes
 * what it opened and throws a `StartError` naming the cause. Updates are
 * taken last, once everything they need (HTTP included) is up.
 */
export async function startRuntime(config: Config, logger: Logger, options: RuntimeOptions = {}): Promise<Runtime> {
  const stack = new LifecycleStack(logger);
  try {
    return await assembleRuntime(config, logger, options, stack);
  } catch (error) {
    await stack.close();
    throw toStartError(error, config, config.TELEGRAM_BOT_TOKEN === undefined);
  }
}

async function assembleRuntime(
  config: Config,
  logger: Logger,
  options: RuntimeOptions,
  stack: LifecycleStack,
): Promise<Runtime> {
  const metrics = options.metrics ?? new MetricsRegistry();
  const clock = options.clock ?? new SystemClock();
  const deadline = { deadlineMs: config.SHUTDOWN_DEADLINE_MS };
  let storageReport: StorageCloseReport | undefined;
  let shutdownReport: ShutdownReport | undefined;

  const storage = options.persistence === undefined ? await openStorage(config, clock, metrics, logger) : null;
  if (storage !== null) stack.push('storage', async () => (storageReport = await storage.close(deadline)));

  const sandbox =
    config.TELEGRAM_BOT_TOKEN === undefined
      ? await startSandbox({
          withGroq: config.GROQ_API_KEY === undefined,
          logger,
          stateDir: path.join(config.DATA_DIR, 'sandbox'),
        })
      : null;
  if (sandbox !== null) stack.push('sandbox', () => sandbox.close());

  // The admin API and health routes answer until Telegram has confirmed what the runtime finished.
  const closeHttpLater = stack.reserve('http');

  const persistence = storage === null ? (options.persistence ?? undefined) : await storagePersistence(storage);
  const durability = persistence ?? immediateDurability;
  const deadLetters = storage?.deadLetters() ?? new MemoryDeadLetterStore();
  const telegram = await TelegramEdge.connect({
    token: sandbox?.botApi.token ?? (config.TELEGRAM_BOT_TOKEN as string),
    apiRoot: sandbox?.botApi.apiRoot ?? config.TELEGRAM_API_ROOT,
    mode: sandbox === null ? config.TELEGRAM_MODE : 'polling',
    ...(config.WEBHOOK_URL !== undefined && config.WEBHOOK_SECRET !== undefined
      ? { webhook: { url: config.WEBHOOK_URL, secret: config.WEBHOOK_SECRET } }
      : {}),
    durability,
    deadLetters,
    stallMs: config.POLLING_STALL_MS,
    clock,
    metrics,
    logger,
    ...(options.telegramLimits === undefined ? {} : { limits: options.telegramLimits }),
    ...(options.polling === undefined ? {} : { polling: options.polling }),
  });
  // Closed after memory and persistence: only with every finished update durable may Telegram forget them.
  stack.push('telegram', () => telegram.close(deadline));

  // After Telegram, before any update is taken: a missing sentence model stops the start.
  const ownMemory = options.memory === undefined ? await openMemory(config, storage, clock, metrics, logger) : null;
  if (ownMemory !== null) stack.push('memory', () => ownMemory.close());
  const memory = options.memory ?? (ownMemory as OpenedMemory).service;

  const llm = buildLlm(config, sandbox, clock, metrics, logger);
  const supervisor = buildSupervisor({
    config,
    options,
    telegram,
    sandbox,
    storage,
    persistence,
    durability,
    llm,
    memory,
    clock,
    metrics,
    logger,
  });
  if (persistence !== undefined) {
    persistence.attach(supervisor);
    stack.push('persistence', () => persistence.close());
  }
  stack.push('supervisor', async () => (shutdownReport = await supervisor.shutdown(deadline)));

  const deliver: DeliverUpdate = (chatId, updateId, update, replayed) =>
    supervisor.tell(chatId, { type: 'UpdateReceived', updateId, update, ...(replayed === true ? { replayed } : {}) });
  // A webhook's route needs the ingress's router; it takes nothing before the HTTP server listens.
  if (telegram.status().mode === 'webhook') telegram.start(deliver);
  const deadLetterOffice = new DeadLetterOffice({
    store: deadLetters,
    replay: (chatId, updateId, update) => telegram.replay(chatId, updateId, update),
    clock,
    logger,
  });
  const http =
    options.http === false
      ? null
      : await serveHttp({
          config,
          logger,
          clock,
          metrics,
          supervisor,
          persistence,
          telegram,
          llm,
          storage,
          memory,
          deadLetters: deadLetterOffice,
          errors: options.errors,
        });
  if (http !== null) closeHttpLater(() => http.close());
  if (telegram.status().mode === 'polling') telegram.start(deliver);
  stack.push('intake', () => telegram.stopIntake());
  if (sandbox !== null) {
    announceSandbox(sandbox, config, logger);
    stack.push('sandbox conversation', () => sandbox.conversation.stop());
  }

  let stopping: Promise<ShutdownReport & { storage?: StorageCloseReport }> | undefined;
  return {
    supervisor,
    metrics,
    telegram,
    llm,
    sandbox,
    storage,
    http,
    memory: ownMemory?.service ?? null,
    stop() {
      stopping ??= stack.close().then((failures) => {
        if (failures.length > 0) throw new CloseIncompleteError(failures);
        const report = shutdownReport as ShutdownReport;
        return storageReport === undefined ? report : { ...report, storage: storageReport };
      });
      return stopping;
    },
  };
}

function buildLlm(
  config: Config,
  sandbox: Sandbox | null,
  clock: Clock,
  metrics: MetricsRegistry,
  logger: Logger,
): LlmGateway {
  const groqKey = sandbox?.groq?.apiKey ?? config.GROQ_API_KEY;
  const groqUrl = sandbox?.groq?.baseURL ?? config.GROQ_BASE_URL;
  const llm = new LlmGateway({
    ...(groqKey === undefined ? {} : { apiKey: groqKey }),
    ...(groqUrl === undefined ? {} : { baseURL: groqUrl }),
    models: [config.GROQ_MODEL, ...config.GROQ_FALLBACK_MODELS],
    timeoutMs: config.GROQ_TIMEOUT_MS,
    maxTokens: config.GROQ_MAX_TOKENS,
    requestsPerMinute: config.GROQ_RPM,
    tokensPerMinute: config.GROQ_TPM,
    maxConcurrency: config.GROQ_MAX_CONCURRENCY,
    dailyTokensPerChat: config.LLM_DAILY_TOKENS_PER_CHAT,
    dailyTokensPerUser: config.LLM_DAILY_TOKENS_PER_USER,
    clock,
    metrics,
    logger,
  });
  if (!llm.online) logger.warn('no GROQ_API_KEY: replies come from the offline responder');
  return llm;
}

interface SupervisorWiring {
  config: Config;
  options: RuntimeOptions;
  telegram: TelegramEdge;
  sandbox: Sandbox | null;
  storage: Storage | null;
  persistence: RuntimePersistence | undefined;
  durability: Durability<number>;
  llm: LlmGateway;
  memory: MemoryPort;
  clock: Clock;
  metrics: MetricsRegistry;
  logger: Logger;
}

/** The supervisor of chat actors, each wired to the edges. */
function buildSupervisor(w: SupervisorWiring): Supervisor<number, ChatMsg, ChatState> {
  const { config, options, telegram, sandbox, storage, persistence, durability, llm, memory, clock, metrics, logger } =
    w;
  const counters = new ChatActorCounters(metrics);
  const address = new BotAddress({ userId: telegram.identity.id, username: telegram.identity.username });
  const pipeline: ChatPipelineShared = {
    address,
    vocabulary: new Vocabulary({ ownNames: address }),
    rules: new RuleBook(),
    random: options.random ?? Math.random,
  };
  const admins: ChatAdmins = new TelegramChatAdmins({
    token: sandbox?.botApi.token ?? (config.TELEGRAM_BOT_TOKEN as string),
    apiRoot: sandbox?.botApi.apiRoot ?? config.TELEGRAM_API_ROOT,
  });
  const archive = options.archive ?? storage?.chatArchive() ?? discardingArchive;
  return new Supervisor<number, ChatMsg, ChatState>({
    create: (chatId, state) =>
      new ChatActor(chatId, state, {
        bot: telegram.identity,
        llm,
        egress: telegram.egress,
        acks: telegram,
        durability,
        archive,
        admins,
        pipeline,
        memory,
        recallTimeoutMs: config.RECALL_TIMEOUT_MS,
        clock,
        counters,
        logger,
        logContent: config.LOG_UNSAFE_CONTENT,
      }),
    ...(persistence === undefined
      ? {}
      : { load: (chatId) => persistence.load(chatId), persist: (chatId, state) => persistence.persist(chatId, state) }),
    // A quarantined chat's updates become dead letters, so ingress moves on and every other chat is served.
    onQuarantine: (chatId, retained, quarantine) => {
      const dropped = settleQuarantined(chatId, retained, quarantine, telegram);
      if (dropped > 0) logger.warn({ chatId, dropped }, 'side-effect outcomes of a quarantined chat dropped');
    },
    overflowPolicy: chatOverflowPolicy,
    clock,
    metrics,
    logger,
    mailboxCapacity: config.MAILBOX_CAPACITY,
    idleMs: config.ACTOR_IDLE_MS,
    maxLive: config.MAX_LIVE_ACTORS,
  });
}

interface OpenedMemory {
  service: MemoryService;
  close(): Promise<void>;
}

/**
 * Long-term memory as configured: the embedding pool, the memory shards
 * with their index files under `DATA_DIR`, and the memories themselves in
 * storage's database. Without storage, memories live in the process and
 * the index files in a temporary directory removed at stop (files from an
 * earlier run would not match a fresh in-process store).
 */
async function openMemory(
  config: Config,
  storage: Storage | null,
  clock: Clock,
  metrics: MetricsRegistry,
  logger: Logger,
): Promise<OpenedMemory> {
  const indexDir =
    storage === null ? await mkdtemp(path.join(tmpdir(), 'lekha-memory-')) : indexDirUnder(config.DATA_DIR);
  const store: MemoryStore = storage === null ? new InMemoryMemoryStore() : new PostgresMemoryStore(storage.db);
  const pool = new EmbeddingPool({
    embedder:
      config.EMBEDDER === 'hash'
        ? { kind: 'hash' }
        : {
            kind: 'transformers',
            modelDir: config.MODEL_DIR as string,
            model: config.MODEL_NAME,
            dtype: config.MODEL_DTYPE,
            allowRemoteModels: config.MODEL_ALLOW_DOWNLOAD,
          },
    ...(config.EMBED_THREADS > 0 ? { threads: config.EMBED_THREADS } : {}),
    maxQueue: config.EMBED_MAX_QUEUE,
  });
  let service: MemoryService | null = null;
  const shards = new MemoryShards({
    shards: config.MEMORY_SHARDS,
    dir: indexDir,
    logger,
    onRestart: (_shard, chats) => service?.reload(chats),
  });
  service = new MemoryService({
    pool,
    shards,
    store,
    indexDir,
    retention: { maxPerChat: config.MEMORY_MAX_PER_CHAT, maxAgeMs: config.MEMORY_MAX_AGE_DAYS * 86_400_000 },
    idleUnloadMs: config.MEMORY_IDLE_UNLOAD_MS,
    clock,
    metrics,
    logger,
  });
  const started = service;
  try {
    await started.start();
  } catch (error) {
    await started.close();
    throw error;
  }
  logger.info(
    { embedder: started.stats().embedder, dims: started.stats().dims, shards: config.MEMORY_SHARDS, indexDir },
    'long-term memory ready',
  );
  return {
    service: started,
    close: async () => {
      await started.close();
      if (storage === null) await rm(indexDir, { recursive: true, force: true });
    },
  };
}

function openStorage(config: Config, clock: Clock, metrics: MetricsRegistry, logger: Logger): Promise<Storage> {
  return Storage.open({
    databaseUrl: config.DATABASE_URL,
    dataDir: config.DATA_DIR,
    databasePoolSize: config.DATABASE_POOL_SIZE,
    redisUrl: config.REDIS_URL,
    redisKeyPrefix: config.REDIS_KEY_PREFIX,
    redisSnapshotTtlMs: config.REDIS_SNAPSHOT_TTL_S * 1000,
    snapshotIntervalMs: config.SNAPSHOT_INTERVAL_MS,
    clock,
    metrics,
    logger,
  });
}

/** Chat snapshots written behind to storage; `close` is left to `storage.close`, which writes what is pending. */
async function storagePersistence(storage: Storage): Promise<RuntimePersistence> {
  const snapshots = await storage.writeBehind<number, ChatState>({
    format: new SnapshotFormat<ChatState>({
      version: CHAT_STATE_VERSION,
      upgrades: CHAT_STATE_UPGRADES,
      parse: parseChatState,
    }),
    keyOf: (chatId) => `chat:${chatId}`,
  });
  return {
    load: (chatId) => snapshots.load(chatId),
    persist: (chatId, state) => snapshots.persist(chatId, state),
    afterFlush: (chatId) => snapshots.afterFlush(chatId),
    attach: (supervisor) => snapshots.start(supervisor),
    close: () => snapshots.flush(),
  };
}

/** A token store opened on its own, with what releases it. */
export interface OpenedTokenStore {
  store: TokenStore;
  close(): Promise<void>;
}

/**
 * The token store `lekha token` uses: the `admin_tokens` table of the
 * configured database (migrated first, so it works before the first
 * `lekha start`), the same one the running server reads. With embedded
 * PGlite only one process may hold the data directory: run it while the
 * server is stopped, or create tokens with `POST /api/tokens`.
 */
export async function openTokenStore(config: Pick<Config, 'DATABASE_URL' | 'DATA_DIR'>): Promise<OpenedTokenStore> {
  const db = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR });
  try {
    await migrate(db);
  } catch (error) {
    await db.close();
    throw error;
  }
  return { store: new PostgresTokenStore(db), close: () => db.close() };
}

/**
 * What the admin surface reads and writes: the database's tables when the
 * runtime has storage; otherwise (a runtime given its own persistence) an
 * in-memory audit log and directory and tokens in a file under DATA_DIR.
 */
function adminStores(
  config: Config,
  clock: Clock,
  storage: Storage | null,
): { tokens: TokenStore; audit: AuditLog; directory: ChatDirectory } {
  if (storage === null) {
    const audit = new MemoryAuditLog();
    return {
      tokens: new FileTokenStore(path.join(config.DATA_DIR, 'admin-tokens.jsonl'), audit),
      audit,
      directory: new MemoryChatDirectory(clock),
    };
  }
  return {
    tokens: new PostgresTokenStore(storage.db),
    audit: new PostgresAuditLog(storage.db),
    directory: new PostgresChatDirectory(storage.db, { clock }),
  };
}

/**
 * What `/readyz` checks: the database answers (when the runtime has one)
 * and Telegram updates are coming in. Each probe is bounded by the HTTP
 * layer's probe timeout.
 */
export function readinessProbes(
  storage: Pick<Storage, 'ping'> | null,
  telegram: Pick<TelegramEdge, 'status'>,
): ReadinessProbe[] {
  const probes: ReadinessProbe[] = [
    {
      name: 'telegram',
      check: () => {
        const status = telegram.status();
        if (status.stalled) {
          const waited = Math.round(status.stalledForMs / 1000);
          return {
            ready: false,
            reason: `Telegram ${status.mode} ingress stalled: ${status.updatesInFlight} updates waiting, offset not advancing for ${waited}s`,
          };
        }
        if (status.ingressRunning) return { ready: true };
        const why = status.lastPollError === null ? '' : `: ${status.lastPollError}`;
        return { ready: false, reason: `Telegram ${status.mode} ingress is not running${why}` };
      },
    },
  ];
  if (storage !== null) {
    probes.unshift({
      name: 'storage',
      check: async () => {
        await storage.ping();
        return { ready: true };
      },
    });
  }
  return probes;
}

function ingressStatus(telegram: Pick<TelegramEdge, 'status'>): IngressStatus {
  const status = telegram.status();
  return { stalled: status.stalled, stalledForMs: status.stalledForMs, updatesWaiting: status.updatesInFlight };
}

/** The LLM gateway's circuit breaker for the alerts panel. */
export function llmBreakers(llm: Pick<LlmGateway, 'stats'>): BreakerSource {
  return { breakers: () => [llmBreakerState(llm.stats())] };
}

interface HttpWiring {
  config: Config;
  logger: Logger;
  clock: Clock;
  metrics: MetricsRegistry;
  supervisor: Supervisor<number, ChatMsg, ChatState>;
  persistence: RuntimePersistence | undefined;
  telegram: TelegramEdge;
  llm: LlmGateway;
  storage: Storage | null;
  memory: MemoryPort;
  deadLetters: DeadLetterOffice;
  errors: ErrorFeed | undefined;
}

/** The admin API and dashboard on HTTP_HOST:HTTP_PORT; in webhook mode it also serves Telegram's webhook route. */
async function serveHttp({
  config,
  logger,
  clock,
  metrics,
  supervisor,
  persistence,
  telegram,
  llm,
  storage,
  memory,
  deadLetters,
  errors,
}: HttpWiring): Promise<HttpServer> {
  const { insights, control } = chatAdminPorts(
    supervisor,
    async (chatId) => (persistence === undefined ? undefined : await persistence.load(chatId)),
    clock,
  );
  const webhook =
    telegram.status().mode === 'webhook' ? [async (app: FastifyInstance) => telegram.registerWebhook(app)] : [];
  const http = await startHttpServer(
    {
      logger,
      metrics,
      runtime: supervisor,
      ...adminStores(config, clock, storage),
      adminToken: config.ADMIN_TOKEN,
      readiness: readinessProbes(storage, telegram),
      deadLetters,
      ingress: { ingress: () => ingressStatus(telegram) },
      breakers: llmBreakers(llm),
      insights,
      control,
      memories: { forget: (chatId, userId) => memory.forgetUser(userId, chatId) },
      plugins: webhook,
      clock,
      ...(errors === undefined ? {} : { errors }),
    },
    { host: config.HTTP_HOST, port: config.HTTP_PORT },
  );
  logger.info({ url: http.url }, 'admin dashboard and API listening');
  if (config.ADMIN_TOKEN === undefined) {
    logger.warn('ADMIN_TOKEN is not set: create an API token with `lekha token create --role admin`');
  }
  return http;
}

/**
 * The gateway's breaker as the alerts panel shows it. The gateway reports
 * no opening time, so `since` stays null; `failures` counts failed Groq calls.
 */
function llmBreakerState(stats: LlmStats): BreakerState {
  return {
    name: 'groq',
    state: stats.breaker === 'half-open' ? 'half_open' : stats.breaker,
    since: null,
    failures: stats.failures,
  };
}

/**
 * The admin API's chat ports over the chat actors: reads ask a live actor and
 * compute from the stored snapshot otherwise (never activating an actor);
 * changes are messages the actor applies before confirming.
 */
export function chatAdminPorts(
  supervisor: Supervisor<number, ChatMsg, ChatState>,
  // The write-behind's load reads the stored snapshot (or one still pending) without activating the chat's actor.
  loadSnapshot: (chatId: number) => Promise<ChatState | undefined>,
  clock: Clock,
): { insights: LiveFirstChatInsights<ChatMsg, ChatState>; control: ActorChatControl<ChatMsg> } {
  const insights = new LiveFirstChatInsights<ChatMsg, ChatState>({
    actors: supervisor,
    requests: {
      report: (reply) => ({
        type: 'GetChatReport',
        reply: {
          resolve: (r) => reply.resolve(toApiReport(r.report, r.mode, clock.now())),
          reject: (e) => reply.reject(e),
        },
      }),
      userAnalytics: (userId, reply) => ({
        type: 'GetUserAnalytics',
        userId,
        reply: { resolve: (u) => reply.resolve(u === null ? undefined : toApiUser(u)), reject: (e) => reply.reject(e) },
      }),
      allUserAnalytics: (reply) => ({
        type: 'GetMembers',
        reply: { resolve: (all) => reply.resolve(all.map(toApiUser)), reject: (e) => reply.reject(e) },
      }),
      settings: (reply) => ({
        type: 'GetSettings',
        reply: { resolve: (s) => reply.resolve(toApiSettings(s)), reject: (e) => reply.reject(e) },
      }),
      lastPrompt: (reply) => ({
        type: 'GetLastPrompt',
        reply: { resolve: (p) => reply.resolve(p === null ? null : toApiPrompt(p)), reject: (e) => reply.reject(e) },
      }),
    },
    loadSnapshot,
    readers: {
      // The key is the chat id: a snapshot upgraded from version 1 does not carry it.
      report: (chatId, state) =>
        toApiReport({ ...chatReport(state.chat, clock.now()), chatId }, state.chat.settings.mode, clock.now()),
      userAnalytics: (state, userId) => {
        const user = userAnalytics(state.chat, userId, clock.now());
        return user === null ? undefined : toApiUser(user);
      },
      allUserAnalytics: (state) => allUserAnalytics(state.chat, clock.now()).map(toApiUser),
      settings: (state) => toApiSettings(state.chat.settings),
    },
  });
  const control = new ActorChatControl<ChatMsg>(supervisor, {
    setMode: (mode, reply) => ({
      type: 'SetMode',
      mode,
      reply: { resolve: (s) => reply.resolve(toApiSettings(s)), reject: (e) => reply.reject(e) },
    }),
    // A refused field throws here, before anything is sent: the ask rejects with CHAT_SETTINGS_INVALID.
    updateSettings: (patch, reply) => ({
      type: 'PatchSettings',
      patch: toDomainPatch(patch),
      reply: { resolve: (s) => reply.resolve(toApiSettings(s)), reject: (e) => reply.reject(e) },
    }),
  });
  return { insights, control };
}

function toApiPrompt(view: PromptView): DebugPrompt {
  return {
    triggerId: view.triggerId,
    builtAt: new Date(view.builtAtMs).toISOString(),
    description: view.description,
    messages: view.messages,
    memories: view.memories.map(({ ms, ...m }) => ({ ...m, at: new Date(ms).toISOString() })),
    recall: view.recall,
  };
}

function announceSandbox(sandbox: Sandbox, config: Config, logger: Logger): void {
  const root = sandbox.botApi.apiRoot;
  logger.info(
    {
      botApi: root,
      groq: sandbox.groq?.baseURL ?? 'real Groq (GROQ_API_KEY is set)',
      transcript: `${root}/_emulator/sent`,
      stats: `http://${config.HTTP_HOST}:${config.HTTP_PORT}/api/stats`,
      adminToken:
        config.ADMIN_TOKEN === undefined ? 'set ADMIN_TOKEN to use the admin API' : 'ADMIN_TOKEN from your environment',
    },
    'SANDBOX MODE (no TELEGRAM_BOT_TOKEN): a Bot API emulator and simulated group chats drive the real runtime. ' +
      `Talk to the bot yourself: curl -X POST ${root}/_emulator/messages -H 'content-type: application/json' -d '{"chat_id": 42, "text": "Лёха, привет!"}'. Ctrl-C stops.`,
  );
  sandbox.conversation.start();
}
