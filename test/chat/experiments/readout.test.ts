import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  experimentReadout,
  minimumSamplePerVariant,
  normalCdf,
  normalQuantile,
  twoProportionTest,
  twoSidedP,
  wilsonInterval,
} from '../../../src/chat/experiments/index.js';
import type { ExperimentRecord, ReplyOutcome } from '../../../src/ports/index.js';

type Experiment = Pick<ExperimentRecord, 'id' | 'variants' | 'minimumEffect'>;

function experiment(names: string[], minimumEffect = 0.1): Experiment {
  return { id: 7, variants: names.map((name) => ({ name, share: 1 })), minimumEffect };
}

/** `successes` replies with a thumbs-up (score 1), `failures` with a thumbs-down (−1), `ignored` with nothing (−0.25). */
function replies(variant: string, successes: number, failures: number, ignored = 0): ReplyOutcome[] {
  return [
    ...Array.from({ length: successes }, () => ({ variant, signals: [{ kind: 'reaction' as const, value: 1 }] })),
    ...Array.from({ length: failures }, () => ({ variant, signals: [{ kind: 'reaction' as const, value: -1 }] })),
    ...Array.from({ length: ignored }, () => ({ variant, signals: [] })),
  ];
}

describe('the normal distribution', () => {
  it.each([
    [0, 0.5],
    [1, 0.8413447460685429],
    [1.96, 0.9750021048517795],
    [-1.96, 0.024997895148220435],
    [3, 0.9986501019683699],
  ])('Φ(%d) is %d', (x, p) => expect(normalCdf(x)).toBeCloseTo(p, 6));

  it.each([
    [-5, 2.866515718791946e-7],
    [-8, 6.220960574271819e-16],
  ])('keeps its relative precision in the tail: Φ(%d) ≈ %d', (x, p) =>
    expect(Math.abs(normalCdf(x) - p) / p).toBeLessThan(2e-7),
  );

  it.each([
    [0.5, 0],
    [0.8, 0.8416212335729143],
    [0.975, 1.959963984540054],
    [0.995, 2.5758293035489004],
    [0.9975, 2.807033768343811],
  ])('Φ⁻¹(%d) is %d', (p, x) => expect(normalQuantile(p)).toBeCloseTo(x, 5));

  it('refuses a quantile outside (0, 1)', () => {
    expect(() => normalQuantile(0)).toThrow(/0 < p < 1/);
    expect(() => normalQuantile(1.2)).toThrow(/0 < p < 1/);
  });

  it('gives two-sided p-values symmetric in z', () => {
    expect(twoSidedP(1.959963984540054)).toBeCloseTo(0.05, 6);
    expect(twoSidedP(-2.5758293035489004)).toBeCloseTo(0.01, 6);
    expect(twoSidedP(0)).toBe(1);
  });
});

describe('the two-proportion z-test', () => {
  it('matches a hand-computed value with the pooled rate', () => {
    // 40/100 against 55/100: pooled 0.475, se √(0.475·0.525·(2/100)) = 0.070622.
    const { z, pValue } = twoProportionTest(40, 100, 55, 100);
    expect(z).toBeCloseTo(2.123977, 5);
    expect(pValue).toBeCloseTo(0.033672, 5);
  });

  it('is antisymmetric in its two sides', () => {
    expect(twoProportionTest(55, 100, 40, 100).z).toBeCloseTo(-2.123977, 5);
  });

  it('has nothing to test without replies or without variance', () => {
    expect(twoProportionTest(0, 0, 5, 10)).toEqual({ z: 0, pValue: 1 });
    expect(twoProportionTest(0, 30, 0, 40)).toEqual({ z: 0, pValue: 1 });
    expect(twoProportionTest(30, 30, 40, 40)).toEqual({ z: 0, pValue: 1 });
  });
});

describe('the Wilson interval', () => {
  it.each([
    [8, 10, 0.4901625, 0.9433178],
    [0, 10, 0, 0.2775328],
    [10, 10, 0.7224672, 1],
    [50, 100, 0.4038315, 0.5961685],
  ])('%d of %d is [%d, %d]', (k, n, lo, hi) => {
    const [a, b] = wilsonInterval(k, n);
    expect(a).toBeCloseTo(lo, 5);
    expect(b).toBeCloseTo(hi, 5);
  });

  it('is [0, 1] without replies', () => expect(wilsonInterval(0, 0)).toEqual([0, 1]));
});

