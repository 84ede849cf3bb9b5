import { Decoder, Encoder } from '@msgpack/msgpack';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Codec } from '../../src/runtime/index.js';
import { MsgpackWriter } from '../../src/runtime/msgpack-writer.js';

const library = new Encoder({ ignoreUndefined: true });

// Plain data as snapshots hold it, with the corners of the format: every
// integer width, floats, -0, NaN, lone surrogates, long strings, undefined
// properties and array slots, null-prototype objects, wide maps and arrays.
const plain = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.constantFrom(null, undefined, true, false, 0, -0, NaN, Infinity, -Infinity),
    fc.integer({ min: -(2 ** 31) - 5, max: 2 ** 32 + 5 }),
    fc.maxSafeInteger(),
    fc.double(),
    fc.string({ unit: 'binary', maxLength: 80 }),
    fc.string({ unit: 'grapheme', minLength: 40, maxLength: 300 }),
    fc.array(tie('value'), { maxLength: 20 }),
    fc.dictionary(fc.string({ maxLength: 8 }), tie('value'), { maxKeys: 20 }),
    fc
      .dictionary(fc.string({ unit: 'binary', maxLength: 8 }), tie('value'), { maxKeys: 4 })
      .map((entries) => Object.assign(Object.create(null) as object, entries)),
  ),
})).value;

describe('MsgpackWriter', () => {
  it('writes exactly the bytes of the msgpack library for plain data', () => {
    const writer = new MsgpackWriter();
    fc.assert(
      fc.property(plain, (value) => {
        expect(writer.encode(value)).toEqual(library.encode(value));
      }),
      { numRuns: 2000 },
    );
  });

  it('writes big maps, arrays, strings and the widest integers like the library', () => {
    const writer = new MsgpackWriter();
    const wide = Object.fromEntries(Array.from({ length: 70_000 }, (_, i) => [`k${i}`, i % 3 === 0 ? undefined : i]));
    const values: unknown[] = [
      wide,
      { a: 1, b: undefined, ...Object.fromEntries(Array.from({ length: 15 }, (_, i) => [`x${i}`, i])) },
      Array.from({ length: 70_000 }, (_, i) => -i * 70_001),
      'ж'.repeat(30_000),
      'a'.repeat(70_000),
      '😀'.repeat(20),
      [Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER, 2 ** 32, -(2 ** 31) - 1, 2 ** 53, 0.5],
    ];
    for (const value of values) {
      const ours = writer.encode(value);
      expect(ours).not.toBeNull();
      expect(Buffer.compare(ours as Uint8Array, library.encode(value))).toBe(0);
    }
  });

  it('copies repeated map keys from its cache with the bytes the library writes, and keeps the cache bounded', () => {
    const writer = new MsgpackWriter();
    const keys = ['a', 'x'.repeat(31), 'y'.repeat(32), 'Zж'.repeat(16), '_1', '123', '-5', 'привет', 'with space', ''];
    const value = Object.fromEntries(keys.map((key, i) => [key, { [key]: i, nested: [{ [key]: key }] }]));
    for (let round = 0; round < 3; round++) {
      expect(Buffer.compare(writer.encode(value) as Uint8Array, library.encode(value))).toBe(0);
    }
    const many = Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`field${i}`, i]));
    for (let round = 0; round < 2; round++) {
      expect(Buffer.compare(writer.encode(many) as Uint8Array, library.encode(many))).toBe(0);
    }
    expect(MsgpackWriter.cachedKeys).toBeGreaterThan(0);
    expect(MsgpackWriter.cachedKeys).toBeLessThanOrEqual(2048);
  });

  it('cuts pooled results from shared slabs without one overwriting another', () => {
    const pooled = new MsgpackWriter({ pooled: true });
    const values = fc.sample(plain, { numRuns: 3000, seed: 7 });
    const results = values.map((value) => pooled.encode(value) as Uint8Array);
    results.forEach((bytes, i) => expect(Buffer.compare(bytes, library.encode(values[i]))).toBe(0));
    const slabs = new Set(results.map((bytes) => bytes.buffer));
    expect(slabs.size).toBeLessThan(results.length / 10);
    // One value bigger than a slab gets a slab of its own.
    const big = 'ж'.repeat(40_000);
    expect(Buffer.compare(pooled.encode(big) as Uint8Array, library.encode(big))).toBe(0);
  });

  it('leaves a map to the library while Object.prototype has an enumerable property', () => {
    const writer = new MsgpackWriter();
    const prototype = Object.prototype as Record<string, unknown>;
    prototype.polluted = 1;
    try {
      expect(writer.encode({ a: 1 })).toBeNull();
      expect(new Codec().encode({ a: 1 })).toEqual(library.encode({ a: 1 }));
    } finally {
      delete prototype.polluted;
    }
    expect(writer.encode({ a: 1 })).toEqual(library.encode({ a: 1 }));
  });

  it('leaves dates, binary, maps, class instances, bigints, functions and deep nesting to the library', () => {
    const writer = new MsgpackWriter();
    class Point {
      x = 1;
    }
    let deep: unknown = 1;
    for (let i = 0; i < 100; i++) deep = [deep];
    for (const value of [
      new Date(0),
      { at: new Date(0) },
      new Uint8Array([1, 2]),
      new Map([[1, 2]]),
      new Point(),
      10n,
      [() => 1],
      deep,
    ]) {
      expect(writer.encode(value)).toBeNull();
    }
    expect(writer.encode({ ok: true })).toEqual(library.encode({ ok: true }));
  });
});

describe('Codec', () => {
  it('round-trips plain data and the values the fast writer leaves to the library', () => {
    const codec = new Codec();
    const decoder = new Decoder();
    const value = { at: new Date(5), bytes: new Uint8Array([1, 2, 3]), text: 'привет', n: [1, 2.5, null] };
    expect(codec.encode(value)).toEqual(library.encode(value));
    expect(decoder.decode(codec.encode(value))).toEqual(value);
  });

  it('throws the library error for a value msgpack cannot hold', () => {
    expect(() => new Codec().encode({ f: () => 1 })).toThrow(/Unrecognized object/);
  });
});
