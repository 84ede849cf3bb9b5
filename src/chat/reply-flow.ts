import type { ToolCall, ToolSpec } from '../ports/index.js';
import { DEFAULT_SCORE_WINDOW_MS, rememberReply } from './experiments/reply-signals.js';
import { DEFAULT_PERSONA, type Persona } from './persona.js';
import {
  PROMPT_HISTORY_MESSAGES,
  type PersonaPrompt,
  type PromptExperiment,
  type ReplyVoice,
} from './persona-prompt.js';
import type { ChatState, Language } from './chat-state.js';
import type { ReplyPlan } from './in-flight-reply.js';
import { DEFAULT_RANK_OPTIONS, type MemoryHit, rankMemories, type RankedMemory } from './memory-ranking.js';
import { completeReply, prepareReply, recoverReply, type ReplyOutcome, reviewReply } from './reply-lifecycle.js';
import { rememberStyledReply } from './style-feedback.js';
import { styleKeys } from './style-rules.js';
import {
  closeToolRound,
  MAX_TOOL_ROUNDS,
  type PendingToolRound,
  recordToolResult,
  roundComplete,
  type ToolRound,
  vetToolCalls,
} from './tool-rounds.js';

/** How the recall for a reply went: answered, timed out, failed, or not asked (nothing to ask). */
export type RecallStatus = 'answered' | 'timed-out' | 'failed' | 'skipped';

/**
 * What the reply in flight has gathered so far that is not worth persisting:
 * recalled memories (kept for a retry of the model call and to link the sent
 * reply to them), the prompt (for the leak guard), the tools offered to the
 * model and the tool rounds so far. It always belongs to `chat.inFlight`, the
 * one record of which reply is in flight and in what phase; a restarted actor
 * starts without it and gathers it again. So a restart during tool rounds
 * asks the model again from the start, and its tools may run a second time:
 * tools are meant to be reads (weather, search), safe to repeat.
 */
export interface ReplyWork {
  recall: 'waiting' | RecallStatus;
  memories: RankedMemory[];
  prompt: PersonaPrompt | null;
  /** Who the bot is for this reply, chosen at its first model call and kept for its retries and tool rounds. */
  voice: ReplyVoice | null;
  /** The tools offered for this reply, looked up at its first model call; null before. */
  tools: readonly ToolSpec[] | null;
  /** Finished tool rounds, sent to the model with the prompt. */
  rounds: ToolRound[];
  /** The round whose calls are running; no model call is in flight meanwhile. */
  pending: PendingToolRound | null;
  /** The model is asked for a plain answer (the rounds are used up). */
  plainOnly: boolean;
  /**
   * The reviewed text is the model's, written under the prompt's style rules
   * (not the offline responder's, not the leak guard's neutral line): only
   * then does feedback on the sent reply judge those rules.
   */
  styled: boolean;
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
  /** The model answered: with text, or (text empty) with the tool calls it asks for. */
  | { type: 'ModelAnswered'; triggerId: number; text: string; offline: boolean; toolCalls?: readonly ToolCall[] }
  /** A call of the running tool round returned (its result, or the error text for the model). */
  | { type: 'ToolFinished'; triggerId: number; round: number; callId: string; result: string }
  /** The running tool round took too long: calls still running are given up. */
  | { type: 'ToolsTimedOut'; triggerId: number; round: number }
  /** The gateway is still working on an earlier request of this chat (one of a previous incarnation). */
  | { type: 'ModelBusy'; triggerId: number }
  | { type: 'ModelFailed'; triggerId: number; error: unknown }
  | { type: 'ModelRetryDue'; triggerId: number }
  | { type: 'ReplyDelivered'; triggerId: number; botMessageId: number }
  | { type: 'DeliveryFailed'; triggerId: number; error: unknown }
  | { type: 'TypingDue' };

/** Counters the flow moves; the actor keeps them in its metrics (and `sent`, `inDoubt` in its state too). */
export type ReplyCounter =
  | 'started'
  | 'sent'
  | 'failed'
  | 'inDoubt'
  | 'offline'
  | 'leakBlocked'
  /** A tool call run for the model. */
  | 'toolCall'
  /** A tool call refused before running (unknown tool, unreadable arguments). */
  | 'toolCallRefused'
  /** A tool round given up on its timeout. */
  | 'toolTimeout'
  /** The model still asked for tools after the last round allowed. */
  | 'toolRoundsExhausted';

/** What the actor must do, in order, after a transition. */
export type ReplyEffect =
  /** Ask long-term memory (a side effect answered by `MemoriesRecalled` / `RecallFailed`) and arm the recall timeout. */
  | { type: 'RecallMemories'; triggerId: number; queryText: string }
  /** Disarm the recall timeout, if armed. */
  | { type: 'CancelRecall' }
  /**
   * Ask the model with this prompt, followed by the tool rounds so far
   * (answered by `ModelAnswered` / `ModelBusy` / `ModelFailed`). No tools:
   * none are offered; `toolChoice: 'none'` lists them (the rounds refer to
   * them) but asks for a plain answer.
   */
  | {
      type: 'AskModel';
      triggerId: number;
      fromId: number;
      /** The persona the prompt is built for (its offline lines answer when the model cannot). */
      persona: Persona;
      prompt: PersonaPrompt;
      memories: RankedMemory[];
      recall: RecallStatus;
      tools: readonly ToolSpec[];
      toolChoice: 'auto' | 'none';
      rounds: readonly ToolRound[];
    }
  /**
   * Run these calls of tool round `round` for the member who asked, as side
   * effects (each answered by `ToolFinished`), and arm the round's timeout
   * (`ToolsTimedOut`).
   */
  | { type: 'RunTools'; triggerId: number; round: number; fromId: number; language: Language; calls: ToolCall[] }
  /** Disarm the tool round's timeout and abort calls still running. */
  | { type: 'CancelTools' }
  | { type: 'RetryModelLater'; triggerId: number; delayMs: number }
  /** Show the typing indicator; `keepShowing` refreshes it until `StopTyping`. */
  | { type: 'ShowTyping'; keepShowing: boolean }
  | { type: 'StopTyping' }
  /** Send once the `sending` mark is durable (answered by `ReplyDelivered` / `DeliveryFailed`). */
  | { type: 'SendReply'; triggerId: number; text: string }
  /** Store the sent reply in long-term memory, linked to the memories it was built on. */
  | { type: 'RememberReply'; text: string; botMessageId: number; recalledIds: number[] }
  /** Record the sent reply with what built it, for A/B readouts and fine-tune export (the text as sent). */
  | {
      type: 'RecordReply';
      triggerId: number;
      botMessageId: number;
      text: string;
      /** The persona's `name@version`, the template's version and the experiment that chose the persona. */
      persona: string;
      template: string;
      experiment: PromptExperiment | null;
      /** Ids of the style rules the prompt carried. */
      styleRules: string[];
    }
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
  /**
   * Who the bot is for a reply to `fromId`'s trigger (the chat's persona, or
   * an experiment's variant); asked once per reply. Unset: the default
   * persona, in no experiment.
   */
  voice?: ((fromId: number) => ReplyVoice) | undefined;
  /** The tools the chat offers the model; asked once per reply, at its first model call. None when unset. */
  tools?: () => readonly ToolSpec[];
}

