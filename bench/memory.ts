import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { HashEmbedder, SEARCH_EF } from '../src/memory/index.js';
import { takeLines } from './memory/chat-lines.js';
import { type EmbedThroughput, measureEmbedThroughput } from './memory/embed-throughput.js';
import { measureEventLoopUnderLoad } from './memory/event-loop-under-load.js';
import { type IndexCorpus, type IndexFigures, measureExactTierRecall, measureIndex } from './memory/index-bench.js';
import { preloadChats, startMemoryEdge } from './memory/memory-edge.js';
import { measurePlatformFloor } from './memory/platform-floor.js';
import { measureRecallLatency } from './memory/recall-latency.js';
import type { BenchContext, Scenario, ScenarioResult, Target } from './report.js';

interface Sizes {
  /** Timed run per embedder and batch size. */
  embedMs: number;
  /** Index sizes; the first is the headline `hnsw_*` and `recall_at_10` figure. */
  indexSizes: [number, number];
  /** Queries for recall and brute force (and, looped, for search throughput). */
  queries: number;
  /** Timed search run per index. */
  queryMs: number;
  chats: number;
  linesPerChat: number;
  recallMs: number;
  /** Each of the two platform-floor measurements. */
  floorMs: number;
  eventLoopMs: number;
}

const fullSizes: Sizes = {
  embedMs: 3000,
  indexSizes: [10_000, 100_000],
  queries: 300,
  queryMs: 2000,
  chats: 200,
  linesPerChat: 300,
  recallMs: 10_000,
  floorMs: 3000,
  eventLoopMs: 5000,
};
const quickSizes: Sizes = {
  embedMs: 400,
  indexSizes: [10_000, 15_000],
  queries: 200,
  queryMs: 400,
  chats: 100,
  linesPerChat: 100,
  recallMs: 2500,
  floorMs: 1000,
  eventLoopMs: 2000,
};

const BATCHES = [1, 16, 64] as const;
const RECALL_RATE_PER_S = 1000;
/** Memory writes left unsettled at most while the event loop is watched: twice what the service holds before dropping (1000 pending). */
const WRITES_IN_FLIGHT = 2000;
/** New writes per 1 ms tick at most: 10,000/s, a very busy deployment's whole ingress. */
const WRITES_PER_TICK = 10;
/** Embedding tasks kept coming to hold the pool's queue at its limit (2 threads + a queue of 32 by default). */
const FILL_LANES = 40;

/**
 * Long-term memory (src/memory): embedding throughput of the pool on the
 * hash embedder and the shipped tiny model, HNSW insert and search in one
 * memory shard, recall@10 against brute force, recall latency seen by chat
 * actors at 1000 recalls/s (next to the machine's own floor for a thread
 * round trip), and the main thread's event-loop delay while the pool is
 * saturated and memory writes keep coming. Baseline: brute-force exact
 * search on the main thread.
 */
export const scenario: Scenario = {
  name: 'memory',
  description:
    'memory edge: embedding pool, HNSW shards, recall@10, recall latency from an actor, event-loop delay under write overload; baseline brute-force search',
  run,
};

