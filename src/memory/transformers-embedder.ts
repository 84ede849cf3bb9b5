import { existsSync } from 'node:fs';
import path from 'node:path';
import type { FeatureExtractionPipeline, Tensor } from '@huggingface/transformers';
import type { Embedder } from './embedder.js';
import { EmbedderOptionsInvalidError, ModelLoadFailedError, ModelMissingError } from './errors.js';

/** Which ONNX file of the model to run; transformers.js maps each to a file under `onnx/`. */
export type ModelDtype = 'fp32' | 'q8';

const MODEL_FILES: Readonly<Record<ModelDtype, string>> = {
  fp32: 'onnx/model.onnx',
  q8: 'onnx/model_quantized.onnx',
};

const CONFIG_FILES = ['config.json', 'tokenizer.json', 'tokenizer_config.json'] as const;

/** Chat lines rarely pass 128 tokens; longer texts keep their head, and attention cost stays bounded. */
const MAX_TOKENS = 128;

/** Texts without a letter or digit get the zero vector (the `Embedder` contract) and never reach the model. */
const HAS_CONTENT = /[\p{L}\p{N}]/u;

export interface TransformersEmbedderOptions {
  /** The directory holding models, one per subdirectory: `<modelDir>/<model>/config.json`, … */
  modelDir: string;
  /** The model's path under `modelDir`, e.g. `Xenova/multilingual-e5-small`. */
  model: string;
  /** `fp32` runs `onnx/model.onnx`, `q8` runs `onnx/model_quantized.onnx`. Default `fp32`. */
  dtype?: ModelDtype;
  /** Lets transformers.js fetch missing files from the Hugging Face Hub. Default false: production machines place models by hand. */
  allowRemoteModels?: boolean;
}

/**
 * Loads a sentence model from disk with transformers.js and ONNX Runtime and
 * returns it as an `Embedder` (mean pooling, L2-normalised), named
 * `transformers:<model>`.
 *
 * Call it inside each embedding worker thread: transformers.js keeps its
 * settings in a per-thread global, which this function sets, so loads in one
 * thread must not run concurrently with different `modelDir`s. ONNX Runtime
 * gets one intra-op thread: the pool already runs one worker per core, and
 * the default (one thread per core in every worker) oversubscribes them.
 *
 * Fails with `ModelMissingError` (`MEMORY_MODEL_MISSING`) when the model's
 * files are not in place, and with `ModelLoadFailedError` when they are but
 * do not load or run.
 */
export async function loadTransformersEmbedder(options: TransformersEmbedderOptions): Promise<Embedder> {
  const dtype = validateOptions(options);
  const modelDir = path.resolve(options.modelDir);
  const modelPath = path.join(modelDir, options.model);
  const allowRemoteModels = options.allowRemoteModels ?? false;
  if (!allowRemoteModels) {
    const missing = [...CONFIG_FILES, MODEL_FILES[dtype]].filter((file) => !existsSync(path.join(modelPath, file)));
    if (missing.length > 0) throw new ModelMissingError(modelPath, missing);
  }

  const transformers = await import('@huggingface/transformers');
  transformers.env.allowLocalModels = true;
  transformers.env.allowRemoteModels = allowRemoteModels;
  transformers.env.localModelPath = modelDir;

  let extractor: FeatureExtractionPipeline;
  try {
    extractor = await transformers.pipeline('feature-extraction', options.model, {
      dtype,
      device: 'cpu',
      session_options: { intraOpNumThreads: 1, interOpNumThreads: 1 },
    });
  } catch (err) {
    throw new ModelLoadFailedError(modelPath, err);
  }

  const embedRows = async (texts: string[]): Promise<Tensor> => {
    const inputs = extractor.tokenizer(texts, { padding: true, truncation: true, max_length: MAX_TOKENS });
    const outputs = (await extractor.model(inputs)) as Record<string, Tensor | undefined>;
    const hidden = outputs.last_hidden_state ?? outputs.token_embeddings;
    if (hidden === undefined) {
      throw new ModelLoadFailedError(
        modelPath,
        new Error(`the model has no last_hidden_state output (it has ${Object.keys(outputs).join(', ')})`),
      );
    }
    return transformers.mean_pooling(hidden, inputs.attention_mask as Tensor).normalize(2, -1);
  };

  // One run at load: the vector size comes from the model's real output, and
  // a model that loads but cannot run fails here rather than on the first chat line.
  let dims: number;
  try {
    const probe = await embedRows(['probe']);
    dims = probe.dims[1] ?? 0;
  } catch (err) {
    throw err instanceof ModelLoadFailedError ? err : new ModelLoadFailedError(modelPath, err);
  }
  if (!Number.isInteger(dims) || dims <= 0) {
    throw new ModelLoadFailedError(modelPath, new Error(`the model's pooled output has no vector dimension`));
  }

  return {
    name: `transformers:${options.model}`,
    dims,
    async embed(texts: readonly string[]): Promise<Float32Array> {
      const vectors = new Float32Array(texts.length * dims);
      const rows: number[] = [];
      const batch: string[] = [];
      for (let row = 0; row < texts.length; row++) {
        const text = texts[row] ?? '';
        if (HAS_CONTENT.test(text)) {
          rows.push(row);
          batch.push(text);
        }
      }
      if (batch.length === 0) return vectors;
      const pooled = (await embedRows(batch)).data as Float32Array;
      for (let i = 0; i < rows.length; i++) {
        vectors.set(pooled.subarray(i * dims, (i + 1) * dims), (rows[i] ?? 0) * dims);
      }
      return vectors;
    },
  };
}

function validateOptions(options: TransformersEmbedderOptions): ModelDtype {
  if (typeof options.modelDir !== 'string' || options.modelDir.length === 0) {
    throw new EmbedderOptionsInvalidError('modelDir must be a non-empty path');
  }
  if (typeof options.model !== 'string' || options.model.length === 0) {
    throw new EmbedderOptionsInvalidError('model must be a non-empty model name');
  }
  const dtype = options.dtype ?? 'fp32';
  // transformers.js silently falls back to its default for a dtype it does not know.
  if (!Object.hasOwn(MODEL_FILES, dtype)) {
    throw new EmbedderOptionsInvalidError(
      `dtype must be one of ${Object.keys(MODEL_FILES).join(', ')}, got ${String(dtype)}`,
    );
  }
  return dtype;
}