/** Wait before asking again when the gateway is still busy with this chat. */
export const REPLY_BUSY_RETRY_MS = 1000;

/**
 * The reply flow of one chat as a state machine:
 *
 * ```
 * idle ─ReplyStarted→ thinking (recall → model) ─ModelAnswered→ sending ─ReplyDelivered/DeliveryFailed→ idle (or the follow-up)
 *                        │  ↑ tool results         (text)
 *                        │  └── tools ←─ModelAnswered (tool calls), at most MAX_TOOL_ROUNDS rounds
 *                        └─ModelFailed────────────────────────────────────────────────────────────────→ idle (or the follow-up)
 * ```
 *
 * Tool rounds stay in the `thinking` phase and in the reply's work: the
 * model asks for calls, they run as side effects, and the model is asked
 * again with their results; after the last round it must answer in text.
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
        this.askModel(event.triggerId, freshWork('answered', memories));
        return;
      }
      case 'RecallFailed':
        if (!this.recalling(event.triggerId)) return;
        this.effects.push({ type: 'CancelRecall' });
        this.log('warn', 'recall failed; replying without memories', { err: event.error });
        this.askModel(event.triggerId, freshWork('failed', []));
        return;
      case 'RecallTimedOut':
        if (!this.recalling(event.triggerId)) return;
        this.askModel(event.triggerId, freshWork('timed-out', []));
        return;
      case 'ModelBusy':
        // Its answer may be for this trigger; if not, ask again shortly.
        if (this.awaitingModel(event.triggerId))
          this.effects.push({ type: 'RetryModelLater', triggerId: event.triggerId, delayMs: REPLY_BUSY_RETRY_MS });
        return;
      case 'ModelRetryDue':
        if (this.awaitingModel(event.triggerId)) this.askModel(event.triggerId, this.work ?? freshWork('skipped', []));
        return;
      case 'ToolFinished':
        this.toolFinished(event.triggerId, event.round, event.callId, event.result);
        return;
      case 'ToolsTimedOut':
        this.toolsTimedOut(event.triggerId, event.round);
        return;
      case 'ModelFailed':
        if (!this.awaitingModel(event.triggerId)) return;
        this.effects.push({ type: 'StopTyping' }, { type: 'Count', counter: 'failed' });
        this.log('error', 'reply could not be generated', { err: event.error });
        this.finish({ triggerId: event.triggerId, sent: false });
        return;
      case 'ModelAnswered':
        if (event.toolCalls !== undefined && event.toolCalls.length > 0)
          this.toolsAsked(event.triggerId, event.toolCalls);
        else this.review(event.triggerId, event.text, event.offline);
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
      this.askModel(plan.triggerId, freshWork('skipped', []));
      return;
    }
    this.work = freshWork('waiting', []);
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
    const fromId = this.state.chat.inFlight?.fromId ?? 0;
    const voice = work.voice ?? this.voiceFor(fromId);
    const prompt = prepareReply(this.state.chat, this.env.nowMs, work.memories, voice);
    if (prompt === null) {
      // The pipeline gave the reply up meanwhile (it timed out); nothing to ask.
      this.work = null;
      return;
    }
    const tools = work.tools ?? [...(this.env.tools?.() ?? [])];
    this.work = { ...work, prompt, voice, tools };
    const recall = work.recall === 'waiting' ? 'skipped' : work.recall;
    const toolChoice = work.plainOnly || work.rounds.length >= MAX_TOOL_ROUNDS ? 'none' : 'auto';
    this.effects.push(
      {
        type: 'AskModel',
        triggerId,
        fromId,
        persona: voice.persona,
        prompt,
        memories: work.memories,
        recall,
        tools,
        toolChoice,
        rounds: work.rounds,
      },
      { type: 'ShowTyping', keepShowing: true },
    );
  }

  /**
   * The model asks for tool calls. They are checked (`vetToolCalls`); those
   * fit to run are run as side effects, and the model is asked again once
   * all have returned. A model that asks for tools it was not offered, or
   * after the last round, is asked once more for a plain answer; one that
   * still asks for them then gets no reply sent.
   */
  private toolsAsked(triggerId: number, calls: readonly ToolCall[]): void {
    const work = this.work;
    if (!this.awaitingModel(triggerId) || work === null) return;
    const tools = work.tools ?? [];
    if (work.plainOnly || work.rounds.length >= MAX_TOOL_ROUNDS || tools.length === 0) {
      if (work.plainOnly) {
        this.effects.push({ type: 'StopTyping' }, { type: 'Count', counter: 'failed' });
        this.log('error', 'model asked for tools when told to answer in text; reply given up', {
          tools: calls.map((c) => c.name),
        });
        this.finish({ triggerId, sent: false });
        return;
      }
      this.effects.push({ type: 'Count', counter: 'toolRoundsExhausted' });
      this.log('warn', 'model asked for tools beyond what it may call; asking for a plain answer', {
        rounds: work.rounds.length,
        tools: calls.map((c) => c.name),
      });
      this.askModel(triggerId, { ...work, plainOnly: true });
      return;
    }
    const vetted = vetToolCalls(calls, tools, work.rounds.length + 1);
    this.count('toolCallRefused', vetted.refused.length);
    if (vetted.refused.length > 0 || vetted.dropped > 0)
      this.log('warn', 'model asked for tool calls that were not run', {
        refused: vetted.refused,
        dropped: vetted.dropped,
      });
    if (vetted.runnable.length === 0) {
      this.askModel(triggerId, { ...work, rounds: [...work.rounds, closeToolRound(vetted.round)] });
      return;
    }
    this.work = { ...work, pending: vetted.round };
    const inFlight = this.state.chat.inFlight;
    this.count('toolCall', vetted.runnable.length);
    this.effects.push({
      type: 'RunTools',
      triggerId,
      round: vetted.round.round,
      fromId: inFlight?.fromId ?? 0,
      language: inFlight?.language ?? 'other',
      calls: vetted.runnable,
    });
  }

  private toolFinished(triggerId: number, round: number, callId: string, result: string): void {
    const pending = this.runningRound(triggerId, round);
    if (pending === null || !recordToolResult(pending, callId, result)) return;
    if (roundComplete(pending)) this.closeRound(triggerId, pending);
  }

  private toolsTimedOut(triggerId: number, round: number): void {
    const pending = this.runningRound(triggerId, round);
    if (pending === null) return;
    this.effects.push({ type: 'Count', counter: 'toolTimeout' });
    this.log('warn', 'tool calls took too long; the model is told they failed', {
      tools: pending.calls.filter((_, i) => pending.results[i] === null).map((c) => c.name),
    });
    this.closeRound(triggerId, pending);
  }

  /** The round ends (all calls returned, or its time ran out): the model is asked again with its results. */
  private closeRound(triggerId: number, pending: PendingToolRound): void {
    const work = this.work;
    if (work === null) return;
    this.effects.push({ type: 'CancelTools' });
    this.askModel(triggerId, { ...work, pending: null, rounds: [...work.rounds, closeToolRound(pending)] });
  }

  private runningRound(triggerId: number, round: number): PendingToolRound | null {
    const pending = this.work?.pending ?? null;
    if (!this.inPhase(triggerId, 'thinking') || pending === null || pending.round !== round) return null;
    return pending;
  }

  /** The model's answer passes the leak guard, then is marked `sending` — durably, before it is sent. */
  private review(triggerId: number, modelText: string, offline: boolean): void {
    const inFlight = this.state.chat.inFlight;
    if (inFlight === null || !this.awaitingModel(triggerId)) return;
    this.effects.push({ type: 'StopTyping' });
    if (offline) this.effects.push({ type: 'Count', counter: 'offline' });
    const prompt =
      this.work?.prompt ??
      prepareReply(this.state.chat, this.env.nowMs, undefined, this.work?.voice ?? this.voiceFor(inFlight.fromId));
    if (prompt === null) return;
    const reviewed = reviewReply(this.state.chat, modelText, prompt);
    if (reviewed.verdict.action === 'block') {
      this.effects.push({ type: 'Count', counter: 'leakBlocked' });
      this.log('warn', 'leak guard blocked a model reply; sending a neutral line', {
        reasons: reviewed.verdict.reasons,
      });
    }
    if (this.work !== null) this.work = { ...this.work, styled: !offline && reviewed.verdict.action !== 'block' };
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
      this.record(triggerId, inFlight.fromId, botMessageId, text);
    }
    // Which style rules the reply followed, so a reaction or reply to it can weigh them.
    const prompt = this.work?.prompt ?? null;
    if (prompt !== null && this.work?.styled === true)
      rememberStyledReply(this.state.chat, botMessageId, styleKeys(prompt.style));
    this.finish({ triggerId, sent: true, text, botMessageId });
  }

  /**
   * Keeps the sent reply for the signals members give on it, and has it
   * recorded with the prompt that built it. A reply whose prompt is not at
   * hand (a bare `sending` reply recovered from an old snapshot) has none
   * to record.
   */
  private record(triggerId: number, authorId: number, botMessageId: number, text: string): void {
    const prompt = this.work?.prompt ?? null;
    if (prompt === null) return;
    const windowMs = this.work?.voice?.experiment?.scoreWindowMs ?? DEFAULT_SCORE_WINDOW_MS;
    rememberReply(this.state.chat, { id: botMessageId, triggerId, authorId, sentMs: this.env.nowMs, windowMs });
    this.effects.push({
      type: 'RecordReply',
      triggerId,
      botMessageId,
      text,
      persona: prompt.persona,
      template: prompt.template,
      experiment: prompt.experiment,
      styleRules: prompt.style.rules.map((r) => r.id),
    });
  }

  private voiceFor(fromId: number): ReplyVoice {
    return this.env.voice?.(fromId) ?? { persona: DEFAULT_PERSONA, experiment: null };
  }

  /** Ends the reply in flight and starts the follow-up the pipeline asks for, if any. */
  private finish(outcome: ReplyOutcome): void {
    this.work = null;
    this.effects.push({ type: 'CancelRecall' });
    const { followUp } = completeReply(this.state.chat, outcome, this.env.nowMs, this.env.botUserId);
    this.effects.push({ type: 'InvalidateReport' }, { type: 'MarkDirty' });
    if (followUp !== null) this.start(followUp);
  }

  /** The reply is thinking and its model call is what it waits for (no tool round running). */
  private awaitingModel(triggerId: number): boolean {
    return this.inPhase(triggerId, 'thinking') && (this.work?.pending ?? null) === null;
  }

  private recalling(triggerId: number): boolean {
    return this.inPhase(triggerId, 'thinking') && this.work?.recall === 'waiting';
  }

  private inPhase(triggerId: number, phase: 'thinking' | 'sending'): boolean {
    const inFlight = this.state.chat.inFlight;
    return inFlight !== null && inFlight.triggerId === triggerId && inFlight.phase === phase;
  }

  private count(counter: ReplyCounter, times: number): void {
    for (let i = 0; i < times; i++) this.effects.push({ type: 'Count', counter });
  }

  private log(level: 'warn' | 'error', msg: string, fields: Record<string, unknown>): void {
    this.effects.push({ type: 'Log', level, msg, fields });
  }
}

function freshWork(recall: ReplyWork['recall'], memories: RankedMemory[]): ReplyWork {
  return {
    recall,
    memories,
    prompt: null,
    voice: null,
    tools: null,
    rounds: [],
    pending: null,
    plainOnly: false,
    styled: false,
  };
}