async function run({ quick, progress }: BenchContext): Promise<ScenarioResult> {
  const size = quick ? quickSizes : fullSizes;
  const results: Record<string, number> = {};
  const baseline: Record<string, number> = {};
  const targets: Record<string, Target> = {};
  const notes: string[] = [
    `load average at start (the machine is shared): ${loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')}`,
  ];

  const sample = takeLines(3, 4096);
  const hash = await measureEmbedThroughput({ kind: 'hash' }, sample, BATCHES, size.embedMs, progress);
  const tiny = await measureEmbedThroughput(
    { kind: 'transformers', modelDir: modelDir(), model: 'lekha-tiny' },
    sample,
    BATCHES,
    size.embedMs,
    progress,
  );
  reportEmbedding('embed_hash', hash, results, notes);
  reportEmbedding('embed_tiny_model', tiny, results, notes);

  const [small, large] = size.indexSizes;
  const { indexes, exactTier } = await measureIndexes(size, progress);
  results.exact_tier_recall_at_10 = exactTier.mean;
  baseline.exact_tier_recall_at_10 = 1;
  targets.exact_tier_recall_at_10 = { '>=': 0.99 };
  notes.push(
    `exact tier (8-bit codes) at ${exactTier.size.toLocaleString('en-US')} memories, recall@10 against brute force over the 32-bit floats (${size.queries} queries, ties count as hits): mean ${fmt(exactTier.mean)}, worst query ${fmt(exactTier.worst)}`,
  );
  for (const figures of indexes) {
    reportIndex(
      figures,
      figures.size === small ? '' : `_${Math.round(figures.size / 1000)}k`,
      results,
      baseline,
      targets,
      notes,
    );
  }
  if (quick)
    notes.push(
      `quick: indexes of ${small.toLocaleString('en-US')} and ${large.toLocaleString('en-US')} vectors (the full run uses 10k and 100k)`,
    );

  const edge = await startMemoryEdge();
  try {
    await preloadChats(edge, size.chats, size.linesPerChat, progress);
    // The index phase leaves hundreds of MB of garbage; it is not the recall path's to collect.
    globalThis.gc?.();
    const floor = await measurePlatformFloor(RECALL_RATE_PER_S, size.floorMs, progress);
    results.thread_echo_p99_ms = floor.echo.p99Ms;
    results.event_loop_idle_p99_ms = floor.idleLoop.p99Ms;
    notes.push(
      `platform floor, nothing of Lekha running: a message to an echo-only worker thread and back at ${RECALL_RATE_PER_S}/s takes p50 ${fmt(floor.echo.p50Ms)} ms, p99 ${fmt(floor.echo.p99Ms)} ms, max ${fmt(floor.echo.maxMs)} ms; ` +
        `an idle event loop reads p50 ${fmt(floor.idleLoop.p50Ms)} ms, p99 ${fmt(floor.idleLoop.p99Ms)} ms, max ${fmt(floor.idleLoop.maxMs)} ms (a recall on the hash embedder crosses threads once, to its shard, which embeds the query; on a model, twice: to the pool and to a shard)`,
    );
    const heapBefore = heapUsedAfterGc();
    const recall = await measureRecallLatency(edge.service, size.chats, RECALL_RATE_PER_S, size.recallMs, progress);
    // The actors are gone by now: what the recalls left behind on the heap stays for good.
    const retainedPerRecall = (heapUsedAfterGc() - heapBefore) / recall.asked;
    results.heap_retained_per_recall_bytes = retainedPerRecall;
    results.recall_p99_ms = recall.p99Ms;
    results.recall_p50_ms = recall.p50Ms;
    results.recall_achieved_per_s = recall.achievedPerS;
    targets.recall_p99_ms = { '<=': 10 };
    notes.push(
      `recall latency: ${recall.recalls.toLocaleString('en-US')} recalls (k=10, hash embedder) from chat actors under a Supervisor, ${RECALL_RATE_PER_S}/s offered over ${size.chats} chats of ${size.linesPerChat} memories each for ${size.recallMs / 1000} s; p50 ${fmt(recall.p50Ms)} ms, p99 ${fmt(recall.p99Ms)} ms, max ${fmt(recall.maxMs)} ms; ${recall.failed} failed; main-thread heap still held afterwards: ${Math.round(retainedPerRecall).toLocaleString('en-US')} bytes per recall (after a full GC)`,
    );

    globalThis.gc?.();
    const loop = await measureEventLoopUnderLoad(
      edge,
      {
        chats: size.chats,
        inFlight: WRITES_IN_FLIGHT,
        maxPerTick: WRITES_PER_TICK,
        fillLanes: FILL_LANES,
        durationMs: size.eventLoopMs,
      },
      progress,
    );
    results.event_loop_p99_ms = loop.p99Ms;
    results.event_loop_p50_ms = loop.p50Ms;
    results.writes_dropped_count = loop.dropped;
    targets.event_loop_p99_ms = { '<=': 5 };
    notes.push(
      `event loop (monitorEventLoopDelay, 1 ms resolution, which an idle loop's reading includes) for ${size.eventLoopMs / 1000} s with the pool's queue held full by ${FILL_LANES} lanes of 64-text tasks (${Math.round((loop.filled / size.eventLoopMs) * 1000).toLocaleString('en-US')} texts/s embedded; queue full on ${(loop.saturatedShare * 100).toFixed(0)}% of 1 ms ticks) and remember() offered over ${size.chats} chats at up to ${WRITES_PER_TICK} per tick (${WRITES_IN_FLIGHT} unsettled at most): ` +
        `p50 ${fmt(loop.p50Ms)} ms, p99 ${fmt(loop.p99Ms)} ms, max ${fmt(loop.maxMs)} ms; ${loop.offered.toLocaleString('en-US')} writes offered, ${loop.remembered.toLocaleString('en-US')} remembered, ${loop.dropped.toLocaleString('en-US')} dropped (service counter)`,
    );
  } finally {
    await edge.close();
  }

  notes.push(
    `load average at end: ${loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')}`,
  );
  return { results, baseline, targets, notes };
}

