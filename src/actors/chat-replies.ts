import {
  assignVariant,
  type DerivedCache,
  DEFAULT_PERSONA,
  describePrompt,
  redactPii,
  type ReplyCounter,
  type ReplyEffect,
  type ReplyEvent,
  type ReplyVoice,
  type ReplyWork,
  toolErrorText,
  transitionReply,
  tunedPersona,
  variantPersona,
} from '../chat/index.js';
import type { ChatTools, ToolCall, ToolCaller, ToolSpec } from '../ports/index.js';
import { LekhaError } from '../runtime/index.js';
import type { ChatActorDeps } from './chat-actor-deps.js';
import type { ChatMemoryWriter } from './chat-memory-writer.js';
import type {
  MemoriesRecalled,
  RecallTimedOut,
  ReplyReady,
  ReplyRetryDue,
  ReplySent,
  ToolRan,
  ToolsTimedOut,
  TypingDue,
} from './chat-messages.js';
import type { ChatState } from './chat-state.js';
import type { ChatTurn } from './chat-turn.js';
import { toolTurns } from './tool-turns.js';

/** Messages that belong to the reply flow: outcomes of its side effects and its timers. */
export type ReplyFlowMsg =
  ReplyReady | ReplySent | ReplyRetryDue | MemoriesRecalled | RecallTimedOut | ToolRan | ToolsTimedOut | TypingDue;

/**
 * Runs a chat's reply flow (`transitionReply`, pure) and carries out the
 * effects it returns: memory recall with its timeout, the model call, the
 * tool calls the model asks for (each a side effect, with a timeout for the
 * round), the typing indicator, the durable-then-send of the reply, counters
 * and logs. Holds only what dies with the actor: timers, the recalled
 * memories, prompt and tool rounds of the reply in flight. The prompt sent
 * goes to `deps.prompts` for the debug view.
 */
export class ChatReplies {
  /** What the reply in flight gathered (memories, prompt); its phase is in the chat state. */
  private work: ReplyWork | null = null;
  /** The recall timeout of the reply in flight, while it waits for memories. */
  private recallTimer: number | null = null;
  private typingTimer: number | null = null;
  /** The running tool round: its timeout and what aborts its calls. */
  private toolRun: { timer: number; abort: AbortController } | null = null;

  constructor(
    private readonly chatId: number,
    private readonly state: ChatState,
    private readonly cache: DerivedCache,
    private readonly deps: ChatActorDeps,
    private readonly turn: ChatTurn,
    private readonly memory: ChatMemoryWriter,
    /** What the model may call while it writes a reply; none when unset. */
    private readonly tools: ChatTools | undefined,
  ) {}

  /** Runs one event through the reply flow and carries out what it asks for. */
  on(event: ReplyEvent): void {
    const { state, effects } = transitionReply({ chat: this.state.chat, work: this.work }, event, {
      nowMs: this.deps.clock.now(),
      botUserId: this.deps.bot.id,
      voice: this.voice,
      tools: this.availableTools,
    });
    this.work = state.work;
    for (const effect of effects) this.perform(effect);
  }

  receive(msg: ReplyFlowMsg): void {
    switch (msg.type) {
      case 'ReplyReady':
        this.on(modelEvent(msg));
        return;
      case 'ReplySent':
        this.on(
          msg.outcome.ok
            ? { type: 'ReplyDelivered', triggerId: msg.triggerId, botMessageId: msg.outcome.value.messageIds[0] ?? 0 }
            : { type: 'DeliveryFailed', triggerId: msg.triggerId, error: msg.outcome.error },
        );
        return;
      case 'ReplyRetryDue':
        this.on({ type: 'ModelRetryDue', triggerId: msg.triggerId });
        return;
      case 'MemoriesRecalled':
        this.on(
          msg.outcome.ok
            ? { type: 'MemoriesRecalled', triggerId: msg.triggerId, hits: msg.outcome.value }
            : { type: 'RecallFailed', triggerId: msg.triggerId, error: msg.outcome.error },
        );
        return;
      case 'RecallTimedOut':
        // Only the armed timer can fire: every other one was cancelled when its recall ended.
        this.recallTimer = null;
        this.on({ type: 'RecallTimedOut', triggerId: msg.triggerId });
        return;
      case 'ToolRan':
        this.on({
          type: 'ToolFinished',
          triggerId: msg.triggerId,
          round: msg.round,
          callId: msg.callId,
          result: msg.result,
        });
        return;
      case 'ToolsTimedOut':
        this.on({ type: 'ToolsTimedOut', triggerId: msg.triggerId, round: msg.round });
        return;
      case 'TypingDue':
        this.on({ type: 'TypingDue' });
        return;
    }
  }

