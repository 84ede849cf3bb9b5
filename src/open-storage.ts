import type { Logger } from 'pino';
import type { Config } from './config/index.js';
import type { Clock, MetricsRegistry } from './runtime/index.js';
import { Storage } from './storage/index.js';

/**
 * Storage as configured: Postgres, or embedded PGlite under DATA_DIR (which
 * one process holds at a time), migrated before use, plus Redis when
 * REDIS_URL is set.
 */
export function openStorage(config: Config, clock: Clock, metrics: MetricsRegistry, logger: Logger): Promise<Storage> {
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
