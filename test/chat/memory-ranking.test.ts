import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_RANK_OPTIONS,
  estimateTokens,
  type MemoryHit,
  rankMemories,
  type RankOptions,
} from '../../src/chat/index.js';

const DAY_MS = 24 * 60 * 60 * 1000;
const NOW_MS = 1_800_000_000_000;
const options: RankOptions = { ...DEFAULT_RANK_OPTIONS, nowMs: NOW_MS, limit: 10, tokenBudget: 10_000 };

let nextId = 1;
function hit(fields: Partial<MemoryHit> & { text: string }): MemoryHit {
  return { id: nextId++, kind: 'message', fromId: 7, ms: NOW_MS, similarity: 0.8, feedback: 0, ...fields };
}
const ids = (hits: readonly { id: number }[]): number[] => hits.map((h) => h.id);

describe('ranking memories for the prompt', () => {
  it('puts a memory with positive feedback above an equally similar one without, and one with negative feedback below', () => {
    const plain = hit({ text: 'в субботу идём в поход на Эльбрус' });
    const liked = hit({ text: 'лучший способ варить кофе это турка', feedback: 2 });
    const disliked = hit({ text: 'биткоин точно вырастет до миллиона', feedback: -2 });
    expect(ids(rankMemories([plain, disliked, liked], options))).toEqual([liked.id, plain.id, disliked.id]);
  });

  it('lets enough positive feedback outweigh a slightly better similarity', () => {
    const closer = hit({ text: 'про рыбалку на Волге летом', similarity: 0.8 });
    const praised = hit({ text: 'как выбрать спиннинг для щуки', similarity: 0.7, feedback: 3 });
    expect(ids(rankMemories([closer, praised], options))).toEqual([praised.id, closer.id]);
  });

  it('clamps the feedback factor, so no amount of thanks beats a far better match', () => {
    const close = hit({ text: 'мы обсуждали отпуск в Грузии', similarity: 0.9 });
    const adored = hit({ text: 'шутка про кота и пылесос', similarity: 0.4, feedback: 100 });
    const [first, second] = rankMemories([close, adored], options);
    expect(first!.id).toBe(close.id);
    expect(second!.score).toBeCloseTo(0.4 * 2);
  });

  it('prefers the recent of two equally similar messages and halves the decaying part each half-life', () => {
    const fresh = hit({ text: 'новый проект на работе стартует', ms: NOW_MS - DAY_MS });
    const old = hit({ text: 'старый проект закрыли весной', ms: NOW_MS - 60 * DAY_MS });
    expect(ids(rankMemories([old, fresh], options))).toEqual([fresh.id, old.id]);

    const atHalfLife = rankMemories(
      [hit({ text: 'ровно две недели назад', ms: NOW_MS - options.halfLifeMs })],
      options,
    )[0]!;
    expect(atHalfLife.score).toBeCloseTo(0.8 * (0.2 + 0.8 / 2));
  });

  it('keeps an ancient memory at a floor instead of forgetting it', () => {
    const ancient = rankMemories(
      [hit({ text: 'десять лет назад было дело', ms: NOW_MS - 3650 * DAY_MS })],
      options,
    )[0]!;
    expect(ancient.score).toBeCloseTo(0.8 * 0.2);
  });

  it('lets facts decay slower than messages', () => {
    const ms = NOW_MS - 60 * DAY_MS;
    const fact = hit({ kind: 'fact', text: 'я живу в Казани', ms });
    const message = hit({ kind: 'message', text: 'в Казани сегодня снег', ms });
    const botLine = hit({ kind: 'bot', text: 'Казань — город контрастов', ms });
    const ranked = rankMemories([message, botLine, fact], options);
    expect(ranked[0]!.id).toBe(fact.id);
    expect(ranked[0]!.score).toBeGreaterThan(2 * ranked[1]!.score);
  });

  it('treats a memory from the future as brand new', () => {
    const ranked = rankMemories([hit({ text: 'часы у сервера спешат', ms: NOW_MS + DAY_MS })], options);
    expect(ranked[0]!.score).toBeCloseTo(0.8);
  });

  it('drops near-duplicates, keeping the better-scored copy', () => {
    const weaker = hit({ text: 'Я живу в Казани!', similarity: 0.6 });
    const stronger = hit({ text: 'я живу в казани', similarity: 0.9 });
    const reworded = hit({ text: 'мы завтра едем на дачу к бабушке с детьми', similarity: 0.7 });
    const almost = hit({ text: 'мы завтра едем на дачу к бабушке с детьми вечером', similarity: 0.75 });
    const other = hit({ text: 'у меня есть собака породы хаски', similarity: 0.5 });
    expect(ids(rankMemories([weaker, reworded, stronger, almost, other], options))).toEqual([
      stronger.id,
      almost.id,
      other.id,
    ]);
  });

  it('breaks a duplicate tie by the lower id', () => {
    const first = hit({ text: 'одна и та же мысль' });
    const second = hit({ text: 'Одна и та же мысль.' });
    expect(ids(rankMemories([second, first], options))).toEqual([first.id]);
  });

  it('drops memories that repeat what the prompt already shows', () => {
    const shown = hit({ text: 'завтра дедлайн по отчёту' });
    const contained = hit({ text: 'купил билеты в Сочи' });
    const fresh = hit({ text: 'любимый сериал — Офис' });
    const ranked = rankMemories([shown, contained, fresh], {
      ...options,
      recentTexts: ['Завтра дедлайн по отчёту!', 'кстати я вчера купил билеты в Сочи на июль'],
    });
    expect(ids(ranked)).toEqual([fresh.id]);
  });

  it('drops hits below the similarity threshold', () => {
    const weak = hit({ text: 'что-то отдалённо похожее', similarity: 0.2 });
    const strong = hit({ text: 'ровно про то же самое', similarity: 0.3 });
    expect(ids(rankMemories([weak, strong], options))).toEqual([strong.id]);
  });

  it('skips a memory that does not fit the token budget and takes smaller ones after it', () => {
    const long = hit({ text: 'длинное воспоминание '.repeat(20), similarity: 0.9 });
    const short = hit({ text: 'короткое', similarity: 0.5 });
    const budget = estimateTokens(short.text) + 5;
    const ranked = rankMemories([long, short], { ...options, tokenBudget: budget });
    expect(ids(ranked)).toEqual([short.id]);
  });

  it('returns at most limit memories, the best ones', () => {
    const hits = [0.3, 0.9, 0.5, 0.7, 0.8].map((similarity, i) =>
      hit({ text: `тема номер ${'абвгд'[i]} про разное`, similarity }),
    );
    expect(rankMemories(hits, { ...options, limit: 2 }).map((m) => m.similarity)).toEqual([0.9, 0.8]);
    expect(rankMemories(hits, { ...options, limit: 0 })).toEqual([]);
  });

  it('orders equal scores by id', () => {
    const b = hit({ id: 20, text: 'второй вариант ответа' });
    const a = hit({ id: 10, text: 'первый вариант ответа' });
    expect(ids(rankMemories([b, a], options))).toEqual([10, 20]);
  });
});