describe('the minimum sample per variant', () => {
  it('follows the standard formula: 40 % against 50 %, alpha 0.05, power 0.8 needs 388', () => {
    expect(minimumSamplePerVariant(0.4, 0.1, 0.05, 0.8)).toBe(388);
  });

  it('plans the alternative on the side of 0.5', () => {
    expect(minimumSamplePerVariant(0.6, 0.1, 0.05, 0.8)).toBe(388);
    expect(minimumSamplePerVariant(0.05, 0.1, 0.05, 0.8)).toBeLessThan(388);
  });

  it('without control data plans for 0.5 ± effect/2, the most any control rate can need', () => {
    const unknown = minimumSamplePerVariant(null, 0.1, 0.05, 0.8);
    expect(unknown).toBe(392);
    for (let rate = 0; rate <= 1; rate += 0.01)
      expect(minimumSamplePerVariant(rate, 0.1, 0.05, 0.8)).toBeLessThanOrEqual(unknown);
  });

  it('grows with a stricter alpha, a higher power and a smaller effect', () => {
    const base = minimumSamplePerVariant(0.4, 0.1, 0.05, 0.8);
    expect(minimumSamplePerVariant(0.4, 0.1, 0.005, 0.8)).toBeGreaterThan(base);
    expect(minimumSamplePerVariant(0.4, 0.1, 0.05, 0.9)).toBeGreaterThan(base);
    expect(minimumSamplePerVariant(0.4, 0.05, 0.05, 0.8)).toBeGreaterThan(3.5 * base);
  });
});

