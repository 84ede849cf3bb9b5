import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ChatIndex, EXACT_LIMIT, indexFiles } from '../../src/memory/chat-index.js';
import { HashEmbedder } from '../../src/memory/hash-embedder.js';
import { Codec } from '../../src/runtime/index.js';
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

  it('keeps the exact tier in 8-bit codes whose ranking is the 32-bit floats’ on hash embeddings of chat lines', () => {
    const embedder = new HashEmbedder();
    const words = ['рыбалка', 'суббота', 'озеро', 'кот', 'дождь', 'работа', 'Казань', 'пицца', 'футбол', 'отпуск'];
    const words2 = ['завтра', 'вчера', 'идём', 'купил', 'видел', 'хочу', 'любит', 'новый', 'старый', 'опять'];
    const line = (n: number) =>
      `${words[n % 10]} ${words2[Math.floor(n / 10) % 10]} ${words[Math.floor(n / 100) % 10]} номер ${n % 37}`;
    const ids = Array.from({ length: 1000 }, (_, i) => i + 1);
    const vectors = embedder.embedSync(ids.map(line));
    const index = ChatIndex.build(
      -20,
      embedder.dims,
      ids.map((id) => memoryItem(id)),
      vectors,
    );
    expect(index.tier).toBe('exact');
    const dot = (row: number, query: Float32Array) => {
      let sum = 0;
      for (let i = 0; i < embedder.dims; i++) sum += vectors[row * embedder.dims + i]! * query[i]!;
      return sum;
    };
    let hits = 0;
    let asked = 0;
    for (let q = 0; q < 50; q++) {
      const query = embedder.embedSync([line(q * 19 + 5000)]);
      const truth = ids.map((id) => dot(id - 1, query)).sort((a, b) => b - a);
      const tenth = truth[9]! - 1e-5;
      const found = index.search(query, 10);
      // Ties with the tenth true neighbour count as hits; the similarity reported is the floats' within 0.002.
      for (const hit of found) {
        if (dot(hit.id - 1, query) >= tenth) hits++;
        expect(Math.abs(hit.similarity - dot(hit.id - 1, query))).toBeLessThan(2e-3);
      }
      asked += 10;
    }
    expect(hits / asked).toBeGreaterThanOrEqual(0.99);
  });

  it('reads an exact-tier file of 32-bit floats into codes, and a file whose sizes disagree as stale', async () => {
    const dir = await tempDir();
    const index = ChatIndex.create(-21, DIMS);
    add(index, [1, 2, 3, 4, 5]);
    await index.write(dir);
    const files = indexFiles(dir, -21);
    const codec = new Codec();
    const written = codec.decode(await readFile(files.index)) as { labels: number[]; codes: Uint8Array };
    expect(written.codes.byteLength).toBe(5 * DIMS);

    // The file as 32-bit floats held it: the unit vectors, row by row.
    const floats = vectorsFor(written.labels);
    for (let row = 0; row < written.labels.length; row++) {
      const vector = floats.subarray(row * DIMS, (row + 1) * DIMS);
      const norm = Math.hypot(...vector);
      for (let i = 0; i < DIMS; i++) vector[i] = vector[i]! / norm;
    }
    await writeFile(files.index, codec.encode({ labels: written.labels, vectors: new Uint8Array(floats.buffer) }));
    const read = await ChatIndex.read(dir, -21, index.stamp);
    if (!(read instanceof ChatIndex)) throw new Error(`read ${read}`);
    for (const id of [1, 3, 5]) {
      expect(read.search(vectorsFor([id]), 5).map((h) => h.id)).toEqual(
        bruteForce([1, 2, 3, 4, 5], vectorsFor([id]), 5),
      );
    }

    await writeFile(
      files.index,
      codec.encode({ labels: written.labels, codes: written.codes.subarray(1), scales: new Uint8Array(20) }),
    );
    expect(await ChatIndex.read(dir, -21, index.stamp)).toBe('stale');
    await writeFile(files.index, codec.encode({ labels: written.labels }));
    expect(await ChatIndex.read(dir, -21, index.stamp)).toBe('stale');
  });
});
