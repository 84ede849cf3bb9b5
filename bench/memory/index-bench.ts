import { ChatIndex, EXACT_LIMIT, type MemoryItem, MemoryShards } from '../../src/memory/index.js';
import { exactTopK, similarity } from './exact-search.js';

const K = 10;
/** Memories per `add` call when filling an index. */
const INSERT_BATCH = 100;
/** Searches in flight against the shard: enough to keep its thread busy across the message round trips. */
const SHARD_QUERIES_IN_FLIGHT = 8;
/** Similarities closer than this count as ties: the corpus has repeated lines, whose vectors are identical. */
const TIE_EPSILON = 1e-5;

/** The memories an index is filled with: rows of `vectors`, labelled `row + 1`. */
export interface IndexCorpus {
  dims: number;
  lines: readonly string[];
  vectors: Float32Array;
  /** Query vectors, packed; none of their texts is in `lines`. */
  queries: Float32Array;
}

export interface IndexFigures {
  size: number;
  queries: number;
  /** One memory shard, through comlink. */
  shard: { insertPerS: number; queryPerS: number };
  /** A ChatIndex on the main thread: the same work without the thread hop. */
  local: { insertPerS: number; queryPerS: number };
  /** Brute-force exact search on the main thread. */
  exactQueryPerS: number;
  /** Mean top-10 recall of the ChatIndex against the exact top-10 (ties count as hits), and the worst query's. */
  recallAt10: number;
  recallWorst: number;
}

/**
 * Fills one memory shard (through its comlink API) and a main-thread
 * ChatIndex with the first `size` memories of the corpus and times inserts
 * and k=10 searches; then measures the ChatIndex's recall and the speed of
 * brute-force search on the same queries.
 */
export async function measureIndex(
  corpus: IndexCorpus,
  size: number,
  dir: string,
  queryMs: number,
  progress: (message: string) => void,
): Promise<IndexFigures> {
  const { dims, queries } = corpus;
  const queryCount = queries.length / dims;
  const label = `${Math.round(size / 1000)}k`;
  const items = (start: number, end: number): MemoryItem[] =>
    Array.from({ length: end - start }, (_, i) => memoryItem(corpus, start + i));
  // Structured clone copies a view's whole buffer: every vector crossing to the shard is sliced to its own.
  const rows = (start: number, end: number): Float32Array => corpus.vectors.slice(start * dims, end * dims);
  const query = (i: number): Float32Array => queries.slice((i % queryCount) * dims, ((i % queryCount) + 1) * dims);

  progress(`memory: shard index, inserting ${label}`);
  const shards = new MemoryShards({ shards: 1, dir });
  const chatId = 1;
  let shard: IndexFigures['shard'];
  try {
    await shards.call(chatId, (api) => api.load(chatId, dims, { maxRevision: 0, live: 0 }));
    let startedMs = performance.now();
    for (let start = 0; start < size; start += INSERT_BATCH) {
      const end = Math.min(size, start + INSERT_BATCH);
      await shards.call(chatId, (api) => api.add(chatId, items(start, end), rows(start, end)));
    }
    const insertPerS = (size / (performance.now() - startedMs)) * 1000;

    progress(`memory: shard index, searching ${label}`);
    let searched = 0;
    startedMs = performance.now();
    const deadlineMs = startedMs + queryMs;
    const lane = async (): Promise<void> => {
      while (performance.now() < deadlineMs) {
        await shards.call(chatId, (api) => api.search(chatId, query(searched++), K));
      }
    };
    await Promise.all(Array.from({ length: SHARD_QUERIES_IN_FLIGHT }, lane));
    shard = { insertPerS, queryPerS: (searched / (performance.now() - startedMs)) * 1000 };
    await shards.call(chatId, (api) => api.unload(chatId, false));
  } finally {
    await shards.close();
  }

  progress(`memory: main-thread ChatIndex, inserting ${label}`);
  const index = ChatIndex.create(chatId, dims);
  let startedMs = performance.now();
  for (let start = 0; start < size; start += INSERT_BATCH) {
    const end = Math.min(size, start + INSERT_BATCH);
    index.add(items(start, end), corpus.vectors.subarray(start * dims, end * dims));
  }
  const localInsertPerS = (size / (performance.now() - startedMs)) * 1000;

  progress(`memory: main-thread ChatIndex, searching ${label}`);
  const found: number[][] = [];
  for (let i = 0; i < queryCount; i++) found.push(index.search(query(i), K).map((hit) => hit.id - 1));
  let searched = queryCount;
  startedMs = performance.now();
  while (performance.now() - startedMs < queryMs) index.search(query(searched++), K);
  const localQueryPerS = ((searched - queryCount) / (performance.now() - startedMs)) * 1000;

  progress(`memory: brute-force search and recall at ${label}`);
  startedMs = performance.now();
  const exact = Array.from({ length: queryCount }, (_, i) => exactTopK(corpus.vectors, size, dims, query(i), K));
  const exactQueryPerS = (queryCount / (performance.now() - startedMs)) * 1000;
  const recall = recallAt10(corpus, exact, found);

  return {
    size,
    queries: queryCount,
    shard,
    local: { insertPerS: localInsertPerS, queryPerS: localQueryPerS },
    exactQueryPerS,
    recallAt10: recall.mean,
    recallWorst: recall.worst,
  };
}

