import { PROMPT_HISTORY_MESSAGES, type PersonaPrompt } from './persona-prompt.js';
import type { ChatState } from './chat-state.js';
import type { ReplyPlan } from './in-flight-reply.js';
import { DEFAULT_RANK_OPTIONS, type MemoryHit, rankMemories, type RankedMemory } from './memory-ranking.js';
import { completeReply, prepareReply, recoverReply, type ReplyOutcome, reviewReply } from './reply-lifecycle.js';

/** How the recall for a reply went: answered, timed out, failed, or not asked (nothing to ask). */
export type RecallStatus = 'answered' | 'timed-out' | 'failed' | 'skipped';

/**
 * What the reply in flight has gathered so far that is not worth persisting:
 * recalled memories (kept for a retry of the model call and to link the sent
 * reply to them) and the prompt (for the leak guard). It always belongs to
 * `chat.inFlight`, the one record of which reply is in flight and in what
 * phase; a restarted actor starts without it and gathers it again.
 */
export interface ReplyWork {
  recall: 'waiting' | RecallStatus;
  memories: RankedMemory[];
  prompt: PersonaPrompt | null;
}

export interface ReplyFlowState {
  chat: ChatState;
  work: ReplyWork | null;
}

/** What happens to the reply flow: the pipeline's decisions and the outcomes of its side effects. */
export type ReplyEvent =
  /** The pipeline started a reply (`chat.inFlight` is set). */
  | { type: 'ReplyStarted'; plan: ReplyPlan }
  /** The actor started from a snapshot: a reply in flight there lost its side effects. */
  | { type: 'Restarted' }
  | { type: 'MemoriesRecalled'; triggerId: number; hits: readonly MemoryHit[] }
  | { type: 'RecallFailed'; triggerId: number; error: unknown }
  | { type: 'RecallTimedOut'; triggerId: number }
  | { type: 'ModelAnswered'; triggerId: number; text: string; offline: boolean }
  /** The gateway is still working on an earlier request of this chat (one of a previous incarnation). */
  | { type: 'ModelBusy'; triggerId: number }
  | { type: 'ModelFailed'; triggerId: number; error: unknown }
  | { type: 'ModelRetryDue'; triggerId: number }
  | { type: 'ReplyDelivered'; triggerId: number; botMessageId: number }
  | { type: 'DeliveryFailed'; triggerId: number; error: unknown }
  | { type: 'TypingDue' };

/** Counters the flow moves; the actor keeps them in its metrics (and `sent`, `inDoubt` in its state too). */
export type ReplyCounter = 'started' | 'sent' | 'failed' | 'inDoubt' | 'offline' | 'leakBlocked';

/** What the actor must do, in order, after a transition. */
export type ReplyEffect =
  /** Ask long-term memory (a side effect answered by `MemoriesRecalled` / `RecallFailed`) and arm the recall timeout. */
  | { type: 'RecallMemories'; triggerId: number; queryText: string }
  /** Disarm the recall timeout, if armed. */
  | { type: 'CancelRecall' }
  /** Ask the model with this prompt (answered by `ModelAnswered` / `ModelBusy` / `ModelFailed`). */
  | {
      type: 'AskModel';
      triggerId: number;
      fromId: number;
      prompt: PersonaPrompt;
      memories: RankedMemory[];
      recall: RecallStatus;
    }
  | { type: 'RetryModelLater'; triggerId: number; delayMs: number }
  /** Show the typing indicator; `keepShowing` refreshes it until `StopTyping`. */
  | { type: 'ShowTyping'; keepShowing: boolean }
  | { type: 'StopTyping' }
  /** Send once the `sending` mark is durable (answered by `ReplyDelivered` / `DeliveryFailed`). */
  | { type: 'SendReply'; triggerId: number; text: string }
  /** Store the sent reply in long-term memory, linked to the memories it was built on. */
  | { type: 'RememberReply'; text: string; botMessageId: number; recalledIds: number[] }
  | { type: 'Count'; counter: ReplyCounter }
  | { type: 'ObserveLatency'; ms: number }
  | { type: 'Log'; level: 'warn' | 'error'; msg: string; fields: Record<string, unknown> }
  /** The chat state changed: persist it. */
  | { type: 'MarkDirty' }
  /** The chat report is stale (a reply joined the history). */
  | { type: 'InvalidateReport' };

export interface ReplyFlowEnv {
  nowMs: number;
  botUserId: number;
}

/** Wait before asking again when the gateway is still busy with this chat. */
export const REPLY_BUSY_RETRY_MS = 1000;

