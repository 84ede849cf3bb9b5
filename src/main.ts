import type { Logger } from 'pino';
import type { Config } from './config/index.js';
import { type Message, MetricsRegistry, SystemClock } from './runtime/index.js';
import { SnapshotFormat, Storage, type StorageCloseReport, type WriteBehind } from './storage/index.js';
import { type ShutdownReport, Supervisor } from './supervisor/index.js';

/** A running Lekha process: what `lekha start` builds and what stops it. */
export interface Runtime {
  readonly supervisor: Supervisor<number, Message>;
  readonly metrics: MetricsRegistry;
  readonly storage: Storage;
  /** Chat snapshots; `snapshots.afterFlush(chatId)` tells when a chat's changes are durable. */
  readonly snapshots: WriteBehind<number, unknown>;
  stop(): Promise<ShutdownReport & { storage: StorageCloseReport }>;
}

/**
 * The one place that builds the concrete pieces and wires them together.
 * The chat actor, Telegram and Groq edges and the HTTP surface plug in here
 * as they land; until then the runtime starts with an empty supervisor that
 * no ingress feeds.
 */
export async function startRuntime(config: Config, logger: Logger): Promise<Runtime> {
  const metrics = new MetricsRegistry();
  const clock = new SystemClock();
  const storage = await Storage.open({
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
  // The chat actor's own format (version, upgrades, zod parse) replaces this one when it lands.
  const snapshots = await storage.writeBehind<number, unknown>({
    format: new SnapshotFormat<unknown>({ version: 1, parse: (value) => value }),
    keyOf: (chatId) => `chat:${chatId}`,
  });
  const supervisor = new Supervisor<number, Message>({
    create: (key) => {
      throw new Error(`no actor kind is registered yet (key ${key})`);
    },
    load: (key) => snapshots.load(key),
    persist: (key, state) => snapshots.persist(key, state),
    clock,
    metrics,
    logger,
    mailboxCapacity: config.MAILBOX_CAPACITY,
    idleMs: config.ACTOR_IDLE_MS,
    maxLive: config.MAX_LIVE_ACTORS,
  });
  snapshots.start(supervisor);
  logger.warn('runtime started with an empty supervisor: no ingress or chat actor is wired yet');
  return {
    supervisor,
    metrics,
    storage,
    snapshots,
    stop: async () => {
      const report = await supervisor.shutdown({ deadlineMs: config.SHUTDOWN_DEADLINE_MS });
      return { ...report, storage: await storage.close({ deadlineMs: config.SHUTDOWN_DEADLINE_MS }) };
    },
  };
}
