import type { Tone } from './assess-tone.js';
import { CHAT_STATE_LIMITS, type ChatState, type DynamicsEdge, EDGE, type StoredDynamicsEdge } from './chat-state.js';
import { keepStrongest } from './keep-strongest.js';
import { countNewKey, hasMoreKeysThan } from './key-count.js';
import { withLast } from './bounded-list.js';

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

/** Two members and how strongly they are allied or in conflict, with the messages that show it (from {@link relations}). */
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
export function recordInteraction(
  state: ChatState,
  from: number,
  to: number,
  kind: InteractionKind,
  tone: Tone,
  messageId: number,
  nowMs: number,
): void {
  if (from === to) return;
  const key = `${from}>${to}`;
  let edge = state.edges[key];
  // Speaking right after someone is a weak sign: it strengthens a known pair, and starts a new one
  // only when the message shows engagement (agreeing, arguing, "ты"/"you", clear tone).
  if (
    edge === undefined &&
    kind === 'adjacent' &&
    !(tone.agree || tone.disagree || tone.secondPerson || tone.sentiment !== 0)
  )
    return;
  if (edge === undefined) {
    edge = newEdge(nowMs);
    state.edges[key] = edge;
    countNewKey(state.edges);
  } else {
    decayEdge(edge, nowMs);
  }
  const w = KIND_WEIGHT[kind];
  const positive = w * Math.max(0, tone.sentiment) + (tone.agree ? 0.5 * w : 0);
  // Talking right after someone is too weak a sign to pin an insult on them.
  const insult = tone.insult && kind !== 'adjacent' ? 1 : 0;
  const negative =
    w * Math.max(0, -tone.sentiment) +
    (tone.disagree ? 0.5 * w : 0) +
    insult * 1.5 +
    (tone.profane && tone.secondPerson ? 0.5 : 0);
  edge[EDGE.weight] = edge[EDGE.weight]! + w;
  edge[EDGE.positive] = edge[EDGE.positive]! + positive;
  edge[EDGE.negative] = edge[EDGE.negative]! + negative;
  edge[EDGE.insults] = edge[EDGE.insults]! + insult;
  edge[EDGE.lastMs] = nowMs;
  if (positive >= 0.3 && positive > negative) {
    const grown = withEvidence(edge, true, messageId);
    if (grown !== edge) state.edges[key] = edge = grown;
  }
  if (negative >= 0.3 && negative >= positive) {
    const grown = withEvidence(edge, false, messageId);
    if (grown !== edge) state.edges[key] = edge = grown;
    edge[EDGE.lastNegativeMs] = nowMs;
    noteHostilePair(state, from, to, nowMs);
  }
}

const NO_IDS: readonly number[] = Object.freeze([]);

/** An edge with no interaction counted yet. */
function newEdge(nowMs: number): DynamicsEdge {
  return packEdge({
    weight: 0,
    positive: 0,
    negative: 0,
    insults: 0,
    lastMs: nowMs,
    lastNegativeMs: 0,
    positiveEvidence: NO_IDS,
    negativeEvidence: NO_IDS,
  });
}

/** The live edge of a stored one (each evidence cut to its cap), at exactly its length. */
export function packEdge(edge: Readonly<StoredDynamicsEdge>): DynamicsEdge {
  const cap = CHAT_STATE_LIMITS.evidence;
  const friendly = edge.positiveEvidence.length > cap ? edge.positiveEvidence.slice(-cap) : edge.positiveEvidence;
  const hostile = edge.negativeEvidence.length > cap ? edge.negativeEvidence.slice(-cap) : edge.negativeEvidence;
  // Made from a double so V8 keeps the array's numbers unboxed from the start (times in ms are doubles anyway).
  const packed = [0.5, edge.positive, edge.negative, edge.insults, edge.lastMs, edge.lastNegativeMs, friendly.length];
  packed[EDGE.weight] = edge.weight;
  return friendly.length + hostile.length === 0 ? packed : packed.concat(friendly, hostile);
}

/** A live edge as snapshots keep it. */
export function storedEdge(edge: DynamicsEdge): StoredDynamicsEdge {
  return {
    weight: edge[EDGE.weight]!,
    positive: edge[EDGE.positive]!,
    negative: edge[EDGE.negative]!,
    insults: edge[EDGE.insults]!,
    lastMs: edge[EDGE.lastMs]!,
    lastNegativeMs: edge[EDGE.lastNegativeMs]!,
    positiveEvidence: edgeEvidence(edge, true),
    negativeEvidence: edgeEvidence(edge, false),
  };
}

