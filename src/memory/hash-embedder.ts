import { fnv1a, InvalidOptionError } from '../runtime/index.js';
import type { Embedder } from './embedder.js';

/** Dimensions of the hashing embedder: what sentence models of its class use. */
export const HASH_EMBEDDER_DIMS = 384;

/** Weight of a whole word next to one of its character trigrams. */
const WORD_WEIGHT = 2;

/**
 * The built-in embedder: feature hashing of character trigrams and whole
 * words of normalised text (lower case, `ё` as `е`, letters and digits
 * only), each feature added to one of `dims` buckets with a hashed sign,
 * then L2-normalised. It needs no weights, gives the same vector for the
 * same text everywhere, and places texts that share words and word pieces
 * (including inflected Russian forms, which share trigrams) close together.
 * It knows nothing of synonyms; for that, configure a sentence model
 * (`EMBEDDER=transformers`).
 *
 * Written here rather than taken from a library: it is forty lines, and no
 * package does Cyrillic-aware hashing embeddings without pulling a model in.
 */
export class HashEmbedder implements Embedder {
  readonly name: string;

  constructor(readonly dims: number = HASH_EMBEDDER_DIMS) {
    if (!Number.isInteger(dims) || dims < 8)
      throw new InvalidOptionError('dims', `hash embedder dims must be an integer ≥ 8, got ${dims}`);
    this.name = `hash-${dims}`;
  }

  embed(texts: readonly string[]): Promise<Float32Array> {
    return Promise.resolve(this.embedSync(texts));
  }

  /** The same as {@link embed}, synchronously (the worker calls this). */
  embedSync(texts: readonly string[]): Float32Array {
    const out = new Float32Array(texts.length * this.dims);
    texts.forEach((text, i) => this.embedInto(text, out.subarray(i * this.dims, (i + 1) * this.dims)));
    return out;
  }

  private embedInto(text: string, row: Float32Array): void {
    for (const word of normaliseForEmbedding(text).split(' ')) {
      if (word.length === 0) continue;
      this.addFeature(row, `w:${word}`, WORD_WEIGHT);
      const padded = ` ${word} `;
      for (let i = 0; i + 3 <= padded.length; i++) this.addFeature(row, padded.slice(i, i + 3), 1);
    }
    let norm = 0;
    for (let i = 0; i < row.length; i++) norm += (row[i] as number) ** 2;
    if (norm === 0) return;
    const scale = 1 / Math.sqrt(norm);
    for (let i = 0; i < row.length; i++) row[i] = (row[i] as number) * scale;
  }

  private addFeature(row: Float32Array, feature: string, weight: number): void {
    const hash = fnv1a(feature);
    const bucket = (hash >>> 1) % this.dims;
    row[bucket] = (row[bucket] as number) + (hash & 1 ? weight : -weight);
  }
}

/** Lower case, `ё` → `е`, anything but letters and digits → one space. */
export function normaliseForEmbedding(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replaceAll('ё', 'е')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}