  /** The actor stopped: its timers are gone with it, and tool calls still running are of no use to anyone. */
  stopped(): void {
    this.typingTimer = null;
    this.recallTimer = null;
    this.toolRun?.abort.abort();
    this.toolRun = null;
  }

  /**
   * Who the bot is for a reply to `fromId`: the persona the chat's settings
   * name (the default one when they name none that exists), as the chat
   * tuned it — unless the chat neither chose nor tuned its persona and an
   * experiment is running, whose variant for this chat (unit `chat`) or this
   * member (unit `member`) gives the persona.
   */
  private readonly voice = (fromId: number): ReplyVoice => {
    const personas = this.deps.pipeline.personas;
    const { persona: chosen, personaTuning } = this.state.chat.settings;
    const own = chosen === undefined && personaTuning === undefined;
    const experiment = own ? (this.deps.experiments?.running() ?? null) : null;
    if (experiment === null || experiment.status !== 'running')
      return { persona: tunedPersona(personas?.of(chosen) ?? DEFAULT_PERSONA, personaTuning), experiment: null };
    const variant = assignVariant(experiment, experiment.unit === 'chat' ? this.chatId : fromId);
    const base = personas?.of(variant.persona) ?? DEFAULT_PERSONA;
    return {
      persona: variantPersona(base, variant.overrides),
      experiment: { id: experiment.id, variant: variant.name, scoreWindowMs: experiment.scoreWindowMs },
    };
  };

  /** The tools the model may call in this chat: those of the plugins on here. */
  private readonly availableTools = (): readonly ToolSpec[] =>
    this.tools?.available(this.chatId, this.state.chat.plugins) ?? [];