/** The message ids of an edge's friendly (`positive`) or hostile interactions, oldest first. */
export function edgeEvidence(edge: DynamicsEdge, positive: boolean): number[] {
  const split = EDGE.evidence + edge[EDGE.positiveCount]!;
  return positive ? edge.slice(EDGE.evidence, split) : edge.slice(split);
}

/**
 * Allies (frequent, mutual, mostly friendly interaction) and conflicts
 * (hostile exchanges or insults, even one-sided), strongest first, with
 * weights decayed to `nowMs`.
 */
export function relations(state: ChatState, nowMs: number): Relations {
  const allies: Relation[] = [];
  const conflicts: Relation[] = [];
  for (const key of Object.keys(state.edges)) {
    const [x, y] = endsOf(key);
    // Each pair once: from its lower id's edge, or from the only edge there is.
    if (x > y && state.edges[`${y}>${x}`] !== undefined) continue;
    const pair = pairRelation(state, x, y, nowMs, true);
    if (pair.ally !== null) allies.push(pair.ally);
    if (pair.conflict !== null) conflicts.push(pair.conflict);
  }
  return { allies: allies.sort(byScore), conflicts: conflicts.sort(byScore) };
}

/**
 * Conflicts with a hostile exchange within {@link CONFLICT_ACTIVE_MS}, read
 * from the few pairs with the latest hostile exchanges, so it is cheap enough
 * for every prompt.
 */
export function runningConflicts(state: ChatState, nowMs: number): Relation[] {
  const out: Relation[] = [];
  for (const [a, b, ms] of state.chat.hostilePairs) {
    if (nowMs - ms > CONFLICT_ACTIVE_MS) continue;
    const conflict = pairRelation(state, a, b, nowMs, false).conflict;
    if (conflict !== null) out.push(conflict);
  }
  return out.sort(byScore);
}

/** Which of `others` are allies of `userId`, strongest first. Looks only at those pairs. */
export function alliesAmong(state: ChatState, userId: number, others: Iterable<number>, nowMs: number): Relation[] {
  const out: Relation[] = [];
  for (const other of others) {
    if (other === userId) continue;
    const ally = pairRelation(state, userId, other, nowMs, false).ally;
    if (ally !== null) out.push(ally);
  }
  return out.sort(byScore);
}

function noteHostilePair(state: ChatState, x: number, y: number, nowMs: number): void {
  const a = Math.min(x, y);
  const b = Math.max(x, y);
  const pairs = state.chat.hostilePairs;
  const index = pairs.findIndex(([p, q]) => p === a && q === b);
  const others = index < 0 ? pairs : pairs.filter((_, i) => i !== index);
  state.chat.hostilePairs = withLast(others, [a, b, nowMs], CHAT_STATE_LIMITS.hostilePairs);
}

/**
 * Whether two members are allies and/or in conflict, from both directed
 * edges, decayed to `nowMs`. Evidence is collected only when asked for
 * (reports), not for the style rules of every prompt.
 */
function pairRelation(
  state: ChatState,
  x: number,
  y: number,
  nowMs: number,
  withEvidence: boolean,
): { ally: Relation | null; conflict: Relation | null } {
  const a = Math.min(x, y);
  const b = Math.max(x, y);
  const ab = state.edges[`${a}>${b}`];
  const ba = state.edges[`${b}>${a}`];
  const fab = ab === undefined ? 0 : decayFactor(nowMs - ab[EDGE.lastMs]!);
  const fba = ba === undefined ? 0 : decayFactor(nowMs - ba[EDGE.lastMs]!);
  const positive = figure(ab, EDGE.positive) * fab + figure(ba, EDGE.positive) * fba;
  const negative = figure(ab, EDGE.negative) * fab + figure(ba, EDGE.negative) * fba;
  const insults = figure(ab, EDGE.insults) * fab + figure(ba, EDGE.insults) * fba;
  const mutual = Math.min(figure(ab, EDGE.weight) * fab, figure(ba, EDGE.weight) * fba);
  const positivity = (positive - negative) / (positive + negative + 1);
  const ally =
    mutual >= ALLY_MIN_MUTUAL && positivity >= ALLY_MIN_POSITIVITY
      ? {
          a,
          b,
          score: round1(mutual * positivity),
          evidence: withEvidence ? mergeEvidence(ab, ba, true) : [],
          lastMs: Math.max(figure(ab, EDGE.lastMs), figure(ba, EDGE.lastMs)),
        }
      : null;
  const conflict =
    (negative >= CONFLICT_MIN_NEGATIVE && negative > positive) || insults >= 1
      ? {
          a,
          b,
          score: round1(Math.max(0, negative - positive) + insults),
          evidence: withEvidence ? mergeEvidence(ab, ba, false) : [],
          lastMs: Math.max(figure(ab, EDGE.lastNegativeMs), figure(ba, EDGE.lastNegativeMs)),
        }
      : null;
  return { ally, conflict };
}

