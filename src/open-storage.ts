import type { Logger } from 'pino';
import { stemWord } from './chat/index.js';
import { type Config, encryptionKeysOf } from './config/index.js';
import type { FieldCipher } from './ports/index.js';
import type { Clock, MetricsRegistry } from './runtime/index.js';
import { Keyring, PlainCipher, Storage } from './storage/index.js';

/**
 * The field cipher of ENCRYPTION_KEY/ENCRYPTION_KEYS: a keyring whose
 * highest id writes, or plain storage (key id 0) when neither is set.
 * The configuration was validated at load, so the keys parse here.
 */
export function fieldCipherOf(config: Pick<Config, 'ENCRYPTION_KEY' | 'ENCRYPTION_KEYS'>): FieldCipher {
  const keys = encryptionKeysOf(config);
  if (!Array.isArray(keys)) throw new TypeError(`${keys.variable}: ${keys.message}`);
  return keys.length === 0 ? new PlainCipher() : new Keyring(keys, { stem: stemWord });
}

/**
 * Storage as configured: Postgres, or embedded PGlite under DATA_DIR (which
 * one process holds at a time), migrated before use, plus Redis when
 * REDIS_URL is set, sealing personal fields with the configured keys.
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
    cipher: fieldCipherOf(config),
    clock,
    metrics,
    logger,
  });
}
