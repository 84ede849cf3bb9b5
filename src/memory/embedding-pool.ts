import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';
import { Codec, InvalidOptionError, workerScript } from '../runtime/index.js';
import type { EmbedderConfig, EmbedderDescription, EmbeddingTask, EmbeddingWorkerData } from './embedding-task.js';
import { MemorySaturatedError } from './errors.js';
import { type EmbeddingLane, LaneTaskQueue, RECALL_LANE_OPTIONS } from './lane-task-queue.js';
import type { MemoryItem } from '../ports/index.js';

export interface EmbeddingPoolOptions {
  embedder: EmbedderConfig;
  /** Worker threads; the number of cores by default. */
  threads?: number;
  /** Tasks that may wait for a thread in each lane (recall, write) before new work of that lane is refused. */
  maxQueue?: number;
  /** Texts embedded in one task at most. */
  maxBatch?: number;
  /**
   * OS nice value of the pool's threads (0–19, Linux): 10 by default, so a
   * saturated pool still leaves the event loop and the memory shards a core
   * the moment they need one. 0 keeps the threads at normal priority.
   */
  niceness?: number;
}

interface Waiting {
  text: string;
  resolve: (vector: Float32Array) => void;
  reject: (error: unknown) => void;
}

/** Texts asked for in one event-loop turn, per lane. */
interface Batch {
  lane: EmbeddingLane;
  waiting: Waiting[];
  flushScheduled: boolean;
}

export interface EmbeddingPoolStats {
  threads: number;
  queued: number;
  /** Share of the pool's capacity used since it started, 0–1. */
  utilisation: number;
  completed: number;
}

/**
 * The Piscina pool that computes embeddings (and rebuilds indexes) off the
 * main thread. Texts asked for in the same event-loop turn go to the pool
 * as one batch. Tasks wait in two lanes: recall queries are taken before
 * any queued write batch or index rebuild. When a lane's queue is full, new
 * work for it is refused at once with {@link MemorySaturatedError} instead
 * of waiting.
 */
export class EmbeddingPool {
  private readonly pool: Piscina;
  private readonly queue = new LaneTaskQueue();
  private readonly codec = new Codec();
  private readonly maxQueue: number;
  private readonly maxBatch: number;
  private readonly batches: Record<EmbeddingLane, Batch> = {
    recall: { lane: 'recall', waiting: [], flushScheduled: false },
    write: { lane: 'write', waiting: [], flushScheduled: false },
  };
  private description: EmbedderDescription | null = null;

  constructor(private readonly options: EmbeddingPoolOptions) {
    const threads = options.threads ?? availableParallelism();
    this.maxQueue = options.maxQueue ?? threads * 16;
    this.maxBatch = options.maxBatch ?? 64;
    const niceness = options.niceness ?? 10;
    if (!Number.isInteger(niceness) || niceness < 0 || niceness > 19)
      throw new InvalidOptionError('niceness', `embedding pool niceness must be an integer 0–19, got ${niceness}`);
    const script = workerScript(import.meta.url, 'embedding-worker');
    const workerData: EmbeddingWorkerData = { embedder: options.embedder, niceness };
    this.pool = new Piscina({
      filename: script.url.href,
      execArgv: script.execArgv,
      minThreads: threads,
      maxThreads: threads,
      // Each lane is held to maxQueue here, before a task is encoded; Piscina's bound is both lanes'.
      maxQueue: 2 * this.maxQueue,
      taskQueue: this.queue,
      // A task taken while every thread is busy goes back to the head of its lane, not the tail.
      stricterFIFO: true,
      idleTimeout: Number.POSITIVE_INFINITY,
      workerData,
    });
  }

  /** The embedder the pool's threads load. */
  get embedder(): EmbedderConfig {
    return this.options.embedder;
  }

  /** Loads the embedder in a worker and says what it is; call once before use. */
  async describe(): Promise<EmbedderDescription> {
    this.description ??= (await this.run({ kind: 'describe' }, 'recall')) as EmbedderDescription;
    return this.description;
  }

