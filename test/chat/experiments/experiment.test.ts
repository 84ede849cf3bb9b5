import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_PERSONA } from '../../../src/chat/index.js';
import { assignVariant, newExperimentSchema, replyScore, variantPersona } from '../../../src/chat/experiments/index.js';
import type { ExperimentRecord } from '../../../src/ports/index.js';

type Assignable = Pick<ExperimentRecord, 'id' | 'variants'>;

function experiment(id: number, shares: number[]): Assignable {
  return { id, variants: shares.map((share, i) => ({ name: `v${i}`, share })) };
}

function split(exp: Assignable, units: number, firstId = 1): Map<string, number> {
  const counts = new Map<string, number>();
  for (let id = firstId; id < firstId + units; id++) {
    const name = assignVariant(exp, id).name;
    counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  return counts;
}

describe('assignVariant', () => {
  it('gives a unit the same variant every time', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000 }), fc.integer(), (id, unit) => {
        const exp = experiment(id, [1, 2, 1]);
        expect(assignVariant(exp, unit)).toBe(assignVariant({ ...exp, variants: [...exp.variants] }, unit));
      }),
    );
  });

  it.each([[[1, 1]], [[1, 2, 1]], [[9, 1]], [[0.5, 0.25, 0.25]]])(
    'splits 100k consecutive ids within 1 %% of the shares %j',
    (shares) => {
      const exp = experiment(42, shares);
      const counts = split(exp, 100_000);
      const total = shares.reduce((a, b) => a + b, 0);
      shares.forEach((share, i) =>
        expect(Math.abs((counts.get(`v${i}`) ?? 0) / 100_000 - share / total)).toBeLessThan(0.01),
      );
    },
  );

  it('splits negative (group) chat ids by the shares too', () => {
    const counts = split(experiment(3, [1, 1]), 100_000, -1_001_000_000_000 - 100_000);
    expect(Math.abs(counts.get('v0')! / 100_000 - 0.5)).toBeLessThan(0.01);
  });

  it('reshuffles units between experiments', () => {
    let same = 0;
    for (let unit = 1; unit <= 10_000; unit++)
      if (assignVariant(experiment(1, [1, 1]), unit).name === assignVariant(experiment(2, [1, 1]), unit).name) same++;
    expect(same / 10_000).toBeGreaterThan(0.47);
    expect(same / 10_000).toBeLessThan(0.53);
  });
});

describe('newExperimentSchema', () => {
  const valid = {
    name: 'shorter replies',
    variants: [
      { name: 'control', share: 1 },
      { name: 'short', share: 1, overrides: { replyLength: 'short' } },
    ],
  };

  it('fills the defaults', () => {
    expect(newExperimentSchema.parse(valid)).toEqual({
      ...valid,
      unit: 'chat',
      minimumEffect: 0.1,
      scoreWindowMs: 600_000,
    });
  });

  it.each([
    [{ ...valid, variants: [valid.variants[0]] }, 'an experiment needs at least two variants'],
    [{ ...valid, variants: [valid.variants[0], valid.variants[0]] }, 'variant names must differ'],
    [
      { ...valid, variants: [{ name: 'Control', share: 1 }, valid.variants[1]] },
      'a variant name is 1–32 lower-case letters',
    ],
    [{ ...valid, variants: [{ name: 'control', share: 0 }, valid.variants[1]] }, 'share must be a positive number'],
    [{ ...valid, variants: [{ name: 'control', share: '1' }, valid.variants[1]] }, 'share must be a positive number'],
    [{ ...valid, minimumEffect: 0 }, 'minimumEffect is above 0'],
    [{ ...valid, minimumEffect: 1 }, 'minimumEffect is below 1'],
    [{ ...valid, scoreWindowMs: 1000 }, 'scoreWindowMs is at least a minute'],
    [{ ...valid, unit: 'team' }, 'unit is chat or member'],
    [{ ...valid, name: ' ' }, 'name must not be empty'],
    [
      { ...valid, variants: [{ name: 'control', share: 1, overrides: { language: 'de' } }, valid.variants[1]] },
      'language is one of match, ru, uk, en',
    ],
  ])('refuses %j: %s', (input, message) => {
    const result = newExperimentSchema.safeParse(input);
    expect(result.success).toBe(false);
    expect(result.error!.issues.map((i) => i.message).join('; ')).toContain(message);
  });

  it('refuses overrides that would rename the persona', () => {
    const result = newExperimentSchema.safeParse({
      ...valid,
      variants: [{ name: 'control', share: 1, overrides: { name: 'Вася' } }, valid.variants[1]],
    });
    expect(result.success).toBe(false);
    expect(result.error!.issues[0]!.path).toEqual(['variants', 0, 'overrides']);
  });

  it("keeps the base persona's style rules when a variant overrides something else", () => {
    const parsed = newExperimentSchema.parse(valid);
    const short = variantPersona(DEFAULT_PERSONA, parsed.variants[1]!.overrides);
    expect(short.styleRules).toEqual(DEFAULT_PERSONA.styleRules);
    expect(short.replyLength).toBe('short');
  });
});

describe('variantPersona', () => {
  it('is the base persona without overrides', () =>
    expect(variantPersona(DEFAULT_PERSONA, undefined)).toBe(DEFAULT_PERSONA));

  it('changes only what the overrides set, never the names or version', () => {
    const persona = variantPersona(DEFAULT_PERSONA, {
      replyLength: 'short',
      emoji: undefined,
      styleRules: ['Be terse.'],
    });
    expect(persona).toEqual({ ...DEFAULT_PERSONA, replyLength: 'short', styleRules: ['Be terse.'] });
    expect(persona.name).toBe(DEFAULT_PERSONA.name);
    expect(persona.version).toBe(DEFAULT_PERSONA.version);
    expect(DEFAULT_PERSONA.replyLength).toBeUndefined();
  });
});

describe('replyScore', () => {
  it('scores a reply nobody reacted to as ignored and a failure', () =>
    expect(replyScore([])).toEqual({ score: -0.25, success: false, ignored: true }));

  it.each([
    [[{ kind: 'reaction', value: 1 }], 1, true],
    [[{ kind: 'reaction', value: -1 }], -1, false],
    [[{ kind: 'reply', value: 0 }], 0.5, true],
    [[{ kind: 'continued', value: 1 }], 0.25, true],
    [
      [
        { kind: 'quote', value: 1 },
        { kind: 'followup', value: -1 },
      ],
      -0.5,
      false,
    ],
    [
      [
        { kind: 'rate', value: 1 },
        { kind: 'reaction', value: 1 },
      ],
      1,
      true,
    ],
    [
      [
        { kind: 'reaction', value: 1 },
        { kind: 'reply', value: -1 },
      ],
      0,
      false,
    ],
  ] as const)('scores %j as %d', (signals, score, success) =>
    expect(replyScore(signals.map((s) => ({ ...s })))).toEqual({ score, success, ignored: false }),
  );

  it('stays in [−1, 1] and ignores the order of signals', () => {
    const signal = fc.record({
      kind: fc.constantFrom('reaction', 'reply', 'quote', 'followup', 'continued', 'rate' as const),
      value: fc.integer({ min: -3, max: 3 }),
    });
    fc.assert(
      fc.property(fc.array(signal, { maxLength: 12 }), (signals) => {
        const a = replyScore(signals);
        expect(a.score).toBeGreaterThanOrEqual(-1);
        expect(a.score).toBeLessThanOrEqual(1);
        expect(replyScore([...signals].reverse()).score).toBeCloseTo(a.score, 12);
      }),
    );
  });
});
