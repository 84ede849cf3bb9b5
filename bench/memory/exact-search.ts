/**
 * Brute-force nearest neighbours: the dot product of the query with every
 * row (the vectors are L2-normalised, so it is the cosine similarity),
 * keeping the `k` best. The baseline HNSW is compared with, and the ground
 * truth of its recall.
 */
export function exactTopK(
  rows: Float32Array,
  count: number,
  dims: number,
  query: Float32Array,
  k: number,
): { rows: Int32Array; similarities: Float64Array } {
  const best = new Int32Array(k).fill(-1);
  const scores = new Float64Array(k).fill(Number.NEGATIVE_INFINITY);
  for (let row = 0; row < count; row++) {
    const offset = row * dims;
    let dot = 0;
    for (let i = 0; i < dims; i++) dot += (rows[offset + i] as number) * (query[i] as number);
    if (dot <= (scores[k - 1] as number)) continue;
    let at = k - 1;
    while (at > 0 && (scores[at - 1] as number) < dot) {
      scores[at] = scores[at - 1] as number;
      best[at] = best[at - 1] as number;
      at--;
    }
    scores[at] = dot;
    best[at] = row;
  }
  return { rows: best, similarities: scores };
}

export function similarity(rows: Float32Array, row: number, dims: number, query: Float32Array): number {
  let dot = 0;
  const offset = row * dims;
  for (let i = 0; i < dims; i++) dot += (rows[offset + i] as number) * (query[i] as number);
  return dot;
}
