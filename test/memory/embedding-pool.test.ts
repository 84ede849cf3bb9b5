import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EmbeddingPool, HashEmbedder, MemorySaturatedError } from '../../src/memory/index.js';
import { startMemory } from './memory-harness.js';

const modelDir = path.resolve('test/fixtures/models');
const pools: EmbeddingPool[] = [];
afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.close()));
});

function pool(...args: ConstructorParameters<typeof EmbeddingPool>): EmbeddingPool {
  const p = new EmbeddingPool(...args);
  pools.push(p);
  return p;
}

/** Nice values of this process's threads (Linux). */
function threadNicenesses(): number[] {
  return readdirSync('/proc/self/task').flatMap((tid) => {
    try {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      // Field 19 (nice) counted from after the command name, which may hold spaces.
      return [Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16])];
    } catch {
      return []; // the thread ended meanwhile
    }
  });
}

function norms(vectors: Float32Array, dims: number): number[] {
  const out: number[] = [];
  for (let row = 0; row < vectors.length / dims; row++) {
    let sum = 0;
    for (let i = row * dims; i < (row + 1) * dims; i++) sum += (vectors[i] as number) ** 2;
    out.push(Math.sqrt(sum));
  }
  return out;
}

describe('EmbeddingPool', () => {
  it('embeds with the hash embedder in worker threads, as the embedder does on this thread', async () => {
    const p = pool({ embedder: { kind: 'hash' }, threads: 2 });
    expect(await p.describe()).toEqual({ name: 'hash-384', dims: 384 });
    const texts = ['Привет, как дела?', 'Hello there, how are you?'];
    const vectors = await p.embed(texts);
    expect(Array.from(vectors)).toEqual(Array.from(new HashEmbedder().embedSync(texts)));
  });

  it('batches the texts asked for in one turn into one task', async () => {
    const p = pool({ embedder: { kind: 'hash' }, threads: 1 });
    await p.describe();
    const before = p.stats().completed;
    const vectors = await Promise.all(Array.from({ length: 40 }, (_, i) => p.embedOne(`сообщение ${i}`)));
    expect(vectors.every((v) => v.length === 384)).toBe(true);
    expect(p.stats().completed - before).toBe(1);
    expect(Array.from(vectors[7] ?? [])).toEqual(Array.from(new HashEmbedder().embedSync(['сообщение 7'])));
  });

  it('serves a recall queued behind write batches before them', async () => {
    const p = pool({ embedder: { kind: 'hash' }, threads: 1 });
    await p.describe();
    const order: string[] = [];
    const task = (name: string, lane: 'recall' | 'write'): Promise<void> =>
      p.embed([`${name} текст`], lane).then(() => {
        order.push(name);
      });
    // The first write takes the only thread; the rest wait, the recall last of all.
    await Promise.all([task('w1', 'write'), task('w2', 'write'), task('w3', 'write'), task('r', 'recall')]);
    expect(order).toEqual(['w1', 'r', 'w2', 'w3']);
  });

  it('refuses writes when the write lane is full but still takes recalls', async () => {
    const p = pool({ embedder: { kind: 'hash' }, threads: 1, maxQueue: 2 });
    await p.describe();
    const writes = [p.embed(['раз']), p.embed(['два']), p.embed(['три'])];
    expect(p.saturated).toBe(true);
    await expect(p.embed(['четыре'])).rejects.toBeInstanceOf(MemorySaturatedError);
    await expect(p.embedOne('пять')).rejects.toBeInstanceOf(MemorySaturatedError);
    const recalled = await p.embedOne('где мы были вчера', 'recall');
    expect(Array.from(recalled)).toEqual(Array.from(new HashEmbedder().embedSync(['где мы были вчера'])));
    await Promise.all(writes);
    expect(p.saturated).toBe(false);
  });

  it.runIf(process.platform === 'linux')('runs its threads at the configured lower OS priority', async () => {
    const before = threadNicenesses().filter((n) => n === 13).length;
    const p = pool({ embedder: { kind: 'hash' }, threads: 1, niceness: 13 });
    await p.describe();
    expect(threadNicenesses().filter((n) => n === 13).length).toBe(before + 1);
    expect(() => new EmbeddingPool({ embedder: { kind: 'hash' }, niceness: 20 })).toThrow(/niceness/);
  });

  it('runs the shipped tiny sentence model through transformers.js inside the pool', async () => {
    const p = pool({ embedder: { kind: 'transformers', modelDir, model: 'lekha-tiny' }, threads: 2 });
    const description = await p.describe();
    expect(description).toEqual({ name: 'transformers:lekha-tiny', dims: 32 });
    const vectors = await p.embed(['Мы поедем на рыбалку в субботу', 'We are going fishing on Saturday', 'ок']);
    expect(vectors.length).toBe(3 * 32);
    for (const n of norms(vectors, 32)) expect(n).toBeCloseTo(1, 4);
    // The same text embeds the same in any thread.
    const again = await Promise.all([
      p.embedOne('Мы поедем на рыбалку в субботу'),
      p.embedOne('We are going fishing on Saturday'),
    ]);
    expect(Array.from(again[0] ?? [])).toEqual(Array.from(vectors.subarray(0, 32)));
  });

  it('fails describe() with a clear error when the model is not there', async () => {
    const p = pool({ embedder: { kind: 'transformers', modelDir, model: 'no-such-model' }, threads: 1 });
    await expect(p.describe()).rejects.toThrow(/no-such-model/);
  });

  it('serves a memory service with the tiny model end to end', async () => {
    const h = await startMemory({ pool: { embedder: { kind: 'transformers', modelDir, model: 'lekha-tiny' } } });
    try {
      await h.service.remember({
        chatId: -1,
        kind: 'fact',
        text: 'я живу в большом городе у реки',
        fromId: 1,
        ms: h.clock.now(),
        messageId: 1,
      });
      await h.service.remember({
        chatId: -1,
        kind: 'message',
        text: 'the weather today is cold and rainy',
        fromId: 2,
        ms: h.clock.now(),
        messageId: 2,
      });
      const hits = await h.service.recall({ chatId: -1, text: 'я живу в городе', k: 2 });
      expect(hits[0]?.text).toBe('я живу в большом городе у реки');
      expect(h.service.stats().embedder).toBe('transformers:lekha-tiny');
    } finally {
      await h.close();
    }
  });
});
