import type { ExperimentRecord, ReplyOutcome } from '../../ports/index.js';
import { normalQuantile, twoSidedP } from './normal.js';
import { replyScore } from './reply-score.js';

/** One variant's replies and how they were received. */
export interface VariantReadout {
  name: string;
  /** Settled replies of the variant. */
  replies: number;
  /** Replies scored a success (`replyScore(...).success`). */
  successes: number;
  /** successes / replies; 0 without replies. */
  successRate: number;
  /** 95 % Wilson score interval of the success rate; [0, 1] without replies. */
  successCi: [number, number];
  /** Mean `replyScore(...).score`, in [−1, 1]; 0 without replies. */
  meanScore: number;
  /** 95 % normal-approximation interval of the mean score (sample variance), clipped to [−1, 1]; [−1, 1] below two replies. */
  meanScoreCi: [number, number];
  /** Share of replies nobody reacted to within the window; 0 without replies. */
  ignoredRate: number;
}

/** A non-control variant against the control, by success rate. */
export interface VariantComparison {
  variant: string;
  /** The control (the experiment's first variant). */
  against: string;
  /** variant's success rate − control's. */
  difference: number;
  /** Two-proportion z statistic with the pooled rate; 0 when the pooled rate is 0 or 1 (no variance to test). */
  z: number;
  /** Two-sided p-value of `z`. */
  pValue: number;
  /** pValue below the readout's alpha divided by the number of comparisons (Bonferroni). */
  significant: boolean;
}

/**
 * - `collecting`: some variant has fewer replies than the minimum sample;
 *   `needed` is the most replies any one variant still lacks.
 * - `winner`: every variant has the minimum sample and a comparison is
 *   significant; the variant is the better side of it.
 * - `no_difference`: the minimum sample is in and no comparison is significant.
 */
export type ReadoutVerdict =
  { kind: 'collecting'; needed: number } | { kind: 'no_difference' } | { kind: 'winner'; variant: string };

export interface ExperimentReadout {
  experimentId: number;
  /** The family-wise significance level; each comparison is tested at alpha / comparisons. */
  alpha: number;
  /** The chance of detecting a difference of `minimumEffect` at the minimum sample, in a single look. */
  power: number;
  minimumSamplePerVariant: number;
  variants: VariantReadout[];
  comparisons: VariantComparison[];
  verdict: ReadoutVerdict;
}

/**
 * The family-wise significance level. A dashboard re-reads the readout as
 * replies arrive, and every look after the minimum sample is another chance
 * for noise to cross the line. With equal variants and a look after every
 * reply from the minimum sample (600, success rate 0.4) up to three times
 * it, a simulated pooled z-test (4,000 runs) named a false winner 20.5 % of
 * the time at the textbook 0.05, 5.8 % at 0.01 and 3.4 % at 0.005;
 * `npm run bench -- ab`, looking through this readout every 10 replies,
 * measures 3.2 % at 0.005.
 * So 0.005 keeps false winners under 5 % for looks up to 3× the minimum
 * sample, however often the dashboard refreshes; an experiment left running
 * past that keeps spending its error budget and should be stopped.
 */
const ALPHA = 0.005;
/** The usual planning power; with looks continuing up to 3× the minimum sample, a true `minimumEffect` is found almost always. */
const POWER = 0.8;
/** Confidence of the per-variant intervals shown on the dashboard (descriptive, not the test). */
const INTERVAL_Z = normalQuantile(0.975);

/**
 * Replies per variant that a two-sided two-proportion z-test at `alpha` needs
 * to detect an absolute difference `effect` with `power`, by the standard
 * formula n = (z₁₋α/₂·√(2·p̄q̄) + z_power·√(p₁q₁ + p₂q₂))² / (p₂ − p₁)².
 *
 * p₁ is the control's observed rate and p₂ lies `effect` from it towards 0.5,
 * where p(1 − p) is larger, so the plan errs on the large side. Without
 * control data the pair is 0.5 ± effect/2: both variance terms peak when the
 * pair's mean is 0.5, so that is the largest sample any control rate can
 * need, and no later data can show the plan was too small.
 */
export function minimumSamplePerVariant(
  controlRate: number | null,
  effect: number,
  alpha: number,
  power: number,
): number {
  const [p1, p2] =
    controlRate === null
      ? [0.5 - effect / 2, 0.5 + effect / 2]
      : [controlRate, clamp01(controlRate < 0.5 ? controlRate + effect : controlRate - effect)];
  const mean = (p1 + p2) / 2;
  const zAlpha = normalQuantile(1 - alpha / 2);
  const zPower = normalQuantile(power);
  const root = zAlpha * Math.sqrt(2 * mean * (1 - mean)) + zPower * Math.sqrt(p1 * (1 - p1) + p2 * (1 - p2));
  return Math.ceil((root * root) / ((p2 - p1) * (p2 - p1)));
}

