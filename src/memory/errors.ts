import { LekhaError } from '../runtime/index.js';

/** The embedding pool's queue is full: the memory write is dropped (and counted), the chat goes on. */
export class MemorySaturatedError extends LekhaError {
  declare readonly code: 'MEMORY_SATURATED';

  constructor(readonly queued: number) {
    super('MEMORY_SATURATED', `the embedding pool is saturated (${queued} tasks waiting); memory work dropped`);
  }
}

/** A memory shard died with the request in flight; it is being restarted. */
export class MemoryShardDownError extends LekhaError {
  declare readonly code: 'MEMORY_SHARD_DOWN';

  constructor(
    readonly shard: number,
    cause?: unknown,
  ) {
    super('MEMORY_SHARD_DOWN', `memory shard ${shard} stopped with the request in flight; it is being restarted`, {
      cause,
    });
  }
}

/** The memory service was closed. */
export class MemoryClosedError extends LekhaError {
  declare readonly code: 'MEMORY_CLOSED';

  constructor() {
    super('MEMORY_CLOSED', 'the memory service is closed', { retryable: false });
  }
}

/**
 * The sentence model for `EMBEDDER=transformers` is not where the config says.
 * Not retryable: the operator has to place the files (Lekha never downloads
 * weights at run time).
 */
export class ModelMissingError extends LekhaError {
  declare readonly code: 'MEMORY_MODEL_MISSING';

  constructor(
    readonly modelPath: string,
    readonly missing: readonly string[],
  ) {
    super(
      'MEMORY_MODEL_MISSING',
      `sentence model not found at ${modelPath} (missing: ${missing.join(', ')}): ` +
        'place an ONNX export there as <MODEL_DIR>/<model>/{config.json, tokenizer.json, tokenizer_config.json, onnx/model.onnx} ' +
        '(onnx/model_quantized.onnx for dtype q8), or set EMBEDDER=hash',
      { retryable: false },
    );
  }
}

/** The model files are there but the runtime cannot load or run them (corrupt, unsupported). Not retryable. */
export class ModelLoadFailedError extends LekhaError {
  declare readonly code: 'MEMORY_MODEL_LOAD_FAILED';

  constructor(
    readonly modelPath: string,
    cause: unknown,
  ) {
    super(
      'MEMORY_MODEL_LOAD_FAILED',
      `sentence model at ${modelPath} cannot be loaded: ${cause instanceof Error ? cause.message : String(cause)}`,
      { retryable: false, cause },
    );
  }
}

/** `loadTransformersEmbedder` got options it cannot work with. Not retryable. */
export class EmbedderOptionsInvalidError extends LekhaError {
  declare readonly code: 'EMBEDDER_OPTIONS_INVALID';

  constructor(detail: string) {
    super('EMBEDDER_OPTIONS_INVALID', `embedder options are invalid: ${detail}`, { retryable: false });
  }
}
