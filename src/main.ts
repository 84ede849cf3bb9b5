import type { Logger } from 'pino';
import { AnomalyLog, type ChatArchive, type ChatMsg, type ChatState } from './actors/index.js';
import { serveAdminHttp } from './admin-http.js';
import { adminStores } from './admin-stores.js';
import { buildChatSupervisor } from './chat-supervisor.js';
import { openClusterMember } from './cluster-wiring.js';
import { type Config, loadPersonaCatalog } from './config/index.js';
import { resolveEndpoints } from './endpoints.js';
import type { ErrorFeed, HttpServer } from './http/index.js';
import type { LlmGateway } from './llm/index.js';
import { LiveExperiments } from './live-experiments.js';
import { LivePersonas } from './live-personas.js';
import { buildLlmGateway } from './llm-gateway.js';
import type { MemoryPort, MemoryService } from './memory/index.js';
import { type OpenedMemory, openMemory } from './open-memory.js';
import { openStorage } from './open-storage.js';
import {
  type Clock,
  CloseIncompleteError,
  keepStringPrototypeFast,
  LifecycleStack,
  MetricsRegistry,
  SystemClock,
} from './runtime/index.js';
import { openPlugins, openScheduler, pluginAdmin, pluginOutbox, scheduleJobs } from './plugin-wiring.js';
import type { PrivacyEngine } from './privacy/index.js';
import { openPrivacy, PrivacyDeskBinding, scheduleRetention } from './privacy-wiring.js';
import { type RuntimePersistence, storagePersistence, wakeUnfinishedChatsAtStart } from './runtime-persistence.js';
import type { Sandbox } from './sandbox/index.js';
import { announceSandbox, startSandboxMode } from './sandbox-mode.js';
import {
  MemoryDeadLetterStore,
  MemoryExperimentStore,
  MemoryPersonaStore,
  MemoryPluginConfigStore,
  PostgresPluginConfigStore,
  type Storage,
  type StorageCloseReport,
} from './storage/index.js';
import { toStartError } from './start-error.js';
import type { ShutdownReport, Supervisor } from './supervisor/index.js';
import {
  DeadLetterOffice,
  type DeliverUpdate,
  immediateDurability,
  type SendLimits,
  TelegramEdge,
} from './telegram/index.js';

export type { RuntimePersistence } from './runtime-persistence.js';

