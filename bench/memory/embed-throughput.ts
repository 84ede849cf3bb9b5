import { type EmbedderConfig, EmbeddingPool } from '../../src/memory/index.js';

export interface EmbedThroughput {
  embedder: string;
  threads: number;
  /** Texts per second by batch size (texts in one pool task). */
  perS: Map<number, number>;
}

/**
 * Texts per second through an {@link EmbeddingPool} on real worker threads,
 * for each batch size: `EmbeddingPool.embed` of `batch` texts per task, with
 * two tasks per thread in flight so no thread waits for the main thread.
 */
export async function measureEmbedThroughput(
  embedder: EmbedderConfig,
  texts: readonly string[],
  batches: readonly number[],
  durationMs: number,
  progress: (message: string) => void,
): Promise<EmbedThroughput> {
  const pool = new EmbeddingPool({ embedder });
  try {
    const description = await pool.describe();
    const threads = pool.stats().threads;
    const perS = new Map<number, number>();
    let cursor = 0;
    const nextBatch = (size: number): string[] => {
      const batch: string[] = [];
      for (let i = 0; i < size; i++) batch.push(texts[cursor++ % texts.length] as string);
      return batch;
    };
    for (const batch of batches) {
      progress(`memory: embedding with ${description.name}, batches of ${batch}`);
      // Warm-up: every thread has loaded the embedder and run the hot code.
      await Promise.all(Array.from({ length: threads * 4 }, () => pool.embed(nextBatch(batch))));
      let embedded = 0;
      const startedMs = performance.now();
      const deadlineMs = startedMs + durationMs;
      const lane = async (): Promise<void> => {
        while (performance.now() < deadlineMs) {
          await pool.embed(nextBatch(batch));
          embedded += batch;
        }
      };
      await Promise.all(Array.from({ length: threads * 2 }, lane));
      perS.set(batch, (embedded / (performance.now() - startedMs)) * 1000);
    }
    return { embedder: description.name, threads, perS };
  } finally {
    await pool.close();
  }
}
