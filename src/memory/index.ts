export { ChatIndex, EXACT_INITIAL_ROWS, EXACT_LIMIT, SEARCH_EF } from './chat-index.js';
export type { Embedder } from './embedder.js';
export { EmbeddingPool, type EmbeddingPoolOptions, type EmbeddingPoolStats } from './embedding-pool.js';
export type { EmbedderConfig, EmbedderDescription } from './embedding-task.js';
export {
  EmbedderOptionsInvalidError,
  MemoryClosedError,
  MemorySaturatedError,
  MemoryShardDownError,
  ModelLoadFailedError,
  ModelMissingError,
} from './errors.js';
export { loadTransformersEmbedder, type TransformersEmbedderOptions } from './transformers-embedder.js';
export { HASH_EMBEDDER_DIMS, HashEmbedder, normaliseForEmbedding } from './hash-embedder.js';
export { InMemoryMemoryStore } from './in-memory-memory-store.js';
export type { MemoryHit, SearchFilter } from './memory-item.js';
export type { MemoryPort, RecallRequest, RememberOutcome, RememberRequest } from './memory-port.js';
export {
  indexDirUnder,
  type MemoryRetention,
  MemoryService,
  type MemoryServiceOptions,
  type MemoryStats,
} from './memory-service.js';
export { MemoryShards, type MemoryShardsOptions } from './memory-shards.js';
export type { ShardStats } from './memory-shard-api.js';
export type { FeedbackUpdate, IndexStamp, MemoryItem, MemoryKind, MemoryStore, NewMemory } from '../ports/index.js';