  private perform(effect: ReplyEffect): void {
    const { deps, chatId, turn } = this;
    switch (effect.type) {
      case 'RecallMemories': {
        const { memory } = deps;
        const { triggerId } = effect;
        const request = { chatId, text: effect.queryText, k: RECALL_CANDIDATES };
        this.recallTimer = turn.after(deps.recallTimeoutMs ?? DEFAULT_RECALL_TIMEOUT_MS, {
          type: 'RecallTimedOut',
          triggerId,
        });
        turn.pipe(
          () => memory.recall(request),
          (outcome) => ({ type: 'MemoriesRecalled', triggerId, outcome }),
        );
        return;
      }
      case 'CancelRecall':
        if (this.recallTimer !== null) this.turn.cancelTimer(this.recallTimer);
        this.recallTimer = null;
        return;
      case 'AskModel':
        this.askModel(effect);
        return;
      case 'RunTools':
        this.runTools(effect);
        return;
      case 'CancelTools':
        this.cancelToolRun();
        return;
      case 'RetryModelLater':
        turn.after(effect.delayMs, { type: 'ReplyRetryDue', triggerId: effect.triggerId });
        return;
      case 'ShowTyping':
        deps.egress.sendTyping(chatId);
        if (effect.keepShowing && this.typingTimer === null)
          this.typingTimer = turn.every(deps.typingIntervalMs ?? 4000, { type: 'TypingDue' });
        return;
      case 'StopTyping':
        if (this.typingTimer !== null) this.turn.cancelTimer(this.typingTimer);
        this.typingTimer = null;
        return;
      case 'SendReply': {
        const { durability, egress } = deps;
        const { triggerId, text } = effect;
        // Groups (negative ids) see the reply quote its trigger.
        const replyTo = chatId < 0 ? { replyToMessageId: triggerId } : {};
        turn.pipe(
          async () => {
            // The "sending" mark must be durable first: after a crash it stops a second send.
            await durability.afterFlush(chatId);
            return egress.sendReply(chatId, text, replyTo);
          },
          (sent) => ({ type: 'ReplySent', triggerId, outcome: sent }),
        );
        return;
      }
      case 'RememberReply':
        this.memory.remember({
          kind: 'bot',
          text: effect.text,
          fromId: deps.bot.id,
          ms: deps.clock.now(),
          messageId: effect.botMessageId,
          recalledIds: effect.recalledIds,
        });
        return;
      case 'RecordReply':
        // Already through the leak guard; personal data is redacted as in members' messages.
        deps.replies?.reply({
          chatId,
          messageId: effect.botMessageId,
          triggerMessageId: effect.triggerId,
          sentAtMs: deps.clock.now(),
          persona: effect.persona,
          template: effect.template,
          experimentId: effect.experiment?.id ?? null,
          variant: effect.experiment?.variant ?? null,
          styleRules: effect.styleRules,
          text: redactPii(effect.text).text,
        });
        return;
      case 'Count':
        this.count(effect.counter);
        return;
      case 'ObserveLatency':
        deps.counters.replyLatency.recordMs(effect.ms);
        return;
      case 'Log':
        deps.logger?.[effect.level]({ ...effect.fields, chatId }, effect.msg);
        return;
      case 'MarkDirty':
        turn.markDirty();
        return;
      case 'InvalidateReport':
        this.cache.invalidate({ userIds: [] });
        return;
    }
  }

  private askModel(ask: Extract<ReplyEffect, { type: 'AskModel' }>): void {
    const { triggerId, prompt } = ask;
    this.deps.prompts.record(this.chatId, {
      triggerId,
      builtAtMs: this.deps.clock.now(),
      version: prompt.version,
      persona: prompt.persona,
      experiment: prompt.experiment,
      description: describePrompt(prompt),
      messages: prompt.messages,
      memories: ask.memories.slice(0, prompt.memoriesUsed).map((m) => ({
        id: m.id,
        kind: m.kind,
        text: m.text,
        fromId: m.fromId,
        ms: m.ms,
        similarity: m.similarity,
        feedback: m.feedback,
        score: m.score,
      })),
      recall: ask.recall,
      tools: ask.tools.map((t) => t.name),
      toolChoice: ask.toolChoice,
      toolRounds: ask.rounds.map((round) => ({
        calls: round.calls.map((c, i) => ({ ...c, result: round.results[i] ?? '' })),
      })),
    });
    const { persona } = ask;
    const request = {
      chatId: this.chatId,
      userId: ask.fromId,
      messages: [...prompt.messages, ...toolTurns(ask.rounds)],
      // The offline responder answers in the language the prompt asks the model for.
      ...(prompt.style.language === 'other' ? {} : { language: prompt.style.language }),
      ...(prompt.maxTokens === undefined ? {} : { maxTokens: prompt.maxTokens }),
      ...(persona.offline === undefined ? {} : { offline: persona.offline }),
      ...(persona.model === undefined ? {} : { model: persona.model }),
      ...(ask.tools.length === 0 ? {} : { tools: ask.tools, toolChoice: ask.toolChoice }),
    };
    const llm = this.deps.llm;
    this.turn.pipe(
      (signal) => llm.complete(request, signal),
      (outcome) => ({ type: 'ReplyReady', triggerId, outcome }),
    );
  }

