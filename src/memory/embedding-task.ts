import type { MemoryItem } from '../ports/index.js';
import type { TransformersEmbedderOptions } from './transformers-embedder.js';

/** Which embedder the pool's workers load. */
export type EmbedderConfig =
  { kind: 'hash'; dims?: number | undefined } | ({ kind: 'transformers' } & TransformersEmbedderOptions);

/** What every pool worker is started with. */
export interface EmbeddingWorkerData {
  embedder: EmbedderConfig;
  /** OS nice value the thread gives itself (see `lowerThreadPriority`). */
  niceness: number;
}

/**
 * A task for the embedding pool, sent msgpack-encoded: embed texts, name
 * the loaded embedder, or rebuild a chat's index from stored vectors (the
 * CPU-heavy part of recovering a lost or stale index file); without stored
 * vectors (`vectors: null`) the items' texts are embedded again first.
 */
export type EmbeddingTask =
  | { kind: 'embed'; texts: readonly string[] }
  | { kind: 'describe' }
  | { kind: 'build-index'; dir: string; chatId: number; dims: number; items: MemoryItem[]; vectors: Uint8Array | null };

export interface EmbedderDescription {
  name: string;
  dims: number;
}
