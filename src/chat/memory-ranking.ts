import { scanText } from './scan-text.js';

/** `fact`: a member about themselves; `message`: a member's substantive message; `bot`: one of the bot's own replies. */
export type MemoryKind = 'fact' | 'message' | 'bot';

/** A memory found by similarity search, before re-ranking. */
export interface MemoryHit {
  id: number;
  kind: MemoryKind;
  text: string;
  fromId: number;
  /** When it was said. */
  ms: number;
  /** Cosine similarity to the query, usually in [0, 1]. */
  similarity: number;
  /** Net feedback members gave it (replies and reactions), 0 when none. */
  feedback: number;
}

export interface RankOptions {
  nowMs: number;
  /** Most memories returned. */
  limit: number;
  /** Most estimated tokens (see {@link estimateTokens}) of memory text returned. */
  tokenBudget: number;
  /** Hits less similar than this are not memories of the topic at all. */
  minSimilarity: number;
  /** Age at which a message's recency weight has fallen halfway to its floor; facts take four times longer. Not positive: no decay. */
  halfLifeMs: number;
  /** Texts already in the prompt (recent history): memories repeating them are dropped. */
  recentTexts?: readonly string[];
}

export interface RankedMemory extends MemoryHit {
  score: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;

export const DEFAULT_RANK_OPTIONS: Omit<RankOptions, 'nowMs'> = {
  limit: 5,
  tokenBudget: 300,
  minSimilarity: 0.25,
  halfLifeMs: 14 * DAY_MS,
};

/** How recency weighs each kind: facts stay true, so they fade slower and less. */
const DECAY: Readonly<Record<MemoryKind, { halfLifeFactor: number; floor: number }>> = {
  fact: { halfLifeFactor: 4, floor: 0.5 },
  message: { halfLifeFactor: 1, floor: 0.2 },
  bot: { halfLifeFactor: 1, floor: 0.2 },
};

const FEEDBACK_STEP = 0.25;
const FEEDBACK_MIN = 0.25;
const FEEDBACK_MAX = 2;
/** Word sets at least this similar (Jaccard) are the same memory said twice. */
const DUPLICATE_JACCARD = 0.8;
/** A memory this many words long or longer repeats a recent text that contains its words in a run. */
const MIN_CONTAINED_WORDS = 3;

/**
 * Re-ranks similarity-search hits for the prompt.
 *
 * `score = similarity × recency × feedbackFactor`, where
 * - `recency = floor + (1 − floor) · 2^(−age / h)`, age = `nowMs − ms` (never
 *   negative); for messages and bot replies h = `halfLifeMs` and floor = 0.2,
 *   for facts h = 4 · `halfLifeMs` and floor = 0.5, so an old memory still
 *   counts a little and a fact a lot;
 * - `feedbackFactor = clamp(1 + 0.25 · feedback, 0.25, 2)`: each net thanks
 *   or 👍 adds a quarter, each rejection takes one away.
 *
 * Hits below `minSimilarity` are dropped, then near-duplicates (same
 * normalised words, or word sets with Jaccard ≥ 0.8; the better-scored one
 * stays), then hits repeating a `recentTexts` entry (also when their words,
 * three or more, appear in it as a run). The rest are taken by descending score (ties by
 * ascending id) up to `limit`, skipping any whose {@link estimateTokens} no
 * longer fits in what is left of `tokenBudget` while smaller ones may.
 */
export function rankMemories(hits: readonly MemoryHit[], options: RankOptions): RankedMemory[] {
  if (options.limit <= 0 || options.tokenBudget <= 0) return [];
  const scored: Array<{ memory: RankedMemory; words: Normalised }> = [];
  for (const hit of hits) {
    if (!(hit.similarity >= options.minSimilarity)) continue;
    const score = hit.similarity * recency(hit, options) * feedbackFactor(hit.feedback);
    if (!Number.isFinite(score)) continue;
    scored.push({ memory: { ...hit, score }, words: normalise(hit.text) });
  }
  scored.sort((a, b) => b.memory.score - a.memory.score || a.memory.id - b.memory.id);

  const recent = (options.recentTexts ?? []).map(normalise);
  const distinct: typeof scored = [];
  for (const candidate of scored) {
    if (distinct.some((kept) => duplicates(kept.words, candidate.words))) continue;
    if (recent.some((text) => repeats(candidate.words, text))) continue;
    distinct.push(candidate);
  }

  const ranked: RankedMemory[] = [];
  let budget = options.tokenBudget;
  for (const { memory } of distinct) {
    if (ranked.length >= options.limit) break;
    const tokens = estimateTokens(memory.text);
    if (tokens > budget) continue;
    budget -= tokens;
    ranked.push(memory);
  }
  return ranked;
}

/**
 * A cheap estimate of how many LLM tokens a text takes, without a tokenizer:
 * a quarter token per Latin letter, digit, space or punctuation mark (the
 * usual ≈ 4 characters a token for English), a third of a token per Cyrillic
 * letter (BPE vocabularies split Russian into shorter pieces), and one token
 * per character outside the Basic Multilingual Plane (emoji). Rounded up;
 * 0 only for the empty string.
 */
export function estimateTokens(text: string): number {
  let narrow = 0;
  let cyrillic = 0;
  let astral = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x400 && c <= 0x4ff) cyrillic++;
    else if (c >= 0xd800 && c <= 0xdbff) {
      astral++;
      i++;
    } else narrow++;
  }
  return Math.ceil(narrow / 4 + cyrillic / 3 + astral);
}

function recency(hit: MemoryHit, options: RankOptions): number {
  if (!(options.halfLifeMs > 0)) return 1;
  const { halfLifeFactor, floor } = DECAY[hit.kind];
  const ageMs = Math.max(0, options.nowMs - hit.ms);
  return floor + (1 - floor) * 2 ** (-ageMs / (options.halfLifeMs * halfLifeFactor));
}

function feedbackFactor(feedback: number): number {
  if (!Number.isFinite(feedback)) return 1;
  return Math.min(FEEDBACK_MAX, Math.max(FEEDBACK_MIN, 1 + FEEDBACK_STEP * feedback));
}

/** A text as its words (lower case, ё folded, punctuation gone), joined and as a set. */
interface Normalised {
  joined: string;
  set: ReadonlySet<string>;
}

function normalise(text: string): Normalised {
  const words = scanText(text).words;
  // Emoji-only or punctuation-only texts have no words; compare them as they are.
  const joined = words.length > 0 ? words.join(' ') : text.trim();
  return { joined, set: new Set(words) };
}

function duplicates(a: Normalised, b: Normalised): boolean {
  return a.joined === b.joined || jaccard(a.set, b.set) >= DUPLICATE_JACCARD;
}

function repeats(memory: Normalised, recent: Normalised): boolean {
  if (duplicates(memory, recent)) return true;
  return memory.set.size >= MIN_CONTAINED_WORDS && ` ${recent.joined} `.includes(` ${memory.joined} `);
}

function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 || b.size === 0) return 0;
  let shared = 0;
  for (const word of a) if (b.has(word)) shared++;
  return shared / (a.size + b.size - shared);
}
