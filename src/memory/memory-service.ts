import path from 'node:path';
import type { Remote } from 'comlink';
import {
  type Clock,
  type Counter,
  type Histogram,
  type Logger,
  MetricsRegistry,
  SystemClock,
} from '../runtime/index.js';
import type { EmbeddingPool, EmbeddingPoolStats } from './embedding-pool.js';
import { MemoryClosedError, MemorySaturatedError } from './errors.js';
import type { MemoryItem, MemoryStore } from '../ports/index.js';
import type { MemoryHit } from './memory-item.js';
import type { MemoryPort, RecallRequest, RememberOutcome, RememberRequest } from './memory-port.js';
import type { MemoryShardApi } from './memory-shard-api.js';
import type { MemoryShards } from './memory-shards.js';

export interface MemoryRetention {
  /** Memories kept per chat; the oldest go first. */
  maxPerChat: number;
  /** Memories older than this are deleted. */
  maxAgeMs: number;
}

export interface MemoryServiceOptions {
  pool: EmbeddingPool;
  shards: MemoryShards;
  store: MemoryStore;
  /** Where the shards keep index files (the same directory the shards were started with). */
  indexDir: string;
  retention: MemoryRetention;
  /** Memory writes waiting (embedding or storing) before new ones are dropped. */
  maxPendingWrites?: number;
  /** A chat's index is written to disk and unloaded after this long without use. */
  idleUnloadMs?: number;
  clock?: Clock;
  metrics?: MetricsRegistry;
  logger?: Logger | undefined;
}

export interface MemoryStats {
  embedder: string;
  dims: number;
  pool: EmbeddingPoolStats;
  shards: number;
  shardRestarts: number;
  loadedChats: number;
  pendingWrites: number;
}

/**
 * Long-term memory of every chat: embeds texts in the pool, keeps each
 * chat's index in the shard that owns it and the memories themselves in the
 * store (the source of truth). Everything that changes a chat's memories
 * (loading, adding, pruning, feedback, unloading) runs one at a time per
 * chat, so the index and the store never disagree about what was added;
 * searches run beside them.
 *
 * Nothing here blocks a chat: a write that finds the pool saturated or too
 * many writes pending is dropped and counted, and a failing shard or store
 * turns into a rejected promise the actor treats as "no recall".
 */
export class MemoryService implements MemoryPort {
  private readonly pool: EmbeddingPool;
  private readonly shards: MemoryShards;
  private readonly store: MemoryStore;
  private readonly clock: Clock;
  private readonly logger: Logger | undefined;
  private readonly maxPendingWrites: number;
  private readonly idleUnloadMs: number;
  /** The tail of each chat's chain of changes. */
  private readonly chains = new Map<number, Promise<unknown>>();
  private readonly lastUsedMs = new Map<number, number>();
  private pendingWrites = 0;
  private embedderName = '';
  private dims = 0;
  /** The shards embed recall queries with the pool's own embedder. */
  private queriesInShards = false;
  private sweepTimer: NodeJS.Timeout | null = null;
  private closed = false;

  readonly remembered: Counter;
  readonly dropped: Counter;
  readonly writeFailures: Counter;
  readonly recalls: Counter;
  readonly recallFailures: Counter;
  readonly rebuilds: Counter;
  readonly recallLatency: Histogram;

  constructor(private readonly options: MemoryServiceOptions) {
    this.pool = options.pool;
    this.shards = options.shards;
    this.store = options.store;
    this.clock = options.clock ?? new SystemClock();
    this.logger = options.logger;
    this.maxPendingWrites = options.maxPendingWrites ?? 1000;
    this.idleUnloadMs = options.idleUnloadMs ?? 10 * 60_000;
    const metrics = options.metrics ?? new MetricsRegistry();
    this.remembered = metrics.counter('lekha_memory_remembered_total', 'Memories embedded, stored and indexed');
    this.dropped = metrics.counter(
      'lekha_memory_writes_dropped_total',
      'Memory writes dropped because the embedding pool or the write queue was full',
    );
    this.writeFailures = metrics.counter(
      'lekha_memory_write_failures_total',
      'Memory writes that failed (store or shard error)',
    );
    this.recalls = metrics.counter('lekha_memory_recalls_total', 'Recalls answered');
    this.recallFailures = metrics.counter(
      'lekha_memory_recall_failures_total',
      'Recalls that failed (the reply went on without memories)',
    );
    this.rebuilds = metrics.counter(
      'lekha_memory_index_rebuilds_total',
      'Chat indexes rebuilt from the store (file missing or stale)',
    );
    this.recallLatency = metrics.histogram(
      'lekha_memory_recall_ms',
      'Recall latency: embedding the query and searching the index',
    );
    metrics.gauge('lekha_memory_pending_writes', 'Memory writes being embedded or stored', () => this.pendingWrites);
    metrics.gauge(
      'lekha_memory_loaded_chats',
      'Chat indexes loaded in the memory shards',
      () => this.shards.loadedChats().length,
    );
    metrics.gauge('lekha_memory_pool_queue', 'Tasks waiting for an embedding thread', () => this.pool.queued);
    metrics.gauge(
      'lekha_memory_pool_utilisation',
      'Share of the embedding pool’s capacity in use since start, 0–1',
      () => this.pool.stats().utilisation,
    );
  }

