// Closes memory shards again and again while HNSW-tier adds and filtered
// searches are queued (see shard-exit.test.ts). A thread terminated inside
// hnswlib aborts this whole process, which is what the test looks for.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { EXACT_LIMIT, MemoryShards } from '../../src/memory/index.js';
import { memoryItem } from './memory-items.js';

const DIMS = 32;
const ROUNDS = Number(process.argv[2] ?? 12);

function batch(first: number, count: number): [ReturnType<typeof memoryItem>[], Float32Array] {
  const vectors = new Float32Array(count * DIMS);
  for (let i = 0; i < vectors.length; i++) vectors[i] = Math.sin(first * 31 + i * 7);
  return [Array.from({ length: count }, (_, i) => memoryItem(first + i)), vectors];
}

let answered = 0;
for (let round = 0; round < ROUNDS; round++) {
  const dir = await mkdtemp(path.join(tmpdir(), 'lekha-shard-exit-'));
  const shards = new MemoryShards({ shards: 1, dir });
  await shards.call(1, (api) => api.load(1, DIMS, { live: 0, maxRevision: 0 }));
  // Past the exact tier, so every add and search below goes through hnswlib.
  const [items, vectors] = batch(1, EXACT_LIMIT + 64);
  await shards.call(1, (api) => api.add(1, items, vectors));
  const queued: Array<Promise<unknown>> = [];
  let next = EXACT_LIMIT + 65;
  for (let k = 0; k < 40; k++) {
    const [more, moreVectors] = batch(next, 16);
    next += 16;
    queued.push(shards.call(1, (api) => api.add(1, more, moreVectors)));
    queued.push(shards.call(1, (api) => api.search(1, moreVectors.subarray(0, DIMS), 5, { kinds: ['message'] })));
  }
  await new Promise((resolve) => setTimeout(resolve, round % 4));
  await shards.close();
  answered += (await Promise.allSettled(queued)).filter((s) => s.status === 'fulfilled').length;
  await rm(dir, { recursive: true, force: true });
}
process.send?.({ rounds: ROUNDS, answered });
