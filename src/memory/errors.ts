import { LekhaError } from '../runtime/index.js';

/** The embedding pool's queue is full: the memory write is dropped (and counted), the chat goes on. */
export class MemorySaturatedError extends LekhaError {
  constructor(readonly queued: number) {
    super('MEMORY_SATURATED', `the embedding pool is saturated (${queued} tasks waiting); memory work dropped`);
  }
}

/** A memory shard died with the request in flight; it is being restarted. */
export class MemoryShardDownError extends LekhaError {
  constructor(readonly shard: number, cause?: unknown) {
    super('MEMORY_SHARD_DOWN', `memory shard ${shard} stopped with the request in flight; it is being restarted`, { cause });
  }
}

/** The memory service was closed. */
export class MemoryClosedError extends LekhaError {
  constructor() {
    super('MEMORY_CLOSED', 'the memory service is closed', { retryable: false });
  }
}