describe('token estimate', () => {
  it('is about a quarter token per Latin character', () => {
    expect(estimateTokens('a'.repeat(400))).toBe(100);
  });

  it('counts Cyrillic heavier than Latin', () => {
    expect(estimateTokens('а'.repeat(300))).toBe(100);
    expect(estimateTokens('привет, как дела')).toBeGreaterThan(estimateTokens('hello, how are u'));
  });

  it('counts an emoji as a token and the empty string as none', () => {
    expect(estimateTokens('😀😀')).toBe(2);
    expect(estimateTokens('')).toBe(0);
    expect(estimateTokens('a')).toBe(1);
  });
});

const WORDS = ['кот', 'пёс', 'дача', 'работа', 'кофе', 'море', 'cat', 'code', 'beer', 'run'];
const hitArb: fc.Arbitrary<MemoryHit> = fc.record({
  id: fc.integer({ min: 1, max: 1_000_000 }),
  kind: fc.constantFrom('fact' as const, 'message' as const, 'bot' as const),
  text: fc.array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 12 }).map((w) => w.join(' ')),
  fromId: fc.integer({ min: 1, max: 5 }),
  ms: fc.integer({ min: NOW_MS - 400 * DAY_MS, max: NOW_MS }),
  similarity: fc.double({ min: -1, max: 1, noNaN: true }),
  feedback: fc.integer({ min: -10, max: 10 }),
});
const optionsArb: fc.Arbitrary<RankOptions> = fc.record({
  nowMs: fc.constant(NOW_MS),
  limit: fc.integer({ min: 0, max: 8 }),
  tokenBudget: fc.integer({ min: 0, max: 60 }),
  minSimilarity: fc.double({ min: 0, max: 0.9, noNaN: true }),
  halfLifeMs: fc.integer({ min: 1, max: 60 * DAY_MS }),
});

describe('ranking invariants', () => {
  it('returns a subset of the hits, sorted by score then id, within limit, budget and threshold', () => {
    fc.assert(
      fc.property(fc.uniqueArray(hitArb, { selector: (h) => h.id, maxLength: 30 }), optionsArb, (hits, opts) => {
        const ranked = rankMemories(hits, opts);
        const byId = new Map(hits.map((h) => [h.id, h]));
        expect(ranked.length).toBeLessThanOrEqual(opts.limit);
        expect(ranked.reduce((sum, m) => sum + estimateTokens(m.text), 0)).toBeLessThanOrEqual(opts.tokenBudget);
        expect(new Set(ids(ranked)).size).toBe(ranked.length);
        for (const [i, memory] of ranked.entries()) {
          const { score, ...original } = memory;
          expect(original).toEqual(byId.get(memory.id));
          expect(memory.similarity).toBeGreaterThanOrEqual(opts.minSimilarity);
          expect(score).toBeGreaterThanOrEqual(0);
          const previous = ranked[i - 1];
          if (previous !== undefined) {
            expect(previous.score > score || (previous.score === score && previous.id < memory.id)).toBe(true);
          }
        }
      }),
    );
  });

  it('does not depend on the order of the hits', () => {
    fc.assert(
      fc.property(fc.uniqueArray(hitArb, { selector: (h) => h.id, maxLength: 20 }), optionsArb, (hits, opts) => {
        expect(rankMemories([...hits].reverse(), opts)).toEqual(rankMemories(hits, opts));
      }),
    );
  });
});
