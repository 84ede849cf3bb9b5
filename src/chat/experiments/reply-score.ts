import type { ReplyOutcome, ReplySignalKind } from '../../ports/index.js';

/**
 * What each kind of signal is worth, times its value: a reply or reaction
 * that judges the reply (`replyFeedback`, `reactionFeedback`) counts fully,
 * a reply that only goes on talking (value 0) is engagement, worth half;
 * being quoted is half, the author simply going on talking a quarter; an
 * explicit `/rate` counts more than anything implicit.
 */
const WEIGHTS: Record<ReplySignalKind, number> = {
  reaction: 1,
  reply: 1,
  quote: 0.5,
  followup: 1,
  continued: 0.25,
  rate: 2,
};
/** A neutral reply to the bot (neither praise nor rejection) still shows the reply was read and answered. */
const ENGAGED_REPLY = 0.5;
/** A reply nobody reacted to within the window: mildly bad, never as bad as a rejection. */
const IGNORED = -0.25;

/** How one reply was received. */
export interface ReplyScore {
  /** In [−1, 1]: the weighted signals, capped. */
  score: number;
  /** The reply was received well (score above 0): what the readout's proportions count. */
  success: boolean;
  /** Nothing at all happened within the window. */
  ignored: boolean;
}

/**
 * Scores one settled reply from the signals that came within its window.
 * Same signals, same score, whatever their order.
 */
export function replyScore(signals: ReplyOutcome['signals']): ReplyScore {
  if (signals.length === 0) return { score: IGNORED, success: false, ignored: true };
  let sum = 0;
  for (const signal of signals) {
    const value = signal.kind === 'reply' && signal.value === 0 ? ENGAGED_REPLY : signal.value;
    sum += WEIGHTS[signal.kind] * value;
  }
  const score = Math.max(-1, Math.min(1, sum));
  return { score, success: score > 0, ignored: false };
}
