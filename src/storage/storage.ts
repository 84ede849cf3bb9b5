import { Redis } from 'ioredis';
import { type Clock, type Logger, MetricsRegistry, SystemClock } from '../runtime/index.js';
import { AppendWriter } from './append-writer.js';
import type { FieldCipher } from '../ports/index.js';
import type { Database } from './database.js';
import { checkEncryptionKeys } from './encryption/key-registry.js';
import { migrate } from './migrate.js';
import { openDatabase } from './open-database.js';
import { PostgresJobStore } from './postgres-job-store.js';
import { PostgresMemberDataStore } from './postgres-member-data-store.js';
import { PostgresDeadLetterStore } from './postgres-dead-letter-store.js';
import { PostgresExperimentStore } from './postgres-experiment-store.js';
import { PostgresPersonaStore } from './postgres-persona-store.js';
import { PlainCipher } from './plain-cipher.js';
import { PostgresSnapshotStore } from './postgres-snapshot-store.js';
import { RedisSnapshotStore } from './redis-snapshot-store.js';
import { StorageChatArchive } from './storage-chat-archive.js';
import { StorageReplyLedger } from './storage-reply-ledger.js';
import { WriteBehind, type WriteBehindCloseReport, type WriteBehindOptions } from './write-behind.js';

export interface StorageOptions {
  /** Postgres server URL; absent: embedded PGlite under `dataDir`. */
  databaseUrl?: string | undefined;
  /** Home of the embedded database; needed only without `databaseUrl`. */
  dataDir?: string | undefined;
  databasePoolSize?: number;
  /** Redis URL; absent: no hot tier. */
  redisUrl?: string | undefined;
  /** Prefix of every Redis key Lekha writes. */
  redisKeyPrefix?: string;
  /** Redis copies of idle snapshots expire after this long (`0`: never). */
  redisSnapshotTtlMs?: number;
  /** Write-behind period for snapshots and append-only rows. */
  snapshotIntervalMs: number;
  /** Seals personal fields at rest; absent: stored plain (key id 0). */
  cipher?: FieldCipher;
  clock?: Clock;
  metrics?: MetricsRegistry;
  logger?: Logger;
}

export interface StorageCloseReport {
  unwrittenSnapshots: number;
  unwrittenRows: number;
}

/**
 * Everything durable, opened from configuration: the database (migrated on
 * open), the optional Redis hot tier, the append writer and the
 * write-behind of actor snapshots. `close` writes whatever is pending.
 */
export class Storage {
  private readonly writeBehinds: WriteBehind<unknown, unknown>[] = [];
  private readonly durableSnapshots: PostgresSnapshotStore;
  private readonly hotSnapshots: RedisSnapshotStore | undefined;
  private archive: StorageChatArchive | undefined;
  private ledger: StorageReplyLedger | undefined;
  /** Seals and opens every personal field this storage keeps. */
  readonly cipher: FieldCipher;

  private constructor(
    readonly db: Database,
    readonly redis: Redis | undefined,
    readonly appends: AppendWriter,
    private readonly options: StorageOptions,
  ) {
    this.cipher = options.cipher ?? new PlainCipher();
    this.durableSnapshots = new PostgresSnapshotStore(db);
    this.hotSnapshots =
      redis === undefined
        ? undefined
        : new RedisSnapshotStore(redis, {
            prefix: options.redisKeyPrefix ?? 'lekha:',
            ttlMs: options.redisSnapshotTtlMs ?? 0,
          });
  }

  /** Opens the database, applies migrations, connects Redis (if configured) and starts the append writer. */
  static async open(options: StorageOptions): Promise<Storage> {
    const logger = options.logger;
    const db = await openDatabase({
      databaseUrl: options.databaseUrl,
      dataDir: options.dataDir,
      ...(options.databasePoolSize === undefined ? {} : { maxConnections: options.databasePoolSize }),
      ...(logger === undefined ? {} : { logger }),
    });
    let redis: Redis | undefined;
    try {
      await migrate(db, logger === undefined ? {} : { logger });
      await checkEncryptionKeys(db, options.cipher ?? new PlainCipher());
      if (options.redisUrl !== undefined) redis = await connectRedis(options.redisUrl, logger);
    } catch (error) {
      await db.close();
      throw error;
    }
    const appends = new AppendWriter({
      db,
      intervalMs: options.snapshotIntervalMs,
      ...(options.clock === undefined ? {} : { clock: options.clock }),
      ...(options.metrics === undefined ? {} : { metrics: options.metrics }),
      ...(logger === undefined ? {} : { logger }),
    });
    appends.start();
    logger?.info({ database: db.kind, redis: redis !== undefined }, 'storage ready');
    return new Storage(db, redis, appends, options);
  }