/** The 95 % (or `z`) Wilson score interval for `successes` out of `n`. */
export function wilsonInterval(successes: number, n: number, z = INTERVAL_Z): [number, number] {
  if (n === 0) return [0, 1];
  const p = successes / n;
  const z2 = z * z;
  const denominator = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denominator;
  const half = (z / denominator) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}

/** Two-proportion z-test with the pooled rate: z of (rate B − rate A) and its two-sided p-value. */
export function twoProportionTest(
  successesA: number,
  nA: number,
  successesB: number,
  nB: number,
): { z: number; pValue: number } {
  if (nA === 0 || nB === 0) return { z: 0, pValue: 1 };
  const pooled = (successesA + successesB) / (nA + nB);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / nA + 1 / nB));
  if (se === 0) return { z: 0, pValue: 1 };
  const z = (successesB / nB - successesA / nA) / se;
  return { z, pValue: twoSidedP(z) };
}

/**
 * The readout of an experiment from its settled replies: per variant the
 * success rate, mean score and ignored rate with intervals; each variant
 * against the control (the first variant); and the verdict. Outcomes of
 * variants the experiment does not list are left out. Never names a winner
 * before every variant has the minimum sample and a comparison is
 * significant at the Bonferroni-adjusted alpha.
 */
export function experimentReadout(
  experiment: Pick<ExperimentRecord, 'id' | 'variants' | 'minimumEffect'>,
  outcomes: readonly ReplyOutcome[],
): ExperimentReadout {
  const tallies = new Map(
    experiment.variants.map((v) => [v.name, { replies: 0, successes: 0, ignored: 0, sum: 0, sumSq: 0 }]),
  );
  for (const outcome of outcomes) {
    const tally = tallies.get(outcome.variant);
    if (tally === undefined) continue;
    const { score, success, ignored } = replyScore(outcome.signals);
    tally.replies++;
    if (success) tally.successes++;
    if (ignored) tally.ignored++;
    tally.sum += score;
    tally.sumSq += score * score;
  }
  const variants = experiment.variants.map((v): VariantReadout => {
    const t = tallies.get(v.name)!;
    const n = t.replies;
    const meanScore = n === 0 ? 0 : t.sum / n;
    let meanScoreCi: [number, number] = [-1, 1];
    if (n >= 2) {
      const variance = Math.max(0, (t.sumSq - n * meanScore * meanScore) / (n - 1));
      const half = INTERVAL_Z * Math.sqrt(variance / n);
      meanScoreCi = [Math.max(-1, meanScore - half), Math.min(1, meanScore + half)];
    }
    return {
      name: v.name,
      replies: n,
      successes: t.successes,
      successRate: n === 0 ? 0 : t.successes / n,
      successCi: wilsonInterval(t.successes, n),
      meanScore,
      meanScoreCi,
      ignoredRate: n === 0 ? 0 : t.ignored / n,
    };
  });
  const [control, ...others] = variants;
  if (control === undefined) throw new RangeError('an experiment has at least one variant');
  const adjustedAlpha = ALPHA / Math.max(1, others.length);
  const comparisons = others.map((v): VariantComparison => {
    const { z, pValue } = twoProportionTest(control.successes, control.replies, v.successes, v.replies);
    return {
      variant: v.name,
      against: control.name,
      difference: v.successRate - control.successRate,
      z,
      pValue,
      significant: pValue < adjustedAlpha,
    };
  });
  const minimumSample = minimumSamplePerVariant(
    control.replies === 0 ? null : control.successRate,
    experiment.minimumEffect,
    adjustedAlpha,
    POWER,
  );
  return {
    experimentId: experiment.id,
    alpha: ALPHA,
    power: POWER,
    minimumSamplePerVariant: minimumSample,
    variants,
    comparisons,
    verdict: verdict(variants, comparisons, minimumSample),
  };
}

function verdict(
  variants: readonly VariantReadout[],
  comparisons: readonly VariantComparison[],
  minimumSample: number,
): ReadoutVerdict {
  const needed = Math.max(...variants.map((v) => minimumSample - v.replies));
  if (needed > 0) return { kind: 'collecting', needed };
  const rate = new Map(variants.map((v) => [v.name, v.successRate]));
  let best: string | null = null;
  for (const c of comparisons) {
    if (!c.significant) continue;
    const better = c.difference > 0 ? c.variant : c.against;
    if (best === null || rate.get(better)! > rate.get(best)!) best = better;
  }
  return best === null ? { kind: 'no_difference' } : { kind: 'winner', variant: best };
}

function clamp01(x: number): number {
  return Math.min(1, Math.max(0, x));
}
