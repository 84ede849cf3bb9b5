import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  EmbeddingPool,
  type EmbeddingPoolOptions,
  InMemoryMemoryStore,
  MemoryService,
  type MemoryServiceOptions,
  MemoryShards,
  type MemoryStore,
} from '../../src/memory/index.js';
import { ManualClock, MetricsRegistry } from '../../src/runtime/index.js';

export interface MemoryHarness {
  service: MemoryService;
  pool: EmbeddingPool;
  shards: MemoryShards;
  store: MemoryStore;
  dir: string;
  clock: ManualClock;
  metrics: MetricsRegistry;
  close(): Promise<void>;
}

export interface HarnessOptions {
  store?: MemoryStore;
  dir?: string;
  pool?: Partial<EmbeddingPoolOptions>;
  service?: Partial<Omit<MemoryServiceOptions, 'pool' | 'shards' | 'store' | 'indexDir'>>;
  shards?: number;
  /** Shards embed recall queries themselves (the default, as `lekha start` wires it); false sends them to the pool. */
  queriesInShards?: boolean;
}

/** A memory service on real threads (pool and shards) with a store and an index directory of its own. */
export async function startMemory(options: HarnessOptions = {}): Promise<MemoryHarness> {
  const dir = options.dir ?? (await mkdtemp(path.join(tmpdir(), 'lekha-memory-')));
  const store = options.store ?? new InMemoryMemoryStore();
  const clock = new ManualClock(Date.UTC(2026, 10, 1));
  const metrics = new MetricsRegistry();
  const pool = new EmbeddingPool({ embedder: { kind: 'hash' }, threads: 2, ...options.pool });
  let service: MemoryService | null = null;
  const shards = new MemoryShards({
    shards: options.shards ?? 2,
    dir,
    embedder: options.queriesInShards === false ? undefined : pool.embedder,
    onRestart: (_, chats) => service?.reload(chats),
  });
  service = new MemoryService({
    pool,
    shards,
    store,
    indexDir: dir,
    retention: { maxPerChat: 10_000, maxAgeMs: 365 * 86_400_000 },
    clock,
    metrics,
    ...options.service,
  });
  await service.start();
  const started = service;
  return {
    service: started,
    pool,
    shards,
    store,
    dir,
    clock,
    metrics,
    close: async () => {
      await started.close();
      if (options.dir === undefined) await rm(dir, { recursive: true, force: true });
    },
  };
}