/** One figure of an edge (an `EDGE` index), 0 for an edge that does not exist. */
function figure(edge: DynamicsEdge | undefined, at: number): number {
  return edge === undefined ? 0 : edge[at]!;
}

function byScore(p: Relation, q: Relation): number {
  return q.score - p.score || p.a - q.a || p.b - q.b;
}

function endsOf(key: string): [number, number] {
  const sep = key.indexOf('>');
  return [Number(key.slice(0, sep)), Number(key.slice(sep + 1))];
}

/** Whom a member replies to and who replies to them, by decayed interaction weight. */
export function interactionPartners(
  state: ChatState,
  userId: number,
  nowMs: number,
): { to: Array<{ userId: number; weight: number }>; from: Array<{ userId: number; weight: number }> } {
  const to: Array<{ userId: number; weight: number }> = [];
  const from: Array<{ userId: number; weight: number }> = [];
  for (const [key, edge] of Object.entries(state.edges)) {
    const [x, y] = endsOf(key);
    const weight = round1(edge[EDGE.weight]! * decayFactor(nowMs - edge[EDGE.lastMs]!));
    if (weight <= 0) continue;
    if (x === userId) to.push({ userId: y, weight });
    else if (y === userId) from.push({ userId: x, weight });
  }
  const byWeight = (p: { userId: number; weight: number }, q: { userId: number; weight: number }): number =>
    q.weight - p.weight || p.userId - q.userId;
  return { to: to.sort(byWeight), from: from.sort(byWeight) };
}

export function decayFactor(elapsedMs: number): number {
  return elapsedMs <= 0 ? 1 : Math.pow(0.5, elapsedMs / DYNAMICS_HALF_LIFE_MS);
}

function decayEdge(edge: DynamicsEdge, nowMs: number): void {
  const f = decayFactor(nowMs - edge[EDGE.lastMs]!);
  if (f === 1) return;
  edge[EDGE.weight] = edge[EDGE.weight]! * f;
  edge[EDGE.positive] = edge[EDGE.positive]! * f;
  edge[EDGE.negative] = edge[EDGE.negative]! * f;
  edge[EDGE.insults] = edge[EDGE.insults]! * f;
}

/**
 * `edge` with `messageId` added last to its friendly (`positive`) or hostile
 * evidence, the oldest dropped beyond the cap: a new array of exactly the
 * new length while that evidence grows (an array grown in place keeps room
 * for 16 more numbers), the same one, shifted, once it is full.
 */
function withEvidence(edge: DynamicsEdge, positive: boolean, messageId: number): DynamicsEdge {
  const split = EDGE.evidence + edge[EDGE.positiveCount]!;
  const start = positive ? EDGE.evidence : split;
  const end = positive ? split : edge.length;
  if (end > start && edge[end - 1] === messageId) return edge;
  if (end - start < CHAT_STATE_LIMITS.evidence) {
    const grown = edge.slice(0, end).concat(messageId, edge.slice(end));
    if (positive) grown[EDGE.positiveCount] = grown[EDGE.positiveCount]! + 1;
    return grown;
  }
  edge.copyWithin(start, start + 1, end);
  edge[end - 1] = messageId;
  return edge;
}

function mergeEvidence(a: DynamicsEdge | undefined, b: DynamicsEdge | undefined, positive: boolean): number[] {
  const ids = [
    ...(a === undefined ? [] : edgeEvidence(a, positive)),
    ...(b === undefined ? [] : edgeEvidence(b, positive)),
  ];
  return [...new Set(ids)].sort((x, y) => x - y);
}

/**
 * Keeps the graph bounded: beyond one and a half times the cap, the weakest edges
 * (after decay) go, in one batch so the cost per message stays constant.
 * New pairs appear all the time, so the pipeline calls this every few
 * messages rather than on every new edge.
 */
export function pruneEdges(state: ChatState, nowMs: number): void {
  const cap = CHAT_STATE_LIMITS.edges;
  if (!hasMoreKeysThan(state.edges, cap + cap / 2)) return;
  state.edges = keepStrongest(
    state.edges,
    cap,
    (e) => (e[EDGE.weight]! + e[EDGE.negative]!) * decayFactor(nowMs - e[EDGE.lastMs]!),
  );
}

function round1(x: number): number {
  return Math.round(x * 10) / 10;
}
