import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Logger } from 'pino';
import type { Config } from './config/index.js';
import {
  EmbeddingPool,
  indexDirUnder,
  InMemoryMemoryStore,
  MemoryService,
  MemoryShards,
  type MemoryStore,
} from './memory/index.js';
import type { Clock, MetricsRegistry } from './runtime/index.js';
import { PostgresMemoryStore, type Storage } from './storage/index.js';

/** Long-term memory the runtime opened, with what closes it. */
export interface OpenedMemory {
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
export async function openMemory(
  config: Config,
  storage: Storage | null,
  clock: Clock,
  metrics: MetricsRegistry,
  logger: Logger,
): Promise<OpenedMemory> {
  const indexDir =
    storage === null ? await mkdtemp(path.join(tmpdir(), 'lekha-memory-')) : indexDirUnder(config.DATA_DIR);
  const store: MemoryStore =
    storage === null ? new InMemoryMemoryStore() : new PostgresMemoryStore(storage.db, storage.cipher);
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
    embedder: pool.embedder,
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
