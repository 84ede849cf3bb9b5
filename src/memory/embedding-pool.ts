import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';
import { Codec, workerScript } from '../runtime/index.js';
import type { EmbedderConfig, EmbedderDescription, EmbeddingTask, EmbeddingWorkerData } from './embedding-task.js';
import { MemorySaturatedError } from './errors.js';
import type { MemoryItem } from '../ports/index.js';

export interface EmbeddingPoolOptions {
  embedder: EmbedderConfig;
  /** Worker threads; the number of cores by default. */
  threads?: number;
  /** Tasks that may wait for a thread before new work is refused. */
  maxQueue?: number;
  /** Texts embedded in one task at most. */
  maxBatch?: number;
}

interface Waiting {
  text: string;
  resolve: (vector: Float32Array) => void;
  reject: (error: unknown) => void;
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
 * as one batch; when the pool's queue is full, new work is refused at once
 * with {@link MemorySaturatedError} instead of waiting.
 */
export class EmbeddingPool {
  private readonly pool: Piscina;
  private readonly codec = new Codec();
  private readonly maxQueue: number;
  private readonly maxBatch: number;
  private batch: Waiting[] = [];
  private flushScheduled = false;
  private description: EmbedderDescription | null = null;

  constructor(options: EmbeddingPoolOptions) {
    const threads = options.threads ?? availableParallelism();
    this.maxQueue = options.maxQueue ?? threads * 16;
    this.maxBatch = options.maxBatch ?? 64;
    const script = workerScript(import.meta.url, 'embedding-worker');
    const workerData: EmbeddingWorkerData = { embedder: options.embedder };
    this.pool = new Piscina({
      filename: script.url.href,
      execArgv: script.execArgv,
      minThreads: threads,
      maxThreads: threads,
      maxQueue: this.maxQueue,
      idleTimeout: Number.POSITIVE_INFINITY,
      workerData,
    });
  }

  /** Loads the embedder in a worker and says what it is; call once before use. */
  async describe(): Promise<EmbedderDescription> {
    this.description ??= (await this.run({ kind: 'describe' })) as EmbedderDescription;
    return this.description;
  }

  /** True when new work would be refused. */
  get saturated(): boolean {
    return this.pool.queueSize >= this.maxQueue;
  }

  /** Embeds one text, batched with the others asked for in this turn. */
  embedOne(text: string): Promise<Float32Array> {
    if (this.saturated) return Promise.reject(new MemorySaturatedError(this.pool.queueSize));
    return new Promise((resolve, reject) => {
      this.batch.push({ text, resolve, reject });
      if (this.batch.length >= this.maxBatch) this.flush();
      else if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  /** Embeds texts in one task; vectors packed row after row. */
  async embed(texts: readonly string[]): Promise<Float32Array> {
    if (texts.length === 0) return new Float32Array(0);
    return (await this.run({ kind: 'embed', texts: [...texts] })) as Float32Array;
  }

  /** Builds a chat's index from stored items and vectors and writes it to `dir`. Returns the live count. */
  async buildIndex(
    dir: string,
    chatId: number,
    dims: number,
    items: MemoryItem[],
    vectors: Float32Array,
  ): Promise<number> {
    const bytes = new Uint8Array(vectors.buffer, vectors.byteOffset, vectors.byteLength);
    return (await this.run({ kind: 'build-index', dir, chatId, dims, items, vectors: bytes })) as number;
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
    this.flush();
    await this.pool.close({ force: false });
  }

  private flush(): void {
    this.flushScheduled = false;
    const batch = this.batch;
    if (batch.length === 0) return;
    this.batch = [];
    this.embed(batch.map((w) => w.text)).then(
      (vectors) => {
        const dims = vectors.length / batch.length;
        batch.forEach((w, i) => w.resolve(vectors.slice(i * dims, (i + 1) * dims)));
      },
      (error: unknown) => {
        for (const w of batch) w.reject(error);
      },
    );
  }

  private async run(task: EmbeddingTask): Promise<unknown> {
    const envelope = this.codec.encode(task);
    try {
      return await this.pool.run(envelope, { transferList: [envelope.buffer as ArrayBuffer] });
    } catch (error) {
      if (error instanceof Error && /queue is at limit/i.test(error.message))
        throw new MemorySaturatedError(this.pool.queueSize);
      throw error;
    }
  }
}
