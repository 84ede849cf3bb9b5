import { assignVariant, experimentReadout, replyScore, type ExperimentReadout } from '../src/chat/index.js';
import type { ExperimentRecord, ReplyOutcome, ReplySignalKind } from '../src/ports/index.js';
import { SeededRandom } from '../src/sandbox/index.js';
import type { BenchContext, Scenario, ScenarioResult } from './report.js';

/** The effect every simulated better variant has: the schema's default `minimumEffect`. */
const EFFECT = 0.1;
/** A dashboard stops looking at an undecided experiment once every variant has this many times the minimum sample. */
const CAP_FACTOR = 3;
/** The dashboard re-reads the readout after every this many settled replies. */
const LOOK_EVERY = 10;

/** One way members may react to a reply; `positive` says which way a better variant moves its probability. */
interface SignalDraw {
  kind: ReplySignalKind;
  value: number;
  positive: boolean;
}

const DRAWS: SignalDraw[] = [
  { kind: 'reaction', value: 1, positive: true },
  { kind: 'reaction', value: -1, positive: false },
  { kind: 'reply', value: 1, positive: true }, // «спасибо»
  { kind: 'reply', value: -1, positive: false }, // «бред»
  { kind: 'reply', value: 0, positive: true }, // a reply that just goes on talking
  { kind: 'quote', value: 1, positive: true },
  { kind: 'continued', value: 1, positive: true },
  { kind: 'followup', value: 1, positive: true }, // thanks, not as a reply
  { kind: 'followup', value: -1, positive: false }, // «бред», not as a reply
];

/**
 * How members treat one variant's replies: with probability `ignored` none
 * reacts; otherwise each signal of `DRAWS` comes independently with its
 * probability, and a reply that drew none still had its author go on talking
 * (`continued`), so `ignored` is exactly the ignored rate.
 */
interface Preference {
  ignored: number;
  draws: number[];
}

/** Control preferences of three kinds of chat, from quiet to lively. */
const CHATS: Record<string, Preference> = {
  quiet: { ignored: 0.75, draws: [0.08, 0.06, 0.05, 0.05, 0.1, 0.03, 0.15, 0.03, 0.04] },
  typical: { ignored: 0.5, draws: [0.15, 0.08, 0.08, 0.06, 0.2, 0.05, 0.3, 0.05, 0.04] },
  lively: { ignored: 0.25, draws: [0.25, 0.1, 0.12, 0.08, 0.3, 0.08, 0.45, 0.08, 0.05] },
};

function outcomeSignals(pref: Preference, fired: (i: number) => boolean): ReplyOutcome['signals'] {
  const signals = DRAWS.filter((_, i) => fired(i)).map(({ kind, value }) => ({ kind, value }));
  return signals.length === 0 ? [{ kind: 'continued', value: 1 }] : signals;
}

/** The exact success rate of a preference: every combination of signals enumerated and scored by `replyScore`. */
function successRate(pref: Preference): number {
  let rate = 0;
  for (let mask = 0; mask < 1 << DRAWS.length; mask++) {
    let p = 1 - pref.ignored;
    for (let i = 0; i < DRAWS.length; i++) p *= mask & (1 << i) ? pref.draws[i]! : 1 - pref.draws[i]!;
    if (replyScore(outcomeSignals(pref, (i) => (mask & (1 << i)) !== 0)).success) rate += p;
  }
  return rate;
}

/** The control's preference moved by `t`: positive signals likelier, negative ones and silence rarer. */
function improved(pref: Preference, t: number): Preference {
  return {
    ignored: pref.ignored / (1 + t),
    draws: pref.draws.map((p, i) => (DRAWS[i]!.positive ? Math.min(1, p * (1 + t)) : p / (1 + t))),
  };
}

/** The variant whose exact success rate is the control's plus `effect`, found by bisection on `t`. */
function betterBy(pref: Preference, effect: number): Preference {
  const target = successRate(pref) + effect;
  let lo = 0;
  let hi = 10;
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2;
    if (successRate(improved(pref, mid)) < target) lo = mid;
    else hi = mid;
  }
  return improved(pref, hi);
}

function drawOutcome(random: SeededRandom, variant: string, pref: Preference): ReplyOutcome {
  if (random.next() < pref.ignored) return { variant, signals: [] };
  return { variant, signals: outcomeSignals(pref, (i) => random.next() < pref.draws[i]!) };
}

interface Run {
  /** The last readout the dashboard saw. */
  last: ExperimentReadout;
  winner: string | null;
  /** The winner was named at the first look with the minimum sample in every variant. */
  atMinimum: boolean;
  looks: number;
  readoutNs: bigint;
}

