import type { Tone } from './assess-tone.js';
import { CHAT_STATE_LIMITS, type ChatState, type DynamicsEdge } from './chat-state.js';

/** How an interaction between two members was observed, strongest first. */
export type InteractionKind = 'reply' | 'mention' | 'adjacent';

const KIND_WEIGHT: Record<InteractionKind, number> = { reply: 1, mention: 0.7, adjacent: 0.3 };

/** Interactions lose half their weight in a week: old quarrels and friendships fade. */
export const DYNAMICS_HALF_LIFE_MS = 7 * 86_400_000;
/** A conflict with a hostile exchange this recent is running now. */
export const CONFLICT_ACTIVE_MS = 30 * 60_000;

/** Thresholds for calling a pair allies or in conflict (after decay). */
const ALLY_MIN_MUTUAL = 1.5;
const ALLY_MIN_POSITIVITY = 0.25;
const CONFLICT_MIN_NEGATIVE = 1.5;

/** Two members and how strongly they are allied or in conflict, with the messages that show it. */
export interface Relation {
  a: number;
  b: number;
  score: number;
  evidence: number[];
  /** Last interaction that counted for this relation. */
  lastMs: number;
}

export interface Relations {
  allies: Relation[];
  conflicts: Relation[];
}

/**
 * Records that `from` interacted with `to` (replied, mentioned, or answered
 * right after), with the tone of that message. Friendly and hostile weights
 * decay with {@link DYNAMICS_HALF_LIFE_MS}; insults weigh heavily, and the
 * message id is kept as evidence.
 */
export function recordInteraction(state: ChatState, from: number, to: number, kind: InteractionKind, tone: Tone, messageId: number, nowMs: number): void {
  if (from === to) return;
  const key = `${from}>${to}`;
  let edge = state.edges[key];
  // Speaking right after someone is a weak sign: it strengthens a known pair, and starts a new one
  // only when the message shows engagement (agreeing, arguing, "ты"/"you", clear tone).
  if (edge === undefined && kind === 'adjacent' && !(tone.agree || tone.disagree || tone.secondPerson || tone.sentiment !== 0)) return;
  if (edge === undefined) {
    edge = { weight: 0, positive: 0, negative: 0, insults: 0, lastMs: nowMs, lastNegativeMs: 0, positiveEvidence: [], negativeEvidence: [] };
    state.edges[key] = edge;
  } else {
    decayEdge(edge, nowMs);
  }
  const w = KIND_WEIGHT[kind];
  const positive = w * Math.max(0, tone.sentiment) + (tone.agree ? 0.5 * w : 0);
  // Talking right after someone is too weak a sign to pin an insult on them.
  const insult = tone.insult && kind !== 'adjacent' ? 1 : 0;
  const negative = w * Math.max(0, -tone.sentiment) + (tone.disagree ? 0.5 * w : 0) + insult * 1.5 + (tone.profane && tone.secondPerson ? 0.5 : 0);
  edge.weight += w;
  edge.positive += positive;
  edge.negative += negative;
  edge.insults += insult;
  edge.lastMs = nowMs;
  if (positive >= 0.3 && positive > negative) pushEvidence(edge.positiveEvidence, messageId);
  if (negative >= 0.3 && negative >= positive) {
    pushEvidence(edge.negativeEvidence, messageId);
    edge.lastNegativeMs = nowMs;
  }
}

/**
 * Allies (frequent, mutual, mostly friendly interaction) and conflicts
 * (hostile exchanges or insults, even one-sided), strongest first, with
 * weights decayed to `nowMs`.
 */
export function relations(state: ChatState, nowMs: number): Relations {
  const allies: Relation[] = [];
  const conflicts: Relation[] = [];
  const seen = new Set<string>();
  for (const key of Object.keys(state.edges)) {
    const sep = key.indexOf('>');
    const x = Number(key.slice(0, sep));
    const y = Number(key.slice(sep + 1));
    const a = Math.min(x, y);
    const b = Math.max(x, y);
    const pair = `${a}>${b}`;
    if (seen.has(pair)) continue;
    seen.add(pair);
    const ab = decayed(state.edges[`${a}>${b}`], nowMs);
    const ba = decayed(state.edges[`${b}>${a}`], nowMs);
    const positive = ab.positive + ba.positive;
    const negative = ab.negative + ba.negative;
    const lastMs = Math.max(ab.lastMs, ba.lastMs);
    const mutual = Math.min(ab.weight, ba.weight);
    const positivity = (positive - negative) / (positive + negative + 1);
    if (mutual >= ALLY_MIN_MUTUAL && positivity >= ALLY_MIN_POSITIVITY) {
      allies.push({ a, b, score: round1(mutual * positivity), evidence: mergeEvidence(ab.positiveEvidence, ba.positiveEvidence), lastMs });
    }
    const insults = ab.insults + ba.insults;
    if ((negative >= CONFLICT_MIN_NEGATIVE && negative > positive) || insults >= 1) {
      conflicts.push({
        a,
        b,
        score: round1(Math.max(0, negative - positive) + insults),
        evidence: mergeEvidence(ab.negativeEvidence, ba.negativeEvidence),
        lastMs: Math.max(ab.lastNegativeMs, ba.lastNegativeMs),
      });
    }
  }
  const byScore = (p: Relation, q: Relation): number => q.score - p.score || p.a - q.a || p.b - q.b;
  return { allies: allies.sort(byScore), conflicts: conflicts.sort(byScore) };
}

