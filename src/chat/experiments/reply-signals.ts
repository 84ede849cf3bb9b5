import type { ReplySignalKind } from '../../ports/index.js';
import type { ChatState, RecentReply } from '../chat-state.js';
import { withLast } from '../bounded-list.js';

/** Replies a chat keeps telling signals for: enough for the score window of a busy chat, small in a snapshot. */
export const RECENT_REPLIES = 50;
/** How soon after a reply the trigger's author writing thanks or "бред" (not as a reply) is taken as about it. */
export const FOLLOWUP_WINDOW_MS = 2 * 60_000;
/** The score window of replies sent outside an experiment (an experiment's own default too). */
export const DEFAULT_SCORE_WINDOW_MS = 10 * 60_000;

/** A signal on one of the bot's replies, before the chat and the time are added. */
export interface ReplySignalDraft {
  messageId: number;
  kind: ReplySignalKind;
  value: number;
}

/** A member's message as the signal rules read it. */
export interface SignalingMessage {
  fromId: number;
  /** The message it replies to, if any. */
  replyToId: number | null;
  /** It quotes part of the message it replies to. */
  quoted: boolean;
  /**
   * `replyFeedback` of its (redacted) text: −1, 0 or +1. Asked only when a
   * signal needs it: judging a text scans its words, and most messages
   * answer none of the bot's recent replies.
   */
  feedback: () => number;
  nowMs: number;
}

/** Keeps a sent reply for the signals to come, dropping the oldest beyond {@link RECENT_REPLIES}. */
export function rememberReply(state: ChatState, reply: Omit<RecentReply, 'followedUp' | 'continued'>): void {
  state.replies = withLast(state.replies ?? [], { ...reply, followedUp: false, continued: false }, RECENT_REPLIES);
}

/** One of the bot's recent replies by its message id. */
export function recentReply(state: ChatState, messageId: number): RecentReply | undefined {
  return state.replies?.find((r) => r.id === messageId);
}

/**
 * The signals a member's message gives on the bot's recent replies:
 * - `reply` (its feedback) and, when it quotes, `quote` (1), on the reply it answers;
 * - `followup` (its feedback, when ±1) on the latest reply to its author sent
 *   less than {@link FOLLOWUP_WINDOW_MS} before, when it replies to nothing; once per reply;
 * - `continued` (1) on each reply to its author still within its window; once per reply.
 * Marks what is recorded once in the state.
 */
export function messageSignals(state: ChatState, msg: SignalingMessage): ReplySignalDraft[] {
  const replies = state.replies;
  if (replies === undefined) return [];
  const signals: ReplySignalDraft[] = [];
  if (msg.replyToId !== null) {
    const target = replies.find((r) => r.id === msg.replyToId);
    if (target !== undefined) {
      signals.push({ messageId: target.id, kind: 'reply', value: msg.feedback() });
      if (msg.quoted) signals.push({ messageId: target.id, kind: 'quote', value: 1 });
    }
  } else {
    const latest = replies.findLast((r) => r.authorId === msg.fromId && msg.nowMs - r.sentMs < FOLLOWUP_WINDOW_MS);
    if (latest !== undefined && !latest.followedUp) {
      const feedback = msg.feedback();
      if (feedback !== 0) {
        latest.followedUp = true;
        signals.push({ messageId: latest.id, kind: 'followup', value: feedback });
      }
    }
  }
  for (const reply of replies) {
    if (reply.continued || reply.authorId !== msg.fromId || msg.nowMs - reply.sentMs >= reply.windowMs) continue;
    reply.continued = true;
    signals.push({ messageId: reply.id, kind: 'continued', value: 1 });
  }
  return signals;
}

/** Forgets the replies to a member's triggers (erasure): who asked what is theirs. */
export function forgetRepliesTo(state: ChatState, userId: number): boolean {
  const replies = state.replies;
  if (replies === undefined) return false;
  const kept = replies.filter((r) => r.authorId !== userId);
  if (kept.length === replies.length) return false;
  state.replies = kept;
  return true;
}