/**
 * The reply flow of one chat as a state machine:
 *
 * ```
 * idle ─ReplyStarted→ thinking (recall → model) ─ModelAnswered→ sending ─ReplyDelivered/DeliveryFailed→ idle (or the follow-up)
 *                        └─ModelFailed────────────────────────────────────────────────────────────────→ idle (or the follow-up)
 * ```
 *
 * The phase lives in `chat.inFlight` only. Events for a trigger that is not
 * the one in flight, or arrive in the wrong phase, change nothing: they are
 * late answers to replies already finished or given up. Deterministic and
 * without I/O; like every domain step it updates the chat state in place, and
 * the returned state is the one to keep.
 */
export function transitionReply(
  state: ReplyFlowState,
  event: ReplyEvent,
  env: ReplyFlowEnv,
): { state: ReplyFlowState; effects: ReplyEffect[] } {
  const step = new Step(state, env);
  step.on(event);
  return { state: { chat: state.chat, work: step.work }, effects: step.effects };
}

class Step {
  readonly effects: ReplyEffect[] = [];
  work: ReplyWork | null;

  constructor(
    private readonly state: ReplyFlowState,
    private readonly env: ReplyFlowEnv,
  ) {
    this.work = state.work;
  }

  on(event: ReplyEvent): void {
    switch (event.type) {
      case 'ReplyStarted':
        this.start(event.plan);
        return;
      case 'Restarted':
        this.restart();
        return;
      case 'MemoriesRecalled': {
        if (!this.recalling(event.triggerId)) return;
        this.effects.push({ type: 'CancelRecall' });
        const recentTexts = this.state.chat.history.slice(-PROMPT_HISTORY_MESSAGES).map((e) => e.text);
        const memories = rankMemories(event.hits, { ...DEFAULT_RANK_OPTIONS, nowMs: this.env.nowMs, recentTexts });
        this.askModel(event.triggerId, { recall: 'answered', memories, prompt: null });
        return;
      }
      case 'RecallFailed':
        if (!this.recalling(event.triggerId)) return;
        this.effects.push({ type: 'CancelRecall' });
        this.log('warn', 'recall failed; replying without memories', { err: event.error });
        this.askModel(event.triggerId, { recall: 'failed', memories: [], prompt: null });
        return;
      case 'RecallTimedOut':
        if (!this.recalling(event.triggerId)) return;
        this.askModel(event.triggerId, { recall: 'timed-out', memories: [], prompt: null });
        return;
      case 'ModelBusy':
        // Its answer may be for this trigger; if not, ask again shortly.
        if (this.inPhase(event.triggerId, 'thinking'))
          this.effects.push({ type: 'RetryModelLater', triggerId: event.triggerId, delayMs: REPLY_BUSY_RETRY_MS });
        return;
      case 'ModelRetryDue':
        if (this.inPhase(event.triggerId, 'thinking'))
          this.askModel(event.triggerId, this.work ?? { recall: 'skipped', memories: [], prompt: null });
        return;
      case 'ModelFailed':
        if (!this.inPhase(event.triggerId, 'thinking')) return;
        this.effects.push({ type: 'StopTyping' }, { type: 'Count', counter: 'failed' });
        this.log('error', 'reply could not be generated', { err: event.error });
        this.finish({ triggerId: event.triggerId, sent: false });
        return;
      case 'ModelAnswered':
        this.review(event.triggerId, event.text, event.offline);
        return;
      case 'ReplyDelivered':
        this.delivered(event.triggerId, event.botMessageId);
        return;
      case 'DeliveryFailed':
        if (!this.inPhase(event.triggerId, 'sending')) return;
        this.effects.push({ type: 'Count', counter: 'failed' });
        this.log('warn', 'reply could not be sent', { err: event.error });
        this.finish({ triggerId: event.triggerId, sent: false });
        return;
      case 'TypingDue':
        if (this.state.chat.inFlight?.phase === 'thinking')
          this.effects.push({ type: 'ShowTyping', keepShowing: false });
        return;
    }
  }

  /**
   * A reply just started (new, follow-up, or recovered after a restart) asks
   * long-term memory for what the chat said before about its trigger; the
   * model is asked when the memories arrive or the recall timeout passes,
   * whichever is first.
   */
  private start(plan: ReplyPlan): void {
    this.effects.push({ type: 'Count', counter: 'started' }, { type: 'MarkDirty' }, { type: 'CancelRecall' });
    if (plan.queryText.trim().length === 0) {
      this.askModel(plan.triggerId, { recall: 'skipped', memories: [], prompt: null });
      return;
    }
    this.work = { recall: 'waiting', memories: [], prompt: null };
    this.effects.push({ type: 'RecallMemories', triggerId: plan.triggerId, queryText: plan.queryText });
  }

