import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ChatIndex, EXACT_LIMIT } from '../../src/memory/chat-index.js';
import type { MemoryItem } from '../../src/ports/index.js';
import { memoryItem } from './memory-items.js';

const DIMS = 16;
const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'lekha-chat-index-'));
  dirs.push(dir);
  return dir;
}

/** Deterministic vectors, one row per id. */
function vectorsFor(ids: readonly number[]): Float32Array {
  const out = new Float32Array(ids.length * DIMS);
  ids.forEach((id, row) => {
    for (let i = 0; i < DIMS; i++) out[row * DIMS + i] = Math.sin(id * 12.9898 + i * 78.233) * (1 + (id % 3));
  });
  return out;
}

function add(index: ChatIndex, ids: readonly number[], extra: Partial<MemoryItem> = {}): void {
  index.add(
    ids.map((id) => memoryItem(id, extra)),
    vectorsFor(ids),
  );
}

/** The ids nearest `query` by cosine, worked out the long way. */
function bruteForce(ids: readonly number[], query: Float32Array, k: number): number[] {
  const unit = (v: Float32Array) => {
    const n = Math.hypot(...v);
    return Array.from(v, (x) => x / n);
  };
  const q = unit(query);
  return ids
    .map((id) => ({ id, dot: unit(vectorsFor([id])).reduce((sum, x, i) => sum + x * (q[i] as number), 0) }))
    .sort((a, b) => b.dot - a.dot)
    .slice(0, k)
    .map((x) => x.id);
}

describe('ChatIndex', () => {
  it('searches a small chat exactly: nearest first by cosine, with its filters and removals', () => {
    const index = ChatIndex.create(-1, DIMS);
    const ids = Array.from({ length: 40 }, (_, i) => i + 1);
    add(index, ids.slice(0, 20));
    add(index, ids.slice(20), { kind: 'fact' });
    expect(index.tier).toBe('exact');
    const query = vectorsFor([1000]);
    const hits = index.search(query, 5);
    expect(hits.map((h) => h.id)).toEqual(bruteForce(ids, query, 5));
    expect(hits[0]!.similarity).toBeGreaterThanOrEqual(hits[4]!.similarity);
    expect(index.search(vectorsFor([7]), 1)[0]).toMatchObject({ id: 7, text: 'memory 7' });
    expect(index.search(vectorsFor([7]), 1)[0]!.similarity).toBeCloseTo(1, 5);

    const facts = index.search(query, 5, { kinds: ['fact'], excludeIds: [25], sinceMs: 30_000 });
    expect(facts.map((h) => h.id)).toEqual(
      bruteForce(
        ids.filter((id) => id >= 30),
        query,
        5,
      ),
    );
    expect(index.remove([7, 7, 999])).toBe(1);
    expect(index.live).toBe(39);
    expect(index.search(vectorsFor([7]), 3).map((h) => h.id)).not.toContain(7);
    expect(index.search(query, 100)).toHaveLength(39);
  });

  it('moves into an HNSW index past EXACT_LIMIT points and finds the same memories there', () => {
    const index = ChatIndex.create(-2, DIMS);
    const ids = Array.from({ length: EXACT_LIMIT + 10 }, (_, i) => i + 1);
    add(index, ids.slice(0, EXACT_LIMIT));
    expect(index.tier).toBe('exact');
    index.remove([3]);
    add(index, ids.slice(EXACT_LIMIT));
    expect(index.tier).toBe('hnsw');
    expect(index.live).toBe(EXACT_LIMIT + 9);
    for (const id of [1, 500, EXACT_LIMIT, EXACT_LIMIT + 10]) expect(index.search(vectorsFor([id]), 1)[0]?.id).toBe(id);
    expect(index.search(vectorsFor([3]), 5).map((h) => h.id)).not.toContain(3);
  });

  it('counts the native bytes of the HNSW tier only, from what hnswlib allocates for its capacity', () => {
    const index = ChatIndex.create(-12, DIMS);
    const ids = Array.from({ length: EXACT_LIMIT + 1 }, (_, i) => i + 1);
    add(index, ids.slice(0, EXACT_LIMIT));
    expect(index.nativeBytes).toBe(0);
    add(index, ids.slice(EXACT_LIMIT));
    // 65,536 label locks of 40 B, then per point of capacity (2 × EXACT_LIMIT + 2 after the move) at least its level-0 record.
    const capacity = 2 * (EXACT_LIMIT + 1);
    const level0 = 2 * 16 * 4 + 4 + DIMS * 4 + 8;
    expect(index.nativeBytes).toBeGreaterThan(65_536 * 40 + capacity * level0);
    expect(index.nativeBytes).toBeLessThan(65_536 * 40 + capacity * (level0 + 100));
  });

  it('writes and reads back either tier; a file of another stamp reads as stale', async () => {
    const dir = await tempDir();
    const small = ChatIndex.create(-3, DIMS);
    add(small, [1, 2, 3, 4]);
    small.remove([2]);
    await small.write(dir);
    const read = await ChatIndex.read(dir, -3, small.stamp);
    if (!(read instanceof ChatIndex)) throw new Error(`read ${read}`);
    expect(read.tier).toBe('exact');
    expect(read.live).toBe(3);
    expect(read.search(vectorsFor([4]), 3).map((h) => h.id)).toEqual(small.search(vectorsFor([4]), 3).map((h) => h.id));
    expect(await ChatIndex.read(dir, -3, { maxRevision: 99, live: 3 })).toBe('stale');
    expect(await ChatIndex.read(dir, -4, small.stamp)).toBe('missing');

    const ids = Array.from({ length: EXACT_LIMIT + 1 }, (_, i) => i + 1);
    const large = ChatIndex.build(
      -5,
      DIMS,
      ids.map((id) => memoryItem(id)),
      vectorsFor(ids),
    );
    expect(large.tier).toBe('hnsw');
    await large.write(dir);
    const back = await ChatIndex.read(dir, -5, large.stamp);
    if (!(back instanceof ChatIndex)) throw new Error(`read ${back}`);
    expect(back.tier).toBe('hnsw');
    expect(back.search(vectorsFor([42]), 1)[0]?.id).toBe(42);
  });
});