  /**
   * Builds the write-behind persistence of one kind of actor. Its
   * `afterFlush` also waits for rows appended before the call.
   *
   * With `fence` (cluster mode) every snapshot is written under its
   * partition's lease epoch and Postgres refuses those of an older one. Such
   * a write-behind does not use the Redis hot tier: Redis is written before
   * Postgres and cannot check a lease, so a paused former owner could leave
   * a newer-looking copy there that hides the new owner's state.
   */
  async writeBehind<K, S>(
    options: Pick<WriteBehindOptions<K, S>, 'format' | 'keyOf' | 'fence' | 'unfinished'>,
  ): Promise<WriteBehind<K, S>> {
    const { clock, metrics, logger } = this.options;
    const hot = options.fence === undefined ? this.hotSnapshots : undefined;
    const writeBehind = await WriteBehind.create<K, S>({
      ...options,
      format: options.format.sealedWith(this.cipher),
      durable: this.durableSnapshots,
      ...(hot === undefined ? {} : { hot }),
      intervalMs: this.options.snapshotIntervalMs,
      alsoAwait: this.appends,
      clock: clock ?? new SystemClock(),
      metrics: metrics ?? new MetricsRegistry(),
      ...(logger === undefined ? {} : { logger }),
    });
    this.writeBehinds.push(writeBehind as WriteBehind<unknown, unknown>);
    return writeBehind;
  }

  /** Resolves when the database answers a trivial statement (for readiness checks, which bound the wait). */
  async ping(): Promise<void> {
    await this.db.query('SELECT 1');
  }

  /**
   * What chat actors record for the admin API (chats, users, messages and
   * member counters), written behind through this storage's append writer.
   * One archive per storage: its drop counter is registered once.
   */
  chatArchive(): StorageChatArchive {
    const { metrics, logger } = this.options;
    this.archive ??= new StorageChatArchive(this.appends, {
      cipher: this.cipher,
      ...(metrics === undefined ? {} : { metrics }),
      ...(logger === undefined ? {} : { logger }),
    });
    return this.archive;
  }

  /**
   * The bot's replies and the signals on them, written behind through this
   * storage's append writer. One ledger per storage: its drop counter is registered once.
   */
  replyLedger(): StorageReplyLedger {
    const { metrics, logger } = this.options;
    this.ledger ??= new StorageReplyLedger(this.appends, {
      cipher: this.cipher,
      ...(metrics === undefined ? {} : { metrics }),
      ...(logger === undefined ? {} : { logger }),
    });
    return this.ledger;
  }

  /** Experiments, and the outcomes of their replies for readouts. */
  experiments(): PostgresExperimentStore {
    return new PostgresExperimentStore(this.db);
  }

  /** Personas defined from the dashboard, versioned. */
  personas(): PostgresPersonaStore {
    return new PostgresPersonaStore(this.db);
  }

  /** Updates of quarantined chats, kept until an admin replays or discards them. */
  deadLetters(): PostgresDeadLetterStore {
    return new PostgresDeadLetterStore(this.db, this.cipher);
  }

  /** Reminders and plugin jobs, claimed by one process at a time. */
  jobs(clock: { now(): number }): PostgresJobStore {
    return new PostgresJobStore(this.db, clock, this.cipher);
  }

  /** One member's data across the tables: GDPR export, erasure and retention. */
  memberData(clock: { now(): number }): PostgresMemberDataStore {
    return new PostgresMemberDataStore(this.db, this.appends, this.cipher, clock);
  }

  /** Writes everything pending (until `deadlineMs`), then closes Redis and the database. */
  async close(options: { deadlineMs?: number } = {}): Promise<StorageCloseReport> {
    const deadline = options.deadlineMs === undefined ? {} : { deadlineMs: options.deadlineMs };
    // Retry timers do not hold the process open; while the database is down
    // there may be no open socket either, and Node would exit mid-close,
    // dropping pending writes without a word. This handle keeps it alive.
    const keepAlive = setInterval(() => undefined, 1000);
    try {
      const reports: WriteBehindCloseReport[] = await Promise.all(this.writeBehinds.map((w) => w.close(deadline)));
      const rows = await this.appends.close(deadline);
      this.redis?.disconnect();
      await this.db.close();
      return { unwrittenSnapshots: reports.reduce((sum, r) => sum + r.unwritten, 0), unwrittenRows: rows.unwritten };
    } finally {
      clearInterval(keepAlive);
    }
  }
}

/**
 * Connects Redis for the hot tier. Commands fail fast while it is
 * unreachable (no offline queue, no resending of commands lost with a
 * connection, a short timeout) so activations fall back to Postgres at once
 * and writes mark their keys stale instead of waiting; the client keeps
 * reconnecting in the background. A Redis that is down at start is not an
 * error: the tier comes back with it.
 */
async function connectRedis(url: string, logger: Logger | undefined): Promise<Redis> {
  const redis = new Redis(url, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    autoResendUnfulfilledCommands: false,
    commandTimeout: 1000,
    retryStrategy: (attempt) => Math.min(attempt * 200, 5000),
  });
  let down = false;
  redis.on('error', (error: unknown) => {
    if (down) return;
    down = true;
    logger?.warn({ err: error }, 'Redis connection failed; reconnecting in the background');
  });
  redis.on('ready', () => {
    if (down) logger?.info({}, 'Redis connection restored');
    down = false;
  });
  try {
    await redis.connect();
  } catch (error) {
    logger?.warn(
      { err: error },
      'Redis is unreachable at start; snapshots are served from the database until it returns',
    );
  }
  return redis;
}
