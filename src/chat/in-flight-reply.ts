import {
  CHAT_STATE_LIMITS,
  type ChatState,
  type CoalescedTrigger,
  type InFlightReply,
  type Language,
  type TriggerKind,
} from './chat-state.js';
import { withLast } from './bounded-list.js';

/** What the actor needs to start (or restart) an LLM reply. */
export interface ReplyPlan {
  /** The message being answered; the reply is sent as a reply to it. */
  triggerId: number;
  fromId: number;
  trigger: TriggerKind;
  language: Language;
  /** The trigger's PII-redacted text, e.g. for a memory recall query. */
  queryText: string;
}

/** A reply in flight this long is given up (the LLM call is lost); a new trigger may start another. */
export const REPLY_TIMEOUT_MS = 90_000;

/** Marks a reply as started. There is at most one per chat. */
export function startReply(state: ChatState, plan: ReplyPlan, nowMs: number): void {
  state.inFlight = {
    triggerId: plan.triggerId,
    fromId: plan.fromId,
    trigger: plan.trigger,
    language: plan.language,
    startedMs: nowMs,
    phase: 'thinking',
    text: null,
    contextUpToId: 0,
    coalesced: [],
  };
}

/**
 * Records a trigger that arrived while a reply is in flight. No second LLM
 * call is queued: the message is in the history, so a prompt built later
 * sees it, and {@link finishReply} answers whatever the finished reply did
 * not cover with one follow-up.
 */
export function coalesceTrigger(inFlight: InFlightReply, trigger: CoalescedTrigger): void {
  inFlight.coalesced.push(trigger);
  if (inFlight.coalesced.length > CHAT_STATE_LIMITS.coalesced) {
    // The follow-up answers the newest trigger with all earlier ones in its context, so the oldest id can go.
    inFlight.coalesced.shift();
  }
}

/**
 * Ends the reply in flight (sent, failed or blocked) and decides about the
 * triggers that waited behind it: those the prompt already saw are covered;
 * if any addressed trigger came later, one follow-up reply answers the
 * newest of them (and is started here). Unasked (`random`) triggers never
 * cause a follow-up.
 */
export function finishReply(
  state: ChatState,
  triggerId: number,
  nowMs: number,
  textOf: (id: number) => string,
): ReplyPlan | null {
  const inFlight = state.inFlight;
  if (inFlight === null || inFlight.triggerId !== triggerId) return null;
  state.inFlight = null;
  markAnswered(state, triggerId);
  let followUp: CoalescedTrigger | null = null;
  for (const t of inFlight.coalesced) {
    if (inFlight.contextUpToId > 0 && t.id <= inFlight.contextUpToId) {
      markAnswered(state, t.id);
    } else if (t.trigger !== 'random' && !wasAnswered(state, t.id)) {
      followUp = t;
    }
  }
  if (followUp === null) return null;
  for (const t of inFlight.coalesced) if (t.id < followUp.id) markAnswered(state, t.id);
  const plan: ReplyPlan = {
    triggerId: followUp.id,
    fromId: followUp.fromId,
    trigger: followUp.trigger,
    language: followUp.language,
    queryText: textOf(followUp.id),
  };
  startReply(state, plan, nowMs);
  return plan;
}

/**
 * Gives up a reply in flight for longer than {@link REPLY_TIMEOUT_MS}, with
 * the triggers coalesced into it: they are marked answered so they can never
 * be answered twice. A safety net only — the LLM gateway times out well
 * before and reports a failure through `completeReply`, which does answer
 * coalesced triggers with a follow-up. Returns whether it gave up.
 */
export function expireReply(state: ChatState, nowMs: number): boolean {
  if (state.inFlight === null || nowMs - state.inFlight.startedMs < REPLY_TIMEOUT_MS) return false;
  markAnswered(state, state.inFlight.triggerId);
  for (const t of state.inFlight.coalesced) markAnswered(state, t.id);
  state.inFlight = null;
  return true;
}

export function markAnswered(state: ChatState, messageId: number): void {
  if (state.answered.includes(messageId)) return;
  state.answered = withLast(state.answered, messageId, CHAT_STATE_LIMITS.answered);
}

export function wasAnswered(state: ChatState, messageId: number): boolean {
  return state.answered.includes(messageId);
}