  /** Loads the embedder (in the pool) and starts unloading idle chats. */
  async start(): Promise<void> {
    const description = await this.pool.describe();
    this.embedderName = description.name;
    this.dims = description.dims;
    this.queriesInShards = this.shards.queryEmbedderName === description.name;
    const period = Math.max(1000, Math.floor(this.idleUnloadMs / 2));
    this.sweepTimer = setInterval(() => this.unloadIdle(), period);
    this.sweepTimer.unref();
  }

  remember(request: RememberRequest): Promise<RememberOutcome> {
    if (this.closed) return Promise.reject(new MemoryClosedError());
    if (this.pendingWrites >= this.maxPendingWrites || this.pool.saturated) {
      this.dropped.inc();
      return Promise.resolve({ stored: false, reason: 'saturated' });
    }
    this.pendingWrites++;
    return this.write(request).finally(() => {
      this.pendingWrites--;
    });
  }

  async recall(request: RecallRequest): Promise<MemoryHit[]> {
    if (this.closed) throw new MemoryClosedError();
    const startedMs = performance.now();
    const { chatId, text, k, filter } = request;
    try {
      let search: (api: Remote<MemoryShardApi>) => Promise<MemoryHit[]>;
      if (this.queriesInShards) search = (api) => api.searchText(chatId, text, k, filter);
      else {
        const vector = await this.pool.embedOne(text, 'recall');
        if (isZero(vector)) return [];
        search = (api) => api.search(chatId, vector, k, filter);
      }
      this.touch(chatId);
      if (!this.shards.isLoaded(chatId)) await this.serial(chatId, () => this.ensureLoaded(chatId));
      const hits = await this.shards.call(chatId, search);
      this.recalls.inc();
      this.recallLatency.recordMs(performance.now() - startedMs);
      return hits;
    } catch (error) {
      this.recallFailures.inc();
      throw error;
    }
  }

  async feedback(chatId: number, messageId: number, delta: number): Promise<number> {
    if (delta === 0) return 0;
    return this.serial(chatId, async () => {
      await this.ensureLoaded(chatId);
      const updates = await this.store.addFeedback(chatId, messageId, delta);
      if (updates.length > 0) await this.shards.call(chatId, (api) => api.setFeedback(chatId, updates));
      return updates.length;
    });
  }

  async forgetUser(userId: number, chatId?: number): Promise<number> {
    const deleted = await this.store.forgetUser(userId, chatId);
    let count = 0;
    await Promise.all(
      [...deleted].map(([chat, ids]) => {
        count += ids.length;
        // A chat not loaded has an index file of an older stamp now: it is rebuilt when next loaded.
        return this.serial(chat, async () => {
          if (this.shards.isLoaded(chat)) await this.shards.call(chat, (api) => api.remove(chat, ids));
        });
      }),
    );
    return count;
  }

  /** Deletes every memory of a chat, the bot's own included (a member's private chat, erased); returns how many. */
  async forgetChat(chatId: number): Promise<number> {
    return this.serial(chatId, async () => {
      const deleted = await this.store.prune(chatId, 0, Number.MAX_SAFE_INTEGER);
      if (deleted.length > 0 && this.shards.isLoaded(chatId))
        await this.shards.call(chatId, (api) => api.remove(chatId, deleted));
      return deleted.length;
    });
  }

  stats(): MemoryStats {
    return {
      embedder: this.embedderName,
      dims: this.dims,
      pool: this.pool.stats(),
      shards: this.shards.count,
      shardRestarts: this.shards.restarts,
      loadedChats: this.shards.loadedChats().length,
      pendingWrites: this.pendingWrites,
    };
  }

  /**
   * Unloads the indexes of the chats `leaving` picks (written to disk first,
   * so they load instead of rebuilding if the chats come back). Cluster mode
   * calls it when chats move to another member: an index kept loaded here
   * would miss what that member adds meanwhile. Returns how many were loaded.
   */
  async release(leaving: (chatId: number) => boolean): Promise<number> {
    const chats = this.shards.loadedChats().filter(leaving);
    await Promise.allSettled(chats.map((chatId) => this.unload(chatId)));
    return chats.length;
  }

  /** Called by the shards after one restarted: loads again the chats it held. */
  reload(chats: readonly number[]): void {
    for (const chatId of chats) {
      this.serial(chatId, () => this.ensureLoaded(chatId)).catch((error: unknown) => {
        this.logger?.warn({ err: error, chatId }, 'could not reload a chat index after a shard restart');
      });
    }
  }