  /** True when new write work would be refused. */
  get saturated(): boolean {
    return this.queue.writeSize >= this.maxQueue;
  }

  /**
   * Embeds one text, batched with the others asked for in this turn in the
   * same lane. `recall` is for a query someone is waiting on: it is served
   * before queued writes.
   */
  embedOne(text: string, lane: EmbeddingLane = 'write'): Promise<Float32Array> {
    if (this.laneFull(lane)) return Promise.reject(new MemorySaturatedError(this.pool.queueSize));
    const batch = this.batches[lane];
    return new Promise((resolve, reject) => {
      batch.waiting.push({ text, resolve, reject });
      if (batch.waiting.length >= this.maxBatch) this.flush(batch);
      else if (!batch.flushScheduled) {
        batch.flushScheduled = true;
        setImmediate(() => this.flush(batch));
      }
    });
  }

  /** Embeds texts in one task; vectors packed row after row. */
  async embed(texts: readonly string[], lane: EmbeddingLane = 'write'): Promise<Float32Array> {
    if (texts.length === 0) return new Float32Array(0);
    return (await this.run({ kind: 'embed', texts }, lane)) as Float32Array;
  }

  /**
   * Builds a chat's index from stored items and vectors and writes it to
   * `dir`; with `vectors` null the items' texts are embedded again in the
   * same task. Returns the live count.
   */
  async buildIndex(
    dir: string,
    chatId: number,
    dims: number,
    items: MemoryItem[],
    vectors: Float32Array | null,
  ): Promise<number> {
    const bytes = vectors === null ? null : new Uint8Array(vectors.buffer, vectors.byteOffset, vectors.byteLength);
    return (await this.run({ kind: 'build-index', dir, chatId, dims, items, vectors: bytes }, 'write')) as number;
  }

  /** Tasks waiting for a thread (cheap: `stats()` also computes utilisation). */
  get queued(): number {
    return this.pool.queueSize;
  }

  stats(): EmbeddingPoolStats {
    return {
      threads: this.pool.threads.length,
      queued: this.pool.queueSize,
      utilisation: this.pool.utilization,
      completed: this.pool.completed,
    };
  }

  async close(): Promise<void> {
    this.flush(this.batches.recall);
    this.flush(this.batches.write);
    await this.pool.close({ force: false });
  }

  private laneFull(lane: EmbeddingLane): boolean {
    return (lane === 'recall' ? this.queue.recallSize : this.queue.writeSize) >= this.maxQueue;
  }

  private flush(batch: Batch): void {
    batch.flushScheduled = false;
    const waiting = batch.waiting;
    if (waiting.length === 0) return;
    batch.waiting = [];
    const texts = new Array<string>(waiting.length);
    for (let i = 0; i < waiting.length; i++) texts[i] = (waiting[i] as Waiting).text;
    this.embed(texts, batch.lane).then(
      (vectors) => {
        const dims = vectors.length / waiting.length;
        for (let i = 0; i < waiting.length; i++)
          (waiting[i] as Waiting).resolve(vectors.slice(i * dims, (i + 1) * dims));
      },
      (error: unknown) => {
        for (const w of waiting) w.reject(error);
      },
    );
  }

  private async run(task: EmbeddingTask, lane: EmbeddingLane): Promise<unknown> {
    if (this.laneFull(lane)) throw new MemorySaturatedError(this.pool.queueSize);
    const envelope = this.codec.encode(task);
    if (lane === 'recall') Object.defineProperty(envelope, Piscina.queueOptionsSymbol, { value: RECALL_LANE_OPTIONS });
    try {
      return await this.pool.run(envelope, { transferList: [envelope.buffer as ArrayBuffer] });
    } catch (error) {
      if (error instanceof Error && /queue is at limit/i.test(error.message))
        throw new MemorySaturatedError(this.pool.queueSize);
      throw error;
    }
  }
}
