import { move } from 'piscina';
import { workerData } from 'node:worker_threads';
import { Codec, lowerThreadPriority } from '../runtime/index.js';
import { ChatIndex } from './chat-index.js';
import type { Embedder } from './embedder.js';
import type { EmbedderConfig, EmbedderDescription, EmbeddingTask, EmbeddingWorkerData } from './embedding-task.js';
import { HashEmbedder } from './hash-embedder.js';
import { loadTransformersEmbedder } from './transformers-embedder.js';

/**
 * One thread of the embedding pool. Tasks arrive msgpack-encoded; vectors
 * go back as a transferred `Float32Array` (Piscina moves only a top-level
 * return value, so the vectors are the whole result).
 */
const codec = new Codec();
const { embedder: config, niceness } = workerData as EmbeddingWorkerData;
// Embedding is background work: the event loop and the shards come first.
lowerThreadPriority(niceness);
let embedder: Promise<Embedder> | null = null;

function loadEmbedder(cfg: EmbedderConfig): Promise<Embedder> {
  if (cfg.kind === 'hash') return Promise.resolve(new HashEmbedder(cfg.dims));
  const { kind: _, ...options } = cfg;
  // transformers.js itself is imported by the loader, so hash-only pools never load it.
  return loadTransformersEmbedder(options);
}

function theEmbedder(): Promise<Embedder> {
  // A failed load is retried by the next task rather than cached.
  embedder ??= loadEmbedder(config).catch((error: unknown) => {
    embedder = null;
    throw error;
  });
  return embedder;
}

export default async function run(envelope: Uint8Array): Promise<unknown> {
  const task = codec.decode(envelope) as EmbeddingTask;
  switch (task.kind) {
    case 'embed': {
      const vectors = await (await theEmbedder()).embed(task.texts);
      return move(vectors);
    }
    case 'describe': {
      const loaded = await theEmbedder();
      const description: EmbedderDescription = { name: loaded.name, dims: loaded.dims };
      return description;
    }
    case 'build-index': {
      const vectors = await vectorsOf(task);
      const index = ChatIndex.build(task.chatId, task.dims, task.items, vectors);
      await index.write(task.dir);
      return index.live;
    }
  }
}

/** The stored vectors of a rebuild, or the items' texts embedded again when the store keeps none. */
async function vectorsOf(task: Extract<EmbeddingTask, { kind: 'build-index' }>): Promise<Float32Array> {
  const bytes = task.vectors;
  if (bytes !== null)
    return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  const loaded = await theEmbedder();
  if (loaded.dims !== task.dims)
    throw new Error(
      `cannot rebuild chat ${task.chatId}: the embedder makes ${loaded.dims} dims, the index has ${task.dims}`,
    );
  return loaded.embed(task.items.map((item) => item.text));
}
