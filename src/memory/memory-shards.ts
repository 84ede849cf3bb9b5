import type { Worker } from 'node:worker_threads';
import * as Comlink from 'comlink';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import { InvalidOptionError, type Logger, startWorker } from '../runtime/index.js';
import type { EmbedderConfig } from './embedding-task.js';
import { MemoryClosedError, MemoryShardDownError } from './errors.js';
import { HashEmbedder } from './hash-embedder.js';
import type { MemoryShardApi, ShardStats } from './memory-shard-api.js';
import type { MemoryShardWorkerData } from './memory-shard-worker.js';

export interface MemoryShardsOptions {
  /** Number of shard threads. */
  shards: number;
  /** Where index files live. */
  dir: string;
  logger?: Logger | undefined;
  /**
   * The embedder of the embedding pool. When it is the hash embedder (pure,
   * cheap code), each shard embeds recall queries itself, so a recall
   * crosses threads once and never waits behind the pool's work; any other
   * embedder stays in the pool alone.
   */
  embedder?: EmbedderConfig | undefined;
  /** Told after a shard was restarted, with the chats it held when it died. */
  onRestart?: ((shard: number, chats: readonly number[]) => void) | undefined;
}

/** Every method of the shard API, bound once per thread (see {@link bindMethods}). */
const SHARD_METHODS = [
  'load',
  'add',
  'search',
  'searchText',
  'remove',
  'setFeedback',
  'unload',
  'stats',
  'exit',
] as const satisfies ReadonlyArray<keyof MemoryShardApi>;
// A method added to the API but not to the list above fails to compile here.
const everyShardMethod: Exclude<keyof MemoryShardApi, (typeof SHARD_METHODS)[number]> extends never ? true : never =
  true;
void everyShardMethod;

/** One incarnation of a shard thread. */
interface Incarnation {
  worker: Worker;
  /** The comlink proxy of the thread; released on close. */
  remote: Comlink.Remote<MemoryShardApi>;
  /** Its methods, each a proxy made once. */
  api: Comlink.Remote<MemoryShardApi>;
  /** How to fail each call in flight if the thread dies; a call removes its own when it settles. */
  inFlight: Set<(error: unknown) => void>;
  /** Chats loaded in this incarnation, as far as the main thread knows. */
  chats: Set<number>;
  exited: boolean;
  /** Settles when the thread has exited. */
  gone: Promise<void>;
}

/** How long a shard thread asked to exit may take before it is terminated (only a thread stuck in a call takes that long). */
const EXIT_GRACE_MS = 10_000;

/**
 * The memory shards: long-lived worker threads, each the only owner of the
 * HNSW indexes of the chats that hash to it. A shard that dies is started
 * again at once; calls that were in flight fail fast with
 * {@link MemoryShardDownError} (comlink alone would leave them hanging), and
 * the chats it held are reported through `onRestart` so they can be loaded
 * again.
 */
export class MemoryShards {
  private readonly shards: Incarnation[] = [];
  private readonly queryHashDims: number | null;
  private closed = false;
  restarts = 0;
  /** Name of the embedder the shards embed recall queries with, or null when queries must come embedded. */
  readonly queryEmbedderName: string | null;

  constructor(private readonly options: MemoryShardsOptions) {
    if (!Number.isInteger(options.shards) || options.shards < 1)
      throw new InvalidOptionError('shards', `memory shards must be a positive integer, got ${options.shards}`);
    // Built here too, so bad dims fail at construction with the embedder's own error.
    const queryEmbedder = options.embedder?.kind === 'hash' ? new HashEmbedder(options.embedder.dims) : null;
    this.queryHashDims = queryEmbedder?.dims ?? null;
    this.queryEmbedderName = queryEmbedder?.name ?? null;
    for (let i = 0; i < options.shards; i++) this.shards.push(this.spawn(i));
  }

  get count(): number {
    return this.shards.length;
  }

  /** The shard that owns a chat: a hash of its id, so the same chat always lands on the same shard. */
  shardOf(chatId: number): number {
    return mixChatId(chatId) % this.shards.length;
  }

  /** Whether the main thread has loaded `chatId` in the current incarnation of its shard. */
  isLoaded(chatId: number): boolean {
    return this.shards[this.shardOf(chatId)]?.chats.has(chatId) ?? false;
  }

  markLoaded(chatId: number, loaded: boolean): void {
    const chats = this.incarnation(this.shardOf(chatId)).chats;
    if (loaded) chats.add(chatId);
    else chats.delete(chatId);
  }

  /** Calls waiting for a shard's answer. */
  get callsInFlight(): number {
    return this.shards.reduce((sum, s) => sum + s.inFlight.size, 0);
  }

  /** All chats loaded in any shard. */
  loadedChats(): number[] {
    return this.shards.flatMap((s) => [...s.chats]);
  }

  /**
   * Runs `call` against the shard owning `chatId`. Rejects with
   * {@link MemoryShardDownError} if the shard dies before answering.
   */
  async call<T>(chatId: number, call: (api: Comlink.Remote<MemoryShardApi>) => Promise<T>): Promise<T> {
    return this.callShard(this.shardOf(chatId), call);
  }