/** Conflicts with a hostile exchange within {@link CONFLICT_ACTIVE_MS}. */
export function runningConflicts(state: ChatState, nowMs: number): Relation[] {
  return relations(state, nowMs).conflicts.filter((c) => nowMs - c.lastMs <= CONFLICT_ACTIVE_MS);
}

/** Whom a member replies to and who replies to them, by decayed interaction weight. */
export function interactionPartners(state: ChatState, userId: number, nowMs: number): { to: Array<{ userId: number; weight: number }>; from: Array<{ userId: number; weight: number }> } {
  const to: Array<{ userId: number; weight: number }> = [];
  const from: Array<{ userId: number; weight: number }> = [];
  for (const [key, edge] of Object.entries(state.edges)) {
    const sep = key.indexOf('>');
    const x = Number(key.slice(0, sep));
    const y = Number(key.slice(sep + 1));
    const weight = round1(edge.weight * decayFactor(nowMs - edge.lastMs));
    if (weight <= 0) continue;
    if (x === userId) to.push({ userId: y, weight });
    else if (y === userId) from.push({ userId: x, weight });
  }
  const byWeight = (p: { userId: number; weight: number }, q: { userId: number; weight: number }): number => q.weight - p.weight || p.userId - q.userId;
  return { to: to.sort(byWeight), from: from.sort(byWeight) };
}

export function decayFactor(elapsedMs: number): number {
  return elapsedMs <= 0 ? 1 : Math.pow(0.5, elapsedMs / DYNAMICS_HALF_LIFE_MS);
}

const EMPTY_EDGE: DynamicsEdge = Object.freeze({
  weight: 0, positive: 0, negative: 0, insults: 0, lastMs: 0, lastNegativeMs: 0, positiveEvidence: [], negativeEvidence: [],
}) as DynamicsEdge;

function decayed(edge: DynamicsEdge | undefined, nowMs: number): DynamicsEdge {
  if (edge === undefined) return EMPTY_EDGE;
  const f = decayFactor(nowMs - edge.lastMs);
  return { ...edge, weight: edge.weight * f, positive: edge.positive * f, negative: edge.negative * f, insults: edge.insults * f };
}

function decayEdge(edge: DynamicsEdge, nowMs: number): void {
  const f = decayFactor(nowMs - edge.lastMs);
  if (f === 1) return;
  edge.weight *= f;
  edge.positive *= f;
  edge.negative *= f;
  edge.insults *= f;
}

function pushEvidence(list: number[], messageId: number): void {
  if (list[list.length - 1] === messageId) return;
  list.push(messageId);
  if (list.length > CHAT_STATE_LIMITS.evidence) list.shift();
}

function mergeEvidence(a: readonly number[], b: readonly number[]): number[] {
  return [...new Set([...a, ...b])].sort((x, y) => x - y);
}

/**
 * Keeps the graph bounded: beyond one and a half times the cap, the weakest edges
 * (after decay) go, in one batch so the cost per message stays constant.
 * New pairs appear all the time, so the pipeline calls this every few
 * messages rather than on every new edge.
 */
export function pruneEdges(state: ChatState, nowMs: number): void {
  const cap = CHAT_STATE_LIMITS.edges;
  const keys = Object.keys(state.edges);
  if (keys.length <= cap + cap / 2) return;
  const strength = (k: string): number => {
    const e = state.edges[k]!;
    return (e.weight + e.negative) * decayFactor(nowMs - e.lastMs);
  };
  const ranked = keys.map((k) => [k, strength(k)] as const).sort((p, q) => q[1] - p[1]);
  const kept: ChatState['edges'] = {};
  for (const [k] of ranked.slice(0, cap)) kept[k] = state.edges[k]!;
  state.edges = kept;
}

function round1(x: number): number {
  return Math.round(x * 10) / 10;
}