  /**
   * A `sending` reply may or may not have reached Telegram before the crash:
   * it is never sent again (a duplicate is worse than a missing reply), but
   * counted in doubt and its trigger marked answered. A `thinking` reply's
   * model call died with the previous incarnation; asking again sends
   * nothing twice.
   */
  private restart(): void {
    this.work = null;
    const inFlight = this.state.chat.inFlight;
    if (inFlight?.phase === 'sending') {
      this.effects.push({ type: 'Count', counter: 'inDoubt' });
      this.log('warn', 'reply may or may not have been sent before a crash; not resending', {
        triggerId: inFlight.triggerId,
      });
      this.finish({ triggerId: inFlight.triggerId, sent: false });
      return;
    }
    const plan = recoverReply(this.state.chat, this.env.nowMs);
    this.effects.push({ type: 'MarkDirty' });
    if (plan !== null) this.start(plan);
  }

  private askModel(triggerId: number, work: ReplyWork): void {
    const prompt = prepareReply(this.state.chat, this.env.nowMs, work.memories);
    if (prompt === null) {
      // The pipeline gave the reply up meanwhile (it timed out); nothing to ask.
      this.work = null;
      return;
    }
    this.work = { ...work, prompt };
    const recall = work.recall === 'waiting' ? 'skipped' : work.recall;
    const fromId = this.state.chat.inFlight?.fromId ?? 0;
    this.effects.push(
      { type: 'AskModel', triggerId, fromId, prompt, memories: work.memories, recall },
      { type: 'ShowTyping', keepShowing: true },
    );
  }

  /** The model's answer passes the leak guard, then is marked `sending` — durably, before it is sent. */
  private review(triggerId: number, modelText: string, offline: boolean): void {
    const inFlight = this.state.chat.inFlight;
    if (inFlight === null || inFlight.triggerId !== triggerId || inFlight.phase !== 'thinking') return;
    this.effects.push({ type: 'StopTyping' });
    if (offline) this.effects.push({ type: 'Count', counter: 'offline' });
    const prompt = this.work?.prompt ?? prepareReply(this.state.chat, this.env.nowMs);
    if (prompt === null) return;
    const reviewed = reviewReply(this.state.chat, modelText, prompt);
    if (reviewed.verdict.action === 'block') {
      this.effects.push({ type: 'Count', counter: 'leakBlocked' });
      this.log('warn', 'leak guard blocked a model reply; sending a neutral line', {
        reasons: reviewed.verdict.reasons,
      });
    }
    inFlight.phase = 'sending';
    inFlight.text = reviewed.text;
    this.effects.push({ type: 'MarkDirty' }, { type: 'SendReply', triggerId, text: reviewed.text });
  }

  private delivered(triggerId: number, botMessageId: number): void {
    const inFlight = this.state.chat.inFlight;
    if (inFlight === null || inFlight.triggerId !== triggerId || inFlight.phase !== 'sending') return;
    this.effects.push(
      { type: 'Count', counter: 'sent' },
      { type: 'ObserveLatency', ms: Math.max(0, this.env.nowMs - inFlight.startedMs) },
    );
    const text = inFlight.text ?? '';
    if (text.length > 0) {
      // Remembered with the memories it was built on: feedback on the reply reaches them too.
      const recalledIds = (this.work?.memories ?? []).map((m) => m.id);
      this.effects.push({ type: 'RememberReply', text, botMessageId, recalledIds });
    }
    this.finish({ triggerId, sent: true, text, botMessageId });
  }

  /** Ends the reply in flight and starts the follow-up the pipeline asks for, if any. */
  private finish(outcome: ReplyOutcome): void {
    this.work = null;
    this.effects.push({ type: 'CancelRecall' });
    const { followUp } = completeReply(this.state.chat, outcome, this.env.nowMs, this.env.botUserId);
    this.effects.push({ type: 'InvalidateReport' }, { type: 'MarkDirty' });
    if (followUp !== null) this.start(followUp);
  }

  private recalling(triggerId: number): boolean {
    return this.inPhase(triggerId, 'thinking') && this.work?.recall === 'waiting';
  }

  private inPhase(triggerId: number, phase: 'thinking' | 'sending'): boolean {
    const inFlight = this.state.chat.inFlight;
    return inFlight !== null && inFlight.triggerId === triggerId && inFlight.phase === phase;
  }

  private log(level: 'warn' | 'error', msg: string, fields: Record<string, unknown>): void {
    this.effects.push({ type: 'Log', level, msg, fields });
  }
}