/**
 * One experiment as a dashboard sees it: replies settle one by one, each from
 * a new member assigned by `assignVariant`; after every `LOOK_EVERY` the
 * readout is taken again, until it names a winner or every variant has
 * `CAP_FACTOR` times the minimum sample. `no_difference` does not stop the
 * dashboard: it is exactly the repeated looking that inflates false winners.
 */
function runExperiment(id: number, prefs: Record<string, Preference>): Run {
  const random = new SeededRandom(id);
  const experiment: Pick<ExperimentRecord, 'id' | 'variants' | 'minimumEffect'> = {
    id,
    variants: [
      { name: 'control', share: 1 },
      { name: 'b', share: 1 },
    ],
    minimumEffect: EFFECT,
  };
  const outcomes: ReplyOutcome[] = [];
  let looks = 0;
  let readoutNs = 0n;
  let pastMinimum = false;
  for (;;) {
    const variant = assignVariant(experiment, random.int(1, 2 ** 31 - 1)).name;
    outcomes.push(drawOutcome(random, variant, prefs[variant]!));
    if (outcomes.length % LOOK_EVERY !== 0) continue;
    const started = process.hrtime.bigint();
    const readout = experimentReadout(experiment, outcomes);
    readoutNs += process.hrtime.bigint() - started;
    looks++;
    if (readout.verdict.kind === 'winner')
      return { last: readout, winner: readout.verdict.variant, atMinimum: !pastMinimum, looks, readoutNs };
    if (readout.verdict.kind === 'no_difference') pastMinimum = true;
    const fewest = Math.min(...readout.variants.map((v) => v.replies));
    if (fewest >= CAP_FACTOR * readout.minimumSamplePerVariant)
      return { last: readout, winner: null, atMinimum: false, looks, readoutNs };
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

export const scenario: Scenario = {
  name: 'ab',
  description:
    'A/B readout under a dashboard that re-reads it as replies arrive: correct winners when variant B is better by the minimum effect, false winners on equal variants',
  async run(ctx: BenchContext): Promise<ScenarioResult> {
    const perChat = ctx.quick ? 100 : 500;
    const chats = Object.entries(CHATS);
    let better = 0;
    let correct = 0;
    let correctAtMinimum = 0;
    let power = 0;
    let wrong = 0;
    let equal = 0;
    let falseWinners = 0;
    let looks = 0;
    let readoutNs = 0n;
    const winnerReplies: number[] = [];
    const minimumSamples: Record<string, number[]> = {};
    const rates: string[] = [];
    let id = 1;
    for (const [chat, control] of chats) {
      const b = betterBy(control, EFFECT);
      rates.push(`${chat} ${successRate(control).toFixed(3)} vs ${successRate(b).toFixed(3)}`);
      const samples = (minimumSamples[chat] = [] as number[]);
      for (let i = 0; i < perChat; i++) {
        const run = runExperiment(id++, { control, b });
        better++;
        looks += run.looks;
        readoutNs += run.readoutNs;
        samples.push(run.last.minimumSamplePerVariant);
        power = run.last.power;
        if (run.winner === 'b') {
          correct++;
          if (run.atMinimum) correctAtMinimum++;
          winnerReplies.push(Math.min(...run.last.variants.map((v) => v.replies)));
        } else if (run.winner !== null) wrong++;
        const same = runExperiment(id++, { control, b: control });
        equal++;
        looks += same.looks;
        readoutNs += same.readoutNs;
        if (same.winner !== null) falseWinners++;
        if (i % 20 === 0) ctx.progress(`${chat}: ${i}/${perChat} experiments`);
      }
    }
    const typical = median(minimumSamples['typical']!);
    return {
      results: {
        ab_correct_winner_rate: correct / better,
        ab_false_winner_rate: falseWinners / equal,
        ab_correct_at_minimum_sample_rate: correctAtMinimum / better,
        ab_wrong_winner_rate: wrong / better,
        ab_minimum_sample_per_variant: typical,
        ab_replies_to_winner_p50: median(winnerReplies),
        readout_us_per_look: Number(readoutNs) / looks / 1000,
      },
      targets: {
        ab_correct_winner_rate: { '>=': 0.95 },
        ab_false_winner_rate: { '<=': 0.05 },
      },
      notes: [
        `${better} experiments with B better by ${EFFECT} (${correct} found B, ${wrong} named the control), ${equal} with equal variants (${falseWinners} false winners); ${perChat} of each per chat kind`,
        `true success rates, control vs B: ${rates.join('; ')}`,
        `minimum sample per variant (median at the last look): ${chats.map(([chat]) => `${chat} ${median(minimumSamples[chat]!)}`).join(', ')}; looks every ${LOOK_EVERY} replies, until a winner or ${CAP_FACTOR}× the minimum sample`,
        `ab_correct_at_minimum_sample_rate: B named at the first look with the minimum sample in both variants (planned power ${power})`,
        `ab_replies_to_winner_p50: replies per variant when B was named (median)`,
      ],
    };
  },
};
