import { appendHistory, findInHistory, lastMemberMessageId } from './chat-history.js';
import type { ChatState } from './chat-state.js';
import { expireReply, finishReply, type ReplyPlan } from './in-flight-reply.js';
import { countGuardVerdict, type GuardVerdict, guardReply } from './leak-guard.js';
import { buildPersonaPrompt, type PersonaPrompt, type RecalledMemory, type ReplyVoice } from './persona-prompt.js';
import { phrasebookFor } from './phrasebook.js';

/**
 * Builds the prompt for the reply in flight, as `voice` (default: the default
 * persona, no experiment), from the state as it is now:
 * triggers that arrived since the reply started are in the history and so in
 * the prompt, and count as answered by it. Returns null when no reply is in
 * flight (it finished or was given up meanwhile).
 */
export function prepareReply(
  state: ChatState,
  nowMs: number,
  memories?: readonly RecalledMemory[],
  voice?: ReplyVoice,
): PersonaPrompt | null {
  const inFlight = state.inFlight;
  if (inFlight === null) return null;
  const { triggerId, fromId, language } = inFlight;
  const prompt = buildPersonaPrompt(
    state,
    { triggerId, fromId, language, memories, persona: voice?.persona, experiment: voice?.experiment },
    nowMs,
  );
  inFlight.contextUpToId = lastMemberMessageId(state);
  return prompt;
}

/** The text to send for a model reply, after the leak guard. */
export interface ReviewedReply {
  text: string;
  verdict: GuardVerdict;
}

/**
 * Runs the leak guard on a model reply and counts its verdict. A blocked
 * reply is replaced by a neutral line in the reply's language, so the member
 * who asked still gets an answer.
 */
export function reviewReply(state: ChatState, modelText: string, prompt: PersonaPrompt): ReviewedReply {
  const verdict = guardReply(modelText, {
    instructions: prompt.instructions,
    allowAiDisclosure: state.settings.allowAiDisclosure,
  });
  countGuardVerdict(state, verdict);
  if (verdict.action === 'block') return { text: phrasebookFor(prompt.style.language).guardFallback(), verdict };
  return { text: verdict.text, verdict };
}

/** How a reply ended. */
export type ReplyOutcome =
  { triggerId: number; sent: true; text: string; botMessageId: number } | { triggerId: number; sent: false };

/**
 * Ends the reply in flight: a sent reply joins the history (as the bot's,
 * threaded to its trigger), the trigger is marked answered, and if
 * addressed triggers arrived after the prompt was built, one follow-up reply
 * is started and returned for the actor to run like a new one.
 */
export function completeReply(
  state: ChatState,
  outcome: ReplyOutcome,
  nowMs: number,
  botUserId: number,
): { followUp: ReplyPlan | null } {
  if (state.inFlight === null || state.inFlight.triggerId !== outcome.triggerId) return { followUp: null };
  if (outcome.sent) {
    appendHistory(state, {
      id: outcome.botMessageId,
      from: botUserId,
      ms: nowMs,
      text: outcome.text,
      replyTo: outcome.triggerId,
      bot: true,
    });
  }
  state.revision++;
  return { followUp: finishReply(state, outcome.triggerId, nowMs, (id) => findInHistory(state, id)?.text ?? '') };
}

/**
 * For a restarted actor: the reply that was in flight when the previous
 * incarnation stopped (its LLM call died with it), to be run again; null
 * when there was none or it is too old to be worth sending.
 */
export function recoverReply(state: ChatState, nowMs: number): ReplyPlan | null {
  if (expireReply(state, nowMs)) {
    state.counters.abandonedReplies++;
    return null;
  }
  const inFlight = state.inFlight;
  if (inFlight === null) return null;
  inFlight.contextUpToId = 0;
  return {
    triggerId: inFlight.triggerId,
    fromId: inFlight.fromId,
    trigger: inFlight.trigger,
    language: inFlight.language,
    queryText: findInHistory(state, inFlight.triggerId)?.text ?? '',
  };
}
