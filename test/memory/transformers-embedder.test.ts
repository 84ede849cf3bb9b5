import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Embedder } from '../../src/memory/embedder.js';
import { loadTransformersEmbedder } from '../../src/memory/transformers-embedder.js';

const MODEL_DIR = fileURLToPath(new URL('../fixtures/models', import.meta.url));
const MODEL = 'lekha-tiny';

function row(vectors: Float32Array, dims: number, i: number): Float32Array {
  return vectors.subarray(i * dims, (i + 1) * dims);
}

function dot(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += (a[i] ?? 0) * (b[i] ?? 0);
  return sum;
}

describe('loadTransformersEmbedder', () => {
  let embedder: Embedder;

  beforeAll(async () => {
    embedder = await loadTransformersEmbedder({ modelDir: MODEL_DIR, model: MODEL });
  });

  it('names itself after the model and takes its dims from the model output', () => {
    expect(embedder.name).toBe('transformers:lekha-tiny');
    expect(embedder.dims).toBe(32);
  });

  it('gives Russian and English texts one L2-normalised vector each, packed row after row', async () => {
    const texts = ['Привет, как дела сегодня?', 'Hello, how are you today?', 'Завтра будет дождь', 'I love coffee 123'];
    const vectors = await embedder.embed(texts);
    expect(vectors).toBeInstanceOf(Float32Array);
    expect(vectors.length).toBe(texts.length * embedder.dims);
    for (let i = 0; i < texts.length; i++) {
      const vector = row(vectors, embedder.dims, i);
      expect(Math.sqrt(dot(vector, vector))).toBeCloseTo(1, 5);
    }
  });

  it('returns the same vectors across calls, batch compositions and a second load (from a relative path)', async () => {
    const texts = ['Кот спит на диване', 'the dog is playing outside'];
    const first = await embedder.embed(texts);
    expect(await embedder.embed(texts)).toEqual(first);
    const alone = await embedder.embed([texts[1] ?? '']);
    const together = row(first, embedder.dims, 1);
    for (let i = 0; i < embedder.dims; i++) expect(alone[i]).toBeCloseTo(together[i] ?? Number.NaN, 5);
    const relativeDir = path.relative(process.cwd(), MODEL_DIR);
    const reloaded = await loadTransformersEmbedder({ modelDir: relativeDir, model: MODEL, dtype: 'fp32' });
    expect(await reloaded.embed(texts)).toEqual(first);
  });

  // Random weights know no meaning, only shared tokens: the near-duplicates
  // differ in case and punctuation, the unrelated texts share no word.
  it.each([
    [
      'Привет всем! Как дела сегодня, что нового?',
      'привет всем как дела сегодня что нового',
      'My cat and my dog love to play games in the morning',
    ],
    [
      'Hello everyone, how are you today? Any news?',
      'hello everyone how are you today any news',
      'Завтра будет дождь и холодно, возьми зонт',
    ],
  ])('puts a near-duplicate of %j closer than an unrelated text', async (original, duplicate, unrelated) => {
    const vectors = await embedder.embed([original, duplicate, unrelated]);
    const at = (i: number): Float32Array => row(vectors, embedder.dims, i);
    const near = dot(at(0), at(1));
    const far = dot(at(0), at(2));
    expect(near).toBeGreaterThan(0.8);
    expect(near).toBeGreaterThan(far + 0.3);
  });

  it('gives texts without letters or digits the zero vector', async () => {
    const vectors = await embedder.embed(['', '?!', 'ok']);
    expect([...row(vectors, embedder.dims, 0)].every((x) => x === 0)).toBe(true);
    expect([...row(vectors, embedder.dims, 1)].every((x) => x === 0)).toBe(true);
    const last = row(vectors, embedder.dims, 2);
    expect(Math.sqrt(dot(last, last))).toBeCloseTo(1, 5);
  });

  it('embeds texts far longer than the token limit', async () => {
    const long = 'привет как дела '.repeat(400);
    const vectors = await embedder.embed([long]);
    expect(Math.sqrt(dot(vectors, vectors))).toBeCloseTo(1, 5);
  });

  it('returns an empty array for no texts', async () => {
    const vectors = await embedder.embed([]);
    expect(vectors).toBeInstanceOf(Float32Array);
    expect(vectors.length).toBe(0);
  });
});

describe('loadTransformersEmbedder with a model that is not in place', () => {
  let emptyDir: string;

  beforeAll(() => {
    emptyDir = mkdtempSync(path.join(os.tmpdir(), 'lekha-models-'));
  });

  afterAll(() => {
    rmSync(emptyDir, { recursive: true, force: true });
  });

  it('fails with MEMORY_MODEL_MISSING, naming the path and how to place the model', async () => {
    const load = loadTransformersEmbedder({ modelDir: emptyDir, model: 'Xenova/multilingual-e5-small' });
    await expect(load).rejects.toMatchObject({ code: 'MEMORY_MODEL_MISSING', retryable: false });
    await expect(load).rejects.toThrow(path.join(emptyDir, 'Xenova/multilingual-e5-small'));
    await expect(load).rejects.toThrow(/onnx\/model\.onnx/);
  });

  it('fails with MEMORY_MODEL_MISSING when the quantized file asked for is absent', async () => {
    // The fixture ships only the fp32 graph.
    const load = loadTransformersEmbedder({ modelDir: MODEL_DIR, model: MODEL, dtype: 'q8' });
    await expect(load).rejects.toMatchObject({ code: 'MEMORY_MODEL_MISSING' });
    await expect(load).rejects.toThrow(/model_quantized\.onnx/);
  });

  it('fails with MEMORY_MODEL_LOAD_FAILED when the ONNX file is not a model', async () => {
    cpSync(path.join(MODEL_DIR, MODEL), path.join(emptyDir, 'broken'), { recursive: true });
    writeFileSync(path.join(emptyDir, 'broken/onnx/model.onnx'), 'not a protobuf');
    const load = loadTransformersEmbedder({ modelDir: emptyDir, model: 'broken' });
    await expect(load).rejects.toMatchObject({ code: 'MEMORY_MODEL_LOAD_FAILED', retryable: false });
    await expect(load).rejects.toThrow(path.join(emptyDir, 'broken'));
  });

  it('refuses a dtype it does not know instead of loading another file', async () => {
    const load = loadTransformersEmbedder({ modelDir: MODEL_DIR, model: MODEL, dtype: 'fp16' as 'fp32' });
    await expect(load).rejects.toMatchObject({ code: 'EMBEDDER_OPTIONS_INVALID' });
  });
});
