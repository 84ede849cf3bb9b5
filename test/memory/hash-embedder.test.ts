import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HASH_EMBEDDER_DIMS, HashEmbedder } from '../../src/memory/index.js';

const embedder = new HashEmbedder();

function vectorOf(text: string): Float32Array {
  return embedder.embedSync([text]);
}

function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  for (let i = 0; i < a.length; i++) dot += (a[i] as number) * (b[i] as number);
  return dot;
}

function norm(v: Float32Array): number {
  return Math.sqrt(cosine(v, v));
}

describe('HashEmbedder', () => {
  it('gives one vector of 384 dims per text, packed', async () => {
    const packed = await embedder.embed(['привет', 'hello', 'ещё раз']);
    expect(packed.length).toBe(3 * HASH_EMBEDDER_DIMS);
    expect(embedder.name).toBe('hash-384');
  });

  it('is deterministic and L2-normalised for any text with letters or digits', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 200 }), (text) => {
        const a = vectorOf(text);
        expect(Array.from(a)).toEqual(Array.from(vectorOf(text)));
        const n = norm(a);
        if (/[\p{L}\p{N}]/u.test(text)) expect(n).toBeCloseTo(1, 5);
        else expect(n).toBe(0);
      }),
    );
  });

  it('ignores case, punctuation and ё/е', () => {
    expect(cosine(vectorOf('Ёлка, Зелёная!'), vectorOf('елка зеленая'))).toBeCloseTo(1, 5);
  });

  it.each([
    [
      'Я работаю программистом в Казани',
      'я работаю программистом в казани уже год',
      'Завтра будет дождь и холодный ветер',
    ],
    [
      'I moved to Berlin last year for work',
      'I moved to Berlin for work last year',
      'The football match ended in a draw',
    ],
    ['мы поедем на рыбалку в субботу', 'на рыбалку поедем в субботу утром', 'I moved to Berlin last year'],
  ])('places a near-duplicate closer than an unrelated text: %s', (text, near, unrelated) => {
    const base = vectorOf(text);
    expect(cosine(base, vectorOf(near))).toBeGreaterThan(0.6);
    expect(cosine(base, vectorOf(near))).toBeGreaterThan(cosine(base, vectorOf(unrelated)) + 0.3);
  });

  it('relates inflected Russian forms through shared trigrams', () => {
    const a = vectorOf('рыбалка');
    expect(cosine(a, vectorOf('рыбалку'))).toBeGreaterThan(cosine(a, vectorOf('работа')));
  });

  it('refuses a dimension count too small to be useful', () => {
    expect(() => new HashEmbedder(4)).toThrow(/dims/);
    expect(() => new HashEmbedder(4)).toThrow(expect.objectContaining({ code: 'INVALID_OPTION', option: 'dims' }));
  });
});