/**
 * Recall@10 of the exact tier (8-bit codes) against brute force over the
 * 32-bit floats, on the first EXACT_LIMIT memories of the corpus: what a
 * chat below the HNSW tier gets.
 */
export function measureExactTierRecall(corpus: IndexCorpus): { size: number; mean: number; worst: number } {
  const { dims, queries } = corpus;
  const queryCount = queries.length / dims;
  const size = Math.min(EXACT_LIMIT, corpus.lines.length);
  const items = Array.from({ length: size }, (_, row) => memoryItem(corpus, row));
  const index = ChatIndex.build(1, dims, items, corpus.vectors.subarray(0, size * dims));
  if (index.tier !== 'exact') throw new Error(`${size} memories should be in the exact tier`);
  const found: number[][] = [];
  const exact: ReturnType<typeof exactTopK>[] = [];
  for (let i = 0; i < queryCount; i++) {
    const query = queries.subarray(i * dims, (i + 1) * dims);
    found.push(index.search(query, K).map((hit) => hit.id - 1));
    exact.push(exactTopK(corpus.vectors, size, dims, query, K));
  }
  return { size, ...recallAt10(corpus, exact, found) };
}

/** Mean and worst top-10 recall of `found` (rows, per query) against `exact`; ties with the 10th exact neighbour count as hits. */
function recallAt10(
  corpus: IndexCorpus,
  exact: readonly ReturnType<typeof exactTopK>[],
  found: readonly number[][],
): { mean: number; worst: number } {
  const { dims, queries } = corpus;
  let sum = 0;
  let worst = 1;
  exact.forEach((truth, i) => {
    const query = queries.subarray(i * dims, (i + 1) * dims);
    const threshold = (truth.similarities[K - 1] as number) - TIE_EPSILON;
    const hits = (found[i] ?? []).filter((row) => similarity(corpus.vectors, row, dims, query) >= threshold).length;
    const recall = Math.min(hits, K) / K;
    sum += recall;
    worst = Math.min(worst, recall);
  });
  return { mean: sum / exact.length, worst };
}

/** The memory of the corpus's row `row`, labelled `row + 1`. */
function memoryItem(corpus: IndexCorpus, row: number): MemoryItem {
  return {
    id: row + 1,
    kind: 'message',
    text: corpus.lines[row] as string,
    fromId: 1000 + (row % 25),
    ms: 1_750_000_000_000 + row * 1000,
    feedback: 0,
    messageId: row + 1,
    recalledIds: [],
    revision: row + 1,
  };
}