  /** Every shard's stats, added up. */
  async stats(): Promise<ShardStats> {
    const each = await Promise.all(this.shards.map((_, shard) => this.callShard(shard, (api) => api.stats())));
    const sum = { chats: 0, vectors: 0, heapBytes: 0, indexBytes: 0 };
    for (const s of each) {
      sum.chats += s.chats;
      sum.vectors += s.vectors;
      sum.heapBytes += s.heapBytes;
      sum.indexBytes += s.indexBytes;
    }
    return sum;
  }

  private async callShard<T>(shard: number, call: (api: Comlink.Remote<MemoryShardApi>) => Promise<T>): Promise<T> {
    if (this.closed) throw new MemoryClosedError();
    const incarnation = this.incarnation(shard);
    if (incarnation.exited) throw new MemoryShardDownError(shard);
    // Not a race with one shared "died" promise: every call would stay attached to it for the shard's life.
    return new Promise<T>((resolve, reject) => {
      incarnation.inFlight.add(reject);
      call(incarnation.api).then(
        (value) => {
          incarnation.inFlight.delete(reject);
          resolve(value);
        },
        (error: unknown) => {
          incarnation.inFlight.delete(reject);
          reject(error);
        },
      );
    });
  }

  /**
   * Stops a shard's thread as a crash would (exit code 1, later calls fail
   * with {@link MemoryShardDownError}); it is restarted like after one. For
   * fault drills.
   */
  async kill(shard: number): Promise<void> {
    await this.stop(this.incarnation(shard), 1);
  }

  /** Stops every shard thread once it has answered what was already sent. */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(
      this.shards.map(async (s) => {
        s.exited = true;
        await this.stop(s, 0);
        s.remote[Comlink.releaseProxy]();
      }),
    );
  }

  /**
   * Has a thread exit by itself, between two calls. `Worker#terminate()`
   * is only the fallback for a thread that does not exit in time: a thread
   * terminated while hnswlib is reading its arguments or calling a search
   * filter makes the addon's failed napi call abort the whole process.
   */
  private async stop(incarnation: Incarnation, code: number): Promise<void> {
    incarnation.api.exit(code).catch(() => undefined); // its answer races the exit; `gone` is what counts
    const late = setTimeout(() => {
      this.options.logger?.warn({ graceMs: EXIT_GRACE_MS }, 'memory shard did not exit when asked; terminating it');
      incarnation.worker.terminate().catch((err: unknown) => {
        this.options.logger?.error({ err }, 'memory shard could not be terminated');
      });
    }, EXIT_GRACE_MS);
    try {
      await incarnation.gone;
    } finally {
      clearTimeout(late);
    }
  }

  private incarnation(shard: number): Incarnation {
    const incarnation = this.shards[shard];
    if (incarnation === undefined) throw new RangeError(`no memory shard ${shard}`);
    return incarnation;
  }

  private spawn(shard: number): Incarnation {
    const workerData: MemoryShardWorkerData = { dir: this.options.dir, queryHashDims: this.queryHashDims };
    const worker = startWorker(import.meta.url, 'memory-shard-worker', { workerData });
    const remote = Comlink.wrap<MemoryShardApi>(nodeEndpoint(worker));
    const incarnation: Incarnation = {
      worker,
      remote,
      api: bindMethods(remote),
      inFlight: new Set(),
      chats: new Set(),
      exited: false,
      gone: new Promise((resolve) => worker.once('exit', () => resolve())),
    };
    let cause: unknown = null;
    worker.on('error', (error) => {
      cause = error;
    });
    worker.on('exit', (code) => {
      incarnation.exited = true;
      for (const fail of incarnation.inFlight) fail(new MemoryShardDownError(shard, cause));
      incarnation.inFlight.clear();
      if (this.closed) return;
      this.restarts++;
      this.options.logger?.error({ shard, code, err: cause }, 'memory shard stopped; restarting it');
      const held = [...incarnation.chats];
      this.shards[shard] = this.spawn(shard);
      this.options.onRestart?.(shard, held);
    });
    return incarnation;
  }
}

/**
 * The shard's methods as a plain object of comlink proxies made once. Reading
 * a method off a comlink proxy makes a new proxy and registers it for
 * finalization, on every call: on the recall path that is an allocation, a
 * weak registration and a finalizer run per recall on the main thread.
 */
function bindMethods(remote: Comlink.Remote<MemoryShardApi>): Comlink.Remote<MemoryShardApi> {
  const api: Partial<Record<keyof MemoryShardApi, unknown>> = {};
  for (const method of SHARD_METHODS) api[method] = remote[method];
  return api as Comlink.Remote<MemoryShardApi>;
}

/** Spreads consecutive and negative chat ids evenly over shards (a 32-bit integer mix). */
function mixChatId(chatId: number): number {
  let h = Math.imul(Math.trunc(chatId) ^ Math.trunc(chatId / 2 ** 32), 0x9e3779b1);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return h >>> 0;
}