  /**
   * Runs a round's calls side by side, each answered by its own `ToolRan`,
   * and arms the round's timeout. A call never fails the turn: a tool host
   * that rejects (it should not) or is missing gives the model an error text.
   */
  private runTools(run: Extract<ReplyEffect, { type: 'RunTools' }>): void {
    const { deps, chatId, turn } = this;
    const { triggerId, round } = run;
    // A round left behind by a reply given up meanwhile is of no use any more.
    this.cancelToolRun();
    const abort = new AbortController();
    const timer = turn.after(deps.toolRoundTimeoutMs ?? DEFAULT_TOOL_ROUND_TIMEOUT_MS, {
      type: 'ToolsTimedOut',
      triggerId,
      round,
    });
    this.toolRun = { timer, abort };
    const caller: ToolCaller = {
      chatId,
      userId: run.fromId,
      language: run.language === 'other' ? 'en' : run.language,
      messageId: triggerId,
    };
    const tools = this.tools;
    const logger = deps.logger;
    for (const call of run.calls) {
      turn.pipe(
        async (signal) => {
          if (tools === undefined) return toolErrorText('failed', []);
          try {
            return await tools.run(caller, call, AbortSignal.any([signal, abort.signal]));
          } catch (error) {
            // A call we aborted (round timed out, reply given up) has nothing to report.
            if (!abort.signal.aborted)
              logger?.warn(
                { err: error, chatId, tool: call.name },
                'tool host rejected a call; the model is told it failed',
              );
            return toolErrorText('failed', []);
          }
        },
        (outcome) => toolRan(triggerId, round, call, outcome.ok ? outcome.value : toolErrorText('failed', [])),
      );
    }
  }

  private cancelToolRun(): void {
    if (this.toolRun === null) return;
    this.turn.cancelTimer(this.toolRun.timer);
    this.toolRun.abort.abort();
    this.toolRun = null;
  }

  private count(counter: ReplyCounter): void {
    const { counters } = this.deps;
    switch (counter) {
      case 'started':
        counters.repliesStarted.inc();
        return;
      case 'sent':
        this.state.repliesSent++;
        counters.repliesSent.inc();
        return;
      case 'failed':
        counters.replyFailures.inc();
        return;
      case 'inDoubt':
        this.state.repliesInDoubt++;
        counters.repliesInDoubt.inc();
        return;
      case 'offline':
        counters.offlineReplies.inc();
        return;
      case 'leakBlocked':
        counters.leakBlocks.inc();
        return;
      case 'toolCall':
        counters.toolCalls.inc();
        return;
      case 'toolCallRefused':
        counters.toolCallsRefused.inc();
        return;
      case 'toolTimeout':
        counters.toolTimeouts.inc();
        return;
      case 'toolRoundsExhausted':
        counters.toolRoundsExhausted.inc();
        return;
    }
  }
}

/** Nearest memories asked for; re-ranking keeps the best few of them. */
const RECALL_CANDIDATES = 20;
const DEFAULT_RECALL_TIMEOUT_MS = 250;
/** Above the plugin host's own per-call timeout (10 s by default), so it reports timeouts itself first. */
const DEFAULT_TOOL_ROUND_TIMEOUT_MS = 15_000;

function toolRan(triggerId: number, round: number, call: ToolCall, result: string): ToolRan {
  return { type: 'ToolRan', triggerId, round, callId: call.id, result };
}

/** The gateway's answer as the reply flow sees it; a busy gateway is still working on an earlier request of this chat. */
function modelEvent(msg: ReplyReady): ReplyEvent {
  const { triggerId, outcome } = msg;
  if (outcome.ok) {
    const { text, source, toolCalls } = outcome.value;
    return {
      type: 'ModelAnswered',
      triggerId,
      text,
      offline: source !== 'groq',
      ...(toolCalls === undefined ? {} : { toolCalls }),
    };
  }
  if (outcome.error instanceof LekhaError && outcome.error.code === 'LLM_CHAT_BUSY')
    return { type: 'ModelBusy', triggerId };
  return { type: 'ModelFailed', triggerId, error: outcome.error };
}