describe('an experiment readout', () => {
  it('summarises each variant', () => {
    const readout = experimentReadout(experiment(['control', 'short']), [
      ...replies('control', 10, 0, 10),
      ...replies('short', 3, 1),
    ]);
    const [control, short] = readout.variants;
    expect(control).toMatchObject({ name: 'control', replies: 20, successes: 10, successRate: 0.5, ignoredRate: 0.5 });
    // Scores: ten 1s and ten −0.25s: mean 0.375, sample sd √(7.8125/19).
    expect(control!.meanScore).toBeCloseTo(0.375, 10);
    expect(control!.meanScoreCi[0]).toBeCloseTo(0.093969, 5);
    expect(control!.meanScoreCi[1]).toBeCloseTo(0.656031, 5);
    expect(control!.successCi).toEqual(wilsonInterval(10, 20));
    expect(short).toMatchObject({ replies: 4, successes: 3, successRate: 0.75, meanScore: 0.5, ignoredRate: 0 });
    // Scores 1, 1, 1, −1: sample sd 1, so 0.5 ± 0.98, clipped to the score range above.
    expect(short!.meanScoreCi[0]).toBeCloseTo(-0.48, 4);
    expect(short!.meanScoreCi[1]).toBe(1);
    expect(readout.comparisons).toEqual([
      {
        variant: 'short',
        against: 'control',
        difference: 0.25,
        ...twoProportionTest(10, 20, 3, 4),
        significant: false,
      },
    ]);
  });

  it('has neutral figures for a variant without replies, and leaves out unknown variants', () => {
    const readout = experimentReadout(experiment(['control', 'b']), [
      ...replies('control', 1, 0),
      ...replies('gone', 5, 0),
    ]);
    expect(readout.variants[0]!.meanScoreCi).toEqual([-1, 1]);
    expect(readout.variants[1]).toEqual({
      name: 'b',
      replies: 0,
      successes: 0,
      successRate: 0,
      successCi: [0, 1],
      meanScore: 0,
      meanScoreCi: [-1, 1],
      ignoredRate: 0,
    });
    expect(readout.comparisons[0]).toMatchObject({ z: 0, pValue: 1, significant: false });
  });

  it('plans the minimum sample at the strict alpha, Bonferroni-adjusted, around the control rate', () => {
    const two = experimentReadout(experiment(['a', 'b']), replies('a', 40, 60));
    expect(two.alpha).toBe(0.005);
    expect(two.power).toBe(0.8);
    expect(two.minimumSamplePerVariant).toBe(minimumSamplePerVariant(0.4, 0.1, 0.005, 0.8));
    const four = experimentReadout(experiment(['a', 'b', 'c', 'd']), replies('a', 40, 60));
    expect(four.minimumSamplePerVariant).toBe(minimumSamplePerVariant(0.4, 0.1, 0.005 / 3, 0.8));
    const empty = experimentReadout(experiment(['a', 'b']), []);
    expect(empty.minimumSamplePerVariant).toBe(minimumSamplePerVariant(null, 0.1, 0.005, 0.8));
    expect(empty.verdict).toEqual({ kind: 'collecting', needed: empty.minimumSamplePerVariant });
  });

  it('keeps collecting below the minimum sample however large the difference', () => {
    const n = minimumSamplePerVariant(0, 0.1, 0.005, 0.8);
    const readout = experimentReadout(experiment(['control', 'b']), [
      ...replies('control', 0, n),
      ...replies('b', n - 1, 0),
    ]);
    expect(readout.minimumSamplePerVariant).toBe(n);
    expect(readout.comparisons[0]!.significant).toBe(true);
    expect(readout.verdict).toEqual({ kind: 'collecting', needed: 1 });
  });

  it('names the better variant once the sample is in and the difference significant', () => {
    const n = minimumSamplePerVariant(0.4, 0.1, 0.005, 0.8);
    const control = Math.round(0.4 * n);
    const better = Math.round(0.55 * n);
    const readout = experimentReadout(experiment(['control', 'b']), [
      ...replies('control', control, n - control),
      ...replies('b', better, n - better),
    ]);
    expect(readout.comparisons[0]!.pValue).toBeLessThan(0.005);
    expect(readout.verdict).toEqual({ kind: 'winner', variant: 'b' });
  });

  it('names the control when the other variant is significantly worse', () => {
    const readout = experimentReadout(experiment(['control', 'b']), [
      ...replies('control', 500, 500),
      ...replies('b', 400, 600),
    ]);
    expect(readout.minimumSamplePerVariant).toBeLessThanOrEqual(1000);
    expect(readout.verdict).toEqual({ kind: 'winner', variant: 'control' });
  });

  it('finds no difference when the sample is in and nothing is significant', () => {
    const readout = experimentReadout(experiment(['control', 'b']), [
      ...replies('control', 500, 500),
      ...replies('b', 520, 480),
    ]);
    expect(readout.comparisons[0]!.significant).toBe(false);
    expect(readout.verdict).toEqual({ kind: 'no_difference' });
  });

  it('tests each of several comparisons at alpha / comparisons', () => {
    // 500/1000 against 563/1000: p ≈ 0.0048, significant alone, not at 0.005 / 2.
    const outcomes = [...replies('control', 500, 500), ...replies('b', 563, 437), ...replies('c', 500, 500)];
    const { pValue } = twoProportionTest(500, 1000, 563, 1000);
    expect(pValue).toBeGreaterThan(0.0025);
    expect(pValue).toBeLessThan(0.005);
    expect(experimentReadout(experiment(['control', 'b']), outcomes).verdict).toEqual({
      kind: 'winner',
      variant: 'b',
    });
    expect(experimentReadout(experiment(['control', 'b', 'c']), outcomes).verdict).toEqual({ kind: 'no_difference' });
  });

  it('names the best of several significant variants', () => {
    const readout = experimentReadout(experiment(['control', 'b', 'c', 'd']), [
      ...replies('control', 400, 600),
      ...replies('b', 500, 500),
      ...replies('c', 560, 440),
      ...replies('d', 300, 700),
    ]);
    expect(readout.comparisons.map((c) => c.significant)).toEqual([true, true, true]);
    expect(readout.verdict).toEqual({ kind: 'winner', variant: 'c' });
  });

  it('counts the control a winner over a significantly worse variant only if no variant beats it', () => {
    const readout = experimentReadout(experiment(['control', 'b', 'c']), [
      ...replies('control', 500, 500),
      ...replies('b', 380, 620),
      ...replies('c', 505, 495),
    ]);
    expect(readout.verdict).toEqual({ kind: 'winner', variant: 'control' });
  });

  it('never names a winner before the minimum sample and a significant comparison', () => {
    const counts = fc.record({ successes: fc.nat(1500), failures: fc.nat(1500), ignored: fc.nat(300) });
    fc.assert(
      fc.property(
        fc.array(counts, { minLength: 2, maxLength: 4 }),
        fc.double({ min: 0.02, max: 0.5, noNaN: true }),
        (arms, effect) => {
          const names = arms.map((_, i) => `v${i}`);
          const readout = experimentReadout(
            experiment(names, effect),
            arms.flatMap((a, i) => replies(names[i]!, a.successes, a.failures, a.ignored)),
          );
          for (const v of readout.variants) {
            expect(v.successCi[0]).toBeLessThanOrEqual(v.successRate + 1e-12);
            expect(v.successCi[1]).toBeGreaterThanOrEqual(v.successRate - 1e-12);
          }
          const fewest = Math.min(...readout.variants.map((v) => v.replies));
          if (readout.verdict.kind === 'collecting')
            expect(readout.verdict.needed).toBe(readout.minimumSamplePerVariant - fewest);
          else expect(fewest).toBeGreaterThanOrEqual(readout.minimumSamplePerVariant);
          if (readout.verdict.kind === 'winner') {
            const winner = readout.verdict.variant;
            expect(
              readout.comparisons.some((c) => c.significant && (c.variant === winner || c.against === winner)),
            ).toBe(true);
          }
          expect(readout.verdict.kind === 'no_difference').toBe(
            fewest >= readout.minimumSamplePerVariant && readout.comparisons.every((c) => !c.significant),
          );
        },
      ),
    );
  });
});
