/**
 * Turns texts into sentence vectors. Every vector is L2-normalised, so the
 * dot product of two of them is their cosine similarity. Implementations
 * run inside the embedding pool's worker threads, never on the main thread.
 */
export interface Embedder {
  /** Stable name, recorded with every stored vector (`hash-384`, `transformers:<model>`). */
  readonly name: string;
  readonly dims: number;
  /**
   * One vector per text, packed row after row: text `i` is at
   * `[i * dims, (i + 1) * dims)`. A text with nothing to embed (no letters
   * or digits) gets the zero vector.
   */
  embed(texts: readonly string[]): Promise<Float32Array>;
}