/** The shipped tiny model, found from this file in `bench/` and in `dist/bench/`. */
function modelDir(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const candidates = [
    path.resolve(here, '..', 'test', 'fixtures', 'models'),
    path.resolve(here, '..', '..', 'test', 'fixtures', 'models'),
  ];
  const found = candidates.find((dir) => existsSync(path.join(dir, 'lekha-tiny', 'config.json')));
  if (found === undefined) throw new Error(`the tiny model fixture is not in ${candidates.join(' or ')}`);
  return found;
}

/** Both index sizes, and the exact tier's recall, over one corpus, which is garbage once this returns. */
async function measureIndexes(
  size: Sizes,
  progress: (message: string) => void,
): Promise<{ indexes: IndexFigures[]; exactTier: ReturnType<typeof measureExactTierRecall> }> {
  const [small, large] = size.indexSizes;
  progress(`memory: embedding ${large.toLocaleString('en-US')} chat lines for the indexes`);
  const corpus = indexCorpus(large, size.queries);
  const dir = await mkdtemp(path.join(tmpdir(), 'lekha-bench-index-'));
  try {
    return {
      exactTier: measureExactTierRecall(corpus),
      indexes: [
        await measureIndex(corpus, small, dir, size.queryMs, progress),
        await measureIndex(corpus, large, dir, size.queryMs, progress),
      ],
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Hash-embedder vectors of `size` generated chat lines, and of `queries` other lines. */
function indexCorpus(size: number, queries: number): IndexCorpus {
  const embedder = new HashEmbedder();
  const lines = takeLines(1, size);
  const queryLines = takeLines(2, queries, new Set(lines));
  return { dims: embedder.dims, lines, vectors: embedder.embedSync(lines), queries: embedder.embedSync(queryLines) };
}

function reportEmbedding(
  prefix: string,
  figures: EmbedThroughput,
  results: Record<string, number>,
  notes: string[],
): void {
  results[`${prefix}_per_s`] = figures.perS.get(64) ?? Number.NaN;
  for (const batch of BATCHES)
    if (batch !== 64) results[`${prefix}_b${batch}_per_s`] = figures.perS.get(batch) ?? Number.NaN;
  const perBatch = BATCHES.map(
    (batch) => `batch ${batch}: ${Math.round(figures.perS.get(batch) ?? 0).toLocaleString('en-US')}`,
  ).join(', ');
  notes.push(
    `${prefix}: ${figures.embedder} on ${figures.threads} pool threads, texts/s by texts per task — ${perBatch} (${prefix}_per_s is batch 64)`,
  );
}

function reportIndex(
  figures: IndexFigures,
  suffix: string,
  results: Record<string, number>,
  baseline: Record<string, number>,
  targets: Record<string, Target>,
  notes: string[],
): void {
  const size = figures.size.toLocaleString('en-US');
  results[`hnsw_insert${suffix}_per_s`] = figures.shard.insertPerS;
  results[`hnsw_query${suffix}_per_s`] = figures.shard.queryPerS;
  baseline[`hnsw_query${suffix}_per_s`] = figures.exactQueryPerS;
  results[`recall_at_10${suffix}`] = figures.recallAt10;
  baseline[`recall_at_10${suffix}`] = 1;
  targets[`recall_at_10${suffix}`] = { '>=': 0.95 };
  notes.push(
    `${size} vectors (384 dims, hash embeddings of chat lines): one shard through comlink inserts ${Math.round(figures.shard.insertPerS).toLocaleString('en-US')}/s and answers ${Math.round(figures.shard.queryPerS).toLocaleString('en-US')} k=10 searches/s; ` +
      `a ChatIndex on the main thread ${Math.round(figures.local.insertPerS).toLocaleString('en-US')} inserts/s and ${Math.round(figures.local.queryPerS).toLocaleString('en-US')} searches/s; ` +
      `brute force ${Math.round(figures.exactQueryPerS).toLocaleString('en-US')} searches/s (the shard is ${fmt(figures.shard.queryPerS / figures.exactQueryPerS)}× faster)`,
  );
  notes.push(
    `recall@10 at ${size} (ef ${SEARCH_EF}, ${figures.queries} queries not in the index, ties with the 10th exact neighbour count as hits): mean ${fmt(figures.recallAt10)}, worst query ${fmt(figures.recallWorst)}`,
  );
}

/** Heap in use after a full collection (the bench runs with --expose-gc; without it, after none). */
function heapUsedAfterGc(): number {
  globalThis.gc?.();
  return process.memoryUsage().heapUsed;
}

function fmt(value: number): string {
  return Number(value.toPrecision(3)).toString();
}