  /**
   * Writes every loaded index to disk (so the next start loads instead of
   * rebuilding) and stops the pool and the shards.
   */
  async close(): Promise<void> {
    if (this.closed) return;
    if (this.sweepTimer !== null) clearInterval(this.sweepTimer);
    await Promise.allSettled(this.shards.loadedChats().map((chatId) => this.unload(chatId)));
    this.closed = true;
    await Promise.allSettled([...this.chains.values()]);
    await this.shards.close();
    await this.pool.close();
  }

  private async write(request: RememberRequest): Promise<RememberOutcome> {
    let vector: Float32Array;
    try {
      vector = await this.pool.embedOne(request.text);
    } catch (error) {
      if (!(error instanceof MemorySaturatedError)) throw error;
      this.dropped.inc();
      return { stored: false, reason: 'saturated' };
    }
    if (isZero(vector)) return { stored: false, reason: 'empty' };
    const { chatId } = request;
    this.touch(chatId);
    try {
      return await this.serial(chatId, async () => {
        await this.ensureLoaded(chatId);
        const [item] = await this.store.insert([
          {
            chatId,
            kind: request.kind,
            text: request.text,
            fromId: request.fromId,
            ms: request.ms,
            messageId: request.messageId,
            recalledIds: [...(request.recalledIds ?? [])],
            embedder: this.embedderName,
            vector,
          },
        ]);
        if (item === undefined) return { stored: false, reason: 'duplicate' } as const;
        const added = await this.shards.call(chatId, (api) => api.add(chatId, [item], vector));
        const { maxPerChat, maxAgeMs } = this.options.retention;
        const tooOldMs = this.clock.now() - maxAgeMs;
        if (added.live > maxPerChat || (added.oldestMs !== null && added.oldestMs < tooOldMs)) {
          const pruned = await this.store.prune(chatId, maxPerChat, tooOldMs);
          if (pruned.length > 0) await this.shards.call(chatId, (api) => api.remove(chatId, pruned));
        }
        this.remembered.inc();
        return { stored: true, id: item.id };
      });
    } catch (error) {
      this.writeFailures.inc();
      throw error;
    }
  }

  /** Makes sure the chat's index is loaded in its shard, rebuilding it from the store when its file is missing or stale. Runs inside the chat's chain. */
  private async ensureLoaded(chatId: number): Promise<void> {
    if (this.shards.isLoaded(chatId)) return;
    const stamp = await this.store.stamp(chatId, this.embedderName);
    let result = await this.shards.call(chatId, (api) => api.load(chatId, this.dims, stamp));
    if (result !== 'loaded') {
      this.rebuilds.inc();
      const { items, vectors } = await this.store.load(chatId, this.embedderName);
      await this.pool.buildIndex(this.options.indexDir, chatId, this.dims, items, vectors);
      result = await this.shards.call(chatId, (api) => api.load(chatId, this.dims, stampOf(items)));
      if (result !== 'loaded')
        throw new Error(`memory index of chat ${chatId} could not be loaded after a rebuild (${result})`);
    }
    this.shards.markLoaded(chatId, true);
  }

  /**
   * Writes a chat's index to disk and drops it from its shard. It counts as
   * unloaded at once, so a recall from here on loads it again (queued after
   * the unload) instead of searching an index on its way out.
   */
  private unload(chatId: number): Promise<void> {
    if (!this.shards.isLoaded(chatId)) return Promise.resolve();
    this.shards.markLoaded(chatId, false);
    this.lastUsedMs.delete(chatId);
    return this.serial(chatId, () => this.shards.call(chatId, (api) => api.unload(chatId, true)));
  }

  private unloadIdle(): void {
    const cutoff = this.clock.now() - this.idleUnloadMs;
    for (const chatId of this.shards.loadedChats()) {
      if ((this.lastUsedMs.get(chatId) ?? 0) > cutoff) continue;
      this.unload(chatId).catch((error: unknown) => {
        this.logger?.warn({ err: error, chatId }, 'could not unload an idle chat index');
      });
    }
  }

  private touch(chatId: number): void {
    this.lastUsedMs.set(chatId, this.clock.now());
  }

  /** Runs `work` after every change of the chat queued before it. */
  private serial<T>(chatId: number, work: () => Promise<T>): Promise<T> {
    const previous = this.chains.get(chatId) ?? Promise.resolve();
    const next = previous.then(work, work);
    const tail = next.catch(() => {});
    this.chains.set(chatId, tail);
    void tail.then(() => {
      if (this.chains.get(chatId) === tail) this.chains.delete(chatId);
    });
    return next;
  }
}

function stampOf(items: readonly MemoryItem[]): { maxRevision: number; live: number } {
  let maxRevision = 0;
  for (const item of items) maxRevision = Math.max(maxRevision, item.revision);
  return { maxRevision, live: items.length };
}

function isZero(vector: Float32Array): boolean {
  for (let i = 0; i < vector.length; i++) if (vector[i] !== 0) return false;
  return true;
}

/** The default directory of index files under `DATA_DIR`. */
export function indexDirUnder(dataDir: string): string {
  return path.join(dataDir, 'memory-index');
}
