import type { ChatState } from './chat-state.js';
import { withLast } from './bounded-list.js';

/**
 * Learning from feedback on style: a chat's members judge the bot's replies
 * (a reaction, a reply such as "бред" or "спасибо", see `memory-feedback.ts`),
 * and the adaptive style rules each judged reply was written under
 * (`style-rules.ts`) gain or lose weight in that chat. A rule whose weight
 * falls below {@link STYLE_FEEDBACK}`.muteBelow` is left out of later
 * prompts; weights drift back to 1 with a half-life, so no verdict is
 * permanent, and a chat's admins can reset them (`/style reset`, the admin API).
 *
 * A rule is known by its key: the rule's id and what it asked for
 * (`length:short`, `humour:playful`, `formality:casual`), so "shorter,
 * please" and "longer, please" are told apart. Rules that are about
 * correctness or safety rather than taste (the reply's language, calm
 * during a conflict, not mirroring rudeness, no jokes then) carry no key:
 * feedback never reaches them.
 */

/** `[weight, updatedMs]`: a rule key's weight as of `updatedMs`; between updates it drifts back toward 1. */
export type StyleWeight = [weight: number, updatedMs: number];

/** `[bot message id, rule keys its prompt carried]`: what a reaction or reply to that message judges. */
export type StyledReply = [botMessageId: number, keys: string[]];

const DAY_MS = 86_400_000;

/** How feedback moves style weights. */
export const STYLE_FEEDBACK = {
  /** A weight never goes below this, so a few days without complaints bring any rule back. */
  floor: 0.25,
  /** A negative judgement multiplies the weights of the reply's rule keys by this; a positive one divides (up to 1). */
  factor: 0.85,
  /** Below this a rule is left out of the prompt: five complaints in a row get there. */
  muteBelow: 0.5,
  /** Weights drift back toward 1: half of the distance is gone after a week. */
  halfLifeMs: 7 * DAY_MS,
  /** Recent bot replies whose rule keys are remembered. */
  styledReplies: 50,
  /**
   * Most rule keys a stored state may weigh. The keys come from a fixed set
   * (nine today: `styleKeys` of what `deriveStyle` makes), so a table is
   * bounded by construction; a stored one over this is corrupt.
   */
  weights: 32,
  /** A weight this close to 1 says nothing and is forgotten. */
  settledAbove: 0.99,
} as const;

/** A rule key's weight now: its stored weight drifted toward 1 since it was stored; 1 when none is stored. */
export function styleWeight(state: ChatState, key: string, nowMs: number): number {
  const stored = state.styleWeights[key];
  return stored === undefined ? 1 : drifted(stored, nowMs);
}

/** Whether prompts leave a rule with this key out now. */
export function styleMuted(state: ChatState, key: string, nowMs: number): boolean {
  return styleWeight(state, key, nowMs) < STYLE_FEEDBACK.muteBelow;
}

/**
 * Remembers which rule keys the prompt of a sent reply carried, so feedback
 * on that message can find them; only the latest
 * {@link STYLE_FEEDBACK}`.styledReplies` replies are kept.
 */
export function rememberStyledReply(state: ChatState, botMessageId: number, keys: readonly string[]): void {
  if (botMessageId <= 0 || keys.length === 0) return;
  state.styledReplies = withLast(state.styledReplies, [botMessageId, keys.slice()], STYLE_FEEDBACK.styledReplies);
}

/**
 * A member judged one of the bot's messages (`delta` as `replyFeedback` or
 * `reactionFeedback` give it; only its sign counts, so piling emoji on one
 * reaction weighs like one). Negative: each rule key the reply carried is
 * multiplied by {@link STYLE_FEEDBACK}`.factor` (down to the floor);
 * positive: divided by it, up to 1, which exactly undoes a complaint taken
 * back (a 👎 removed). True when a weight changed; a message the chat has
 * no style record of (not a model reply, or older than the last 50) changes
 * nothing.
 */
export function applyStyleFeedback(state: ChatState, botMessageId: number, delta: number, nowMs: number): boolean {
  if (delta === 0) return false;
  const reply = state.styledReplies.find(([id]) => id === botMessageId);
  if (reply === undefined) return false;
  let changed = false;
  for (const key of reply[1]) {
    const before = styleWeight(state, key, nowMs);
    const after =
      delta < 0
        ? Math.max(STYLE_FEEDBACK.floor, before * STYLE_FEEDBACK.factor)
        : Math.min(1, before / STYLE_FEEDBACK.factor);
    if (after < STYLE_FEEDBACK.settledAbove) {
      state.styleWeights[key] = [after, nowMs];
      changed = true;
    } else if (key in state.styleWeights) {
      delete state.styleWeights[key];
      changed = true;
    }
  }
  if (changed) state.revision++;
  return changed;
}

/** Forgets every style weight (an admin's `/style reset`); true when there were any. */
export function resetStyleWeights(state: ChatState): boolean {
  if (Object.keys(state.styleWeights).length === 0) return false;
  state.styleWeights = {};
  state.revision++;
  return true;
}

/** One rule key as `/style` and the admin API show it. */
export interface StyleWeightLine {
  key: string;
  /** Now, after the drift back toward 1; rounded to two decimals. */
  weight: number;
  muted: boolean;
}

/** What feedback has done to a chat's style: the rule keys below 1, lowest first. */
export interface StyleOverview {
  rules: StyleWeightLine[];
  /** Below this weight a rule is left out of prompts. */
  muteBelow: number;
  /** Recent replies whose rule keys are remembered for feedback. */
  rememberedReplies: number;
}

/** The chat's lowered and muted rule keys, lowest weight first (ties by key), as of `nowMs`. */
export function styleOverview(state: ChatState, nowMs: number): StyleOverview {
  const rules = Object.keys(state.styleWeights)
    .map((key) => ({ key, weight: styleWeight(state, key, nowMs) }))
    .filter((r) => r.weight < STYLE_FEEDBACK.settledAbove)
    .sort((a, b) => a.weight - b.weight || (a.key < b.key ? -1 : 1))
    .map((r) => ({
      key: r.key,
      weight: Math.round(r.weight * 100) / 100,
      muted: r.weight < STYLE_FEEDBACK.muteBelow,
    }));
  return { rules, muteBelow: STYLE_FEEDBACK.muteBelow, rememberedReplies: state.styledReplies.length };
}

function drifted([weight, updatedMs]: StyleWeight, nowMs: number): number {
  const elapsed = Math.max(0, nowMs - updatedMs);
  return 1 - (1 - weight) * 0.5 ** (elapsed / STYLE_FEEDBACK.halfLifeMs);
}