// Everything imported above is loaded by now, ioredis included, which leaves String.prototype slow.
keepStringPrototypeFast();

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
  /** Where plugins read `PLUGIN_<NAME>_<SETTING>` and their own variables; default `process.env`. */
  env?: Readonly<Record<string, string | undefined>>;
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
  /** GDPR export, erasure and retention; null without storage. */
  readonly privacy: PrivacyEngine | null;
  /** A/B experiments (in memory without storage) and the running one chats assign variants from. */
  readonly experiments: LiveExperiments;
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

  // A bad persona file stops the start before anything is opened.
  const configuredPersonas = loadPersonaCatalog(config);
  const storage = options.persistence === undefined ? await openStorage(config, clock, metrics, logger) : null;
  if (storage !== null) stack.push('storage', async () => (storageReport = await storage.close(deadline)));
  // Cluster mode: this process's membership, leases and streams (docs/cluster.md).
  const cluster = await openClusterMember(config, storage, clock, metrics, logger);
  if (cluster !== null) stack.push('cluster connections', () => cluster.close());
  // With the personas operators defined from the dashboard.
  const personas = await LivePersonas.load(configuredPersonas, storage?.personas() ?? new MemoryPersonaStore(), logger);

  const sandbox = await startSandboxMode(config, logger);
  if (sandbox !== null) stack.push('sandbox', () => sandbox.close());
  const endpoints = resolveEndpoints(config, sandbox);

  // The admin API and health routes answer until Telegram has confirmed what the runtime finished.
  const closeHttpLater = stack.reserve('http');

  const persistence =
    storage === null
      ? (options.persistence ?? undefined)
      : await storagePersistence(storage, cluster === null ? {} : { fence: cluster.fence });
  const durability = persistence ?? immediateDurability;
  const deadLetters = storage?.deadLetters() ?? new MemoryDeadLetterStore();
  const telegram = await TelegramEdge.connect({
    ...endpoints.telegram,
    // In cluster mode an update is the ingress's once its stream has it; the chats' durability is the consumer's.
    durability: cluster === null ? durability : immediateDurability,
    // In cluster mode each member counts the updates it processes (the chats' router), not the leader's intake.
    ...(cluster === null ? {} : { ingressMetrics: new MetricsRegistry() }),
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

  const llm = buildLlmGateway(config, endpoints.groq, clock, metrics, logger);
  const stores = adminStores(config, clock, storage);
  const { scheduler, store: jobs } = openScheduler(storage, clock, metrics, logger, cluster?.jobScope);
  const privacyDesk = new PrivacyDeskBinding();
  // A bad plugin (manifest, requirement, settings) stops the start here, before any update is taken.
  const plugins = await openPlugins({
    config,
    // In sandbox mode the integrations call the emulated APIs unless the environment names real ones.
    env: { ...sandbox?.upstreams.sandboxEnv(options.env ?? process.env), ...(options.env ?? process.env) },
    scheduler,
    store: jobs,
    configStore: storage === null ? new MemoryPluginConfigStore() : new PostgresPluginConfigStore(storage.db),
    audit: stores.audit,
    privacy: privacyDesk,
    personas,
    clock,
    metrics,
    logger,
  });
  stack.push('plugins', () => plugins.close());
  const anomalies = new AnomalyLog();
  const experiments = await LiveExperiments.load(storage?.experiments() ?? new MemoryExperimentStore());
  // In cluster mode chats take their updates from the streams of the partitions this member serves.
  const chatIngress =
    cluster === null || persistence === undefined
      ? null
      : cluster.chatIngress({ persistence, deadLetters, tell: (chatId, msg) => supervisor.tell(chatId, msg) });
  const supervisor = buildChatSupervisor({
    config,
    telegram,
    telegramApi: endpoints.telegram,
    archive: options.archive,
    random: options.random,
    storage,
    persistence,
    durability,
    llm,
    memory,
    plugins,
    personas,
    clock,
    metrics,
    logger,
    anomalies,
    experiments,
    ...(cluster === null || chatIngress === null ? {} : { ingress: chatIngress, admit: cluster.admit }),
  });
  cluster?.bind({
    supervisor,
    telegram,
    memory: ownMemory?.service ?? null,
  });
  if (persistence !== undefined) {
    persistence.attach(supervisor);
    stack.push('persistence', () => persistence.close());
  }
  stack.push('supervisor', async () => (shutdownReport = await supervisor.shutdown(deadline)));
  const privacy = openPrivacy({
    config,
    storage,
    supervisor,
    persistence,
    memory,
    ownMemory: ownMemory?.service ?? null,
    audit: stores.audit,
    clock,
    logger,
  });
  privacyDesk.bind(privacy, telegram.sender);
  if (privacy !== null) await scheduleRetention(scheduler, privacy, clock);
  // Stopped before the chats drain: a reminder being sent finishes, no new one starts.
  await scheduleJobs(scheduler, plugins, pluginOutbox(supervisor, stores.directory, plugins), clock);
  scheduler.start();
  stack.push('scheduler', () => scheduler.stop());

  const deliver: DeliverUpdate =
    cluster === null
      ? (chatId, updateId, update, replayed) =>
          supervisor.tell(chatId, {
            type: 'UpdateReceived',
            updateId,
            update,
            ...(replayed === true ? { replayed } : {}),
          })
      : cluster.deliverTo(telegram);
  // A webhook's route needs the ingress's router; it takes nothing before the HTTP server listens.
  if (telegram.status().mode === 'webhook') telegram.start(deliver);
  const deadLetterOffice = new DeadLetterOffice({
    store: deadLetters,
    // A dead letter goes back to its chat's actor (in cluster mode only where the chat is served).
    replay: (chatId, updateId, update) => (chatIngress ?? telegram).replay(chatId, updateId, update),
    clock,
    logger,
  });
  const http =
    options.http === false
      ? null
      : await serveAdminHttp({
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
          anomalies,
          stores,
          pluginAdmin: pluginAdmin(plugins, supervisor),
          scheduler,
          privacy,
          personas,
          experiments,
          ...(cluster === null ? {} : { cluster: await cluster.adminView() }),
        });
  if (http !== null) closeHttpLater(() => http.close());
  // In cluster mode only the member holding the ingress lock polls (it starts polling when it gets it).
  if (telegram.status().mode === 'polling') telegram.start(deliver, { poll: cluster === null });
  stack.push('intake', () => telegram.stopIntake());
  if (cluster !== null) {
    await cluster.start(http?.url ?? null);
    // Closed first: the partitions are handed over (their chats drained and written) before anything else stops.
    stack.push('cluster', () => cluster.stop(config.SHUTDOWN_DEADLINE_MS));
  }
  // Replies in flight when the last process stopped go on now, not at their chat's next message.
  // In cluster mode each member does this for every partition it takes.
  if (cluster === null && persistence !== undefined)
    stack.push(
      'waking chats with a reply in flight',
      wakeUnfinishedChatsAtStart(persistence, supervisor, clock, logger),
    );
  // Erasures a crash cut short are finished in the background; one that fails again is retried by retention.
  if (privacy !== null)
    void privacy.resumeUnfinished().catch((error: unknown) => {
      logger.error({ err: error }, 'unfinished erasures could not be read; the retention job tries again');
    });
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
    privacy,
    experiments,
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
