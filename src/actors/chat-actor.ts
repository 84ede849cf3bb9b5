import {
  BotAddress,
  type Decision,
  DerivedCache,
  describePrompt,
  executeCommand,
  findInHistory,
  forgetOwnNames,
  hasRedaction,
  type IncomingMessage,
  memoryCandidate,
  type PipelineContext,
  processMessage,
  reactionFeedback,
  redactName,
  redactUsername,
  replyFeedback,
  type ReplyCounter,
  type ReplyEffect,
  type ReplyEvent,
  type ReplyWork,
  type RuleBook,
  transitionReply,
  type Vocabulary,
} from '../chat/index.js';
import type { LlmPort } from '../llm/index.js';
import type { MemoryPort, RememberRequest } from '../memory/index.js';
import { Actor, type Clock, LekhaError, type Logger } from '../runtime/index.js';
import type { BotIdentity, ChatEgress, Durability, TelegramMessage, TelegramReaction, UpdateAcks } from '../telegram/index.js';
import type { ChatActorCounters } from './chat-actor-counters.js';
import type { ChatAdmins } from './chat-admins.js';
import type { ChatArchive } from './chat-archive.js';
import type { AdminChecked, ChatMsg, ReplyReady, UpdateReceived } from './chat-messages.js';
import type { PromptView } from './prompt-view.js';
import { type ChatState, emptyChatState } from './chat-state.js';
import { toIncomingMessage } from './incoming-message.js';
import { answerChatQuery } from './chat-queries.js';

/**
 * Built once per process and shared by every chat actor: the bot's address
 * (names and @username), the word vocabulary and compiled filter rules.
 */
export interface ChatPipelineShared {
  address: BotAddress;
  vocabulary: Vocabulary;
  rules: RuleBook;
  /** Random source in [0, 1) for unasked replies; seeded in tests. */
  random: () => number;
}

/** What a chat actor needs from the outside world, as ports. */
export interface ChatActorDeps {
  bot: BotIdentity;
  llm: LlmPort;
  egress: ChatEgress;
  /** Told when an update's turn has run. */
  acks: UpdateAcks;
  /** When this chat's state changes are durable; a reply is sent only after its "sending" mark is. */
  durability: Durability<number>;
  /** Where chats, users and (PII-redacted) messages are recorded for the admin API. */
  archive: ChatArchive;
  /** Who may change the chat's mode. */
  admins: ChatAdmins;
  pipeline: ChatPipelineShared;
  /** Long-term memory: what the chat remembers, recalled into prompts. */
  memory: MemoryPort;
  /** The longest a reply waits for recalled memories before it goes on without them. */
  recallTimeoutMs?: number;
  clock: Clock;
  counters: ChatActorCounters;
  logger?: Logger;
  /**
   * LOG_UNSAFE_CONTENT: log each message's text, author and chat title at
   * debug level. Personal data in the logs; for chasing a problem only.
   */
  logContent?: boolean;
  /** Refresh period of the typing indicator (Telegram shows one for 5 s). */
  typingIntervalMs?: number;
}

/**
 * One chat: runs every message through the chat-intelligence pipeline
 * (filters, PII redaction, rate limiting, profiles, group dynamics, reply
 * decision) inside its turn, asks the LLM gateway for a reply when the
 * pipeline decides to answer (a side effect; the answer comes back as
 * `ReplyReady`), runs the leak guard on it and sends it through the egress.
 * One model reply is in flight at a time; triggers that arrive meanwhile are
 * coalesced by the pipeline into at most one follow-up.
 *
 * Exactly-once handling rests on facts kept in the state: `lastUpdateId`
 * recognises updates Telegram delivers again after a crash, the pipeline
 * remembers answered triggers, and a reply is marked `sending` durably
 * before it is sent, so a crash can never make it go out twice.
 */
export class ChatActor extends Actor<ChatMsg, ChatState> {
  private readonly state: ChatState;
  private readonly cache = new DerivedCache();
  private readonly ctx: PipelineContext;
  private typingTimer: number | null = null;
  /** What the reply in flight gathered (memories, prompt); its phase is in the chat state. */
  private replyWork: ReplyWork | null = null;
  /** The recall timeout of the reply in flight, while it waits for memories. */
  private recallTimer: number | null = null;
  /** Admin answers from Telegram, by user id, so a burst of /mode asks once. */
  private readonly adminCache = new Map<number, { admin: boolean; atMs: number }>();
  /** The last prompt sent to the model, for the debug view. */
  private lastPrompt: PromptView | null = null;
  /** Members with redacted data in their names archived since the actor started (see `firstSightOfRedactedName`); rarely needed, so made on demand. */
  private redactedNamesArchived: Set<number> | null = null;

  constructor(private readonly chatId: number, state: ChatState | undefined, private readonly deps: ChatActorDeps) {
    super();
    this.state = state === undefined ? emptyChatState(chatId, deps.clock.now()) : structuredClone(state);
    // A snapshot upgraded from version 1 does not know its chat id.
    this.state.chat.chatId = chatId;
    const { address, vocabulary, rules, random } = deps.pipeline;
    // A state recorded before the bot's names were kept out of the chat's words (onStart marks the state dirty).
    if (state !== undefined) forgetOwnNames(this.state.chat, address);
    this.ctx = { bot: address, vocabulary, rules, random, cache: this.cache };
  }

  override onStart(): void {
    this.replyFlow({ type: 'Restarted' });
  }

  override onStop(): void {
    this.typingTimer = null;
  }

  receive(msg: ChatMsg): void {
    switch (msg.type) {
      case 'UpdateReceived':
        this.onUpdate(msg);
        return;
      case 'ReplyReady':
        this.replyFlow(modelEvent(msg));
        return;
      case 'ReplySent':
        this.replyFlow(msg.outcome.ok ? { type: 'ReplyDelivered', triggerId: msg.triggerId, botMessageId: msg.outcome.value.messageIds[0] ?? 0 } : { type: 'DeliveryFailed', triggerId: msg.triggerId, error: msg.outcome.error });
        return;
      case 'ReplyRetryDue':
        this.replyFlow({ type: 'ModelRetryDue', triggerId: msg.triggerId });
        return;
      case 'MemoriesRecalled':
        this.replyFlow(msg.outcome.ok ? { type: 'MemoriesRecalled', triggerId: msg.triggerId, hits: msg.outcome.value } : { type: 'RecallFailed', triggerId: msg.triggerId, error: msg.outcome.error });
        return;
      case 'RecallTimedOut':
        // Only the armed timer can fire: every other one was cancelled when its recall ended.
        this.recallTimer = null;
        this.replyFlow({ type: 'RecallTimedOut', triggerId: msg.triggerId });
        return;
      case 'MemoryDone':
        if (!msg.outcome.ok) this.deps.logger?.warn({ err: msg.outcome.error, chatId: this.chatId, op: msg.op }, 'memory work failed');
        return;
      case 'TypingDue':
        this.replyFlow({ type: 'TypingDue' });
        return;
      case 'AnswerSent':
        if (!msg.outcome.ok) this.deps.logger?.warn({ err: msg.outcome.error, chatId: this.chatId }, 'answer could not be sent');
        return;
      case 'AdminChecked':
        this.onAdminChecked(msg);
        return;
      case 'GetLastPrompt':
      case 'GetChatState':
      case 'GetChatReport':
      case 'GetUserAnalytics':
      case 'GetMembers':
      case 'GetSettings':
      case 'SetMode':
      case 'PatchSettings':
        answerChatQuery(msg, { state: this.state, cache: this.cache, lastPrompt: this.lastPrompt, nowMs: this.deps.clock.now(), applySettings: (settings) => this.applySettings(settings) });
        return;
    }
  }

  snapshot(): ChatState {
    return structuredClone(this.state);
  }

  private onUpdate(msg: UpdateReceived): void {
    // A replayed dead letter is older than what the chat has seen since, and was never handled.
    if (msg.replayed !== true) {
      if (isRedelivery(msg.updateId, this.state.lastUpdateId)) {
        this.deps.counters.redeliveries.inc();
        this.deps.acks.processed(this.chatId, msg.updateId);
        return;
      }
      this.state.lastUpdateId = msg.updateId;
    }
    const message = msg.update.message;
    if (message !== undefined) this.onMessage(message);
    const reaction = msg.update.message_reaction;
    if (reaction !== undefined) this.onReaction(reaction);
    this.markDirty();
    this.deps.acks.processed(this.chatId, msg.updateId);
  }

  /** Only with LOG_UNSAFE_CONTENT: no other log line carries what people wrote or who they are. */
  private logContent(message: TelegramMessage, decision: Decision): void {
    const from = message.from;
    this.deps.logger?.debug?.(
      {
        chatId: this.chatId,
        messageId: message.message_id,
        userId: from?.id,
        name: from?.first_name,
        username: from?.username,
        title: message.chat.title,
        text: message.text ?? message.caption,
        decision: decision.kind,
      },
      'message content (LOG_UNSAFE_CONTENT)',
    );
  }

  private onMessage(message: TelegramMessage): void {
    const from = message.from;
    if (from === undefined || from.id === this.deps.bot.id || message.chat.type === 'channel') return;
    this.state.processedMessages++;
    this.deps.counters.messages.inc();
    const nowMs = this.deps.clock.now();
    const chat = this.state.chat;
    if (chat.chat.kind !== message.chat.type) chat.chat.kind = message.chat.type;
    this.state.title = message.chat.title === undefined ? null : redactName(message.chat.title);

    const incoming = toIncomingMessage(message, this.deps.bot.id);
    const people = [incoming.from, ...(incoming.newMembers ?? [])];
    // Copied, not referenced: the pipeline updates a member's names in place.
    const before = people.map((p) => {
      const m = chat.members[String(p.id)];
      return m === undefined ? undefined : { name: m.name, username: m.username };
    });
    const result = processMessage(chat, incoming, nowMs, this.ctx);
    if (this.deps.logContent === true) this.logContent(message, result.decision);
    this.cache.invalidate(result.change);
    if (result.decision.kind === 'coalesced') this.deps.counters.coalesced.inc();

    // Every message: the chat's last activity moves with it (the archive keeps the latest per batch and the greatest stored).
    this.archiveChat(message, nowMs);
    people.forEach((person, i) => {
      const known = before[i];
      const changed = known === undefined || known.name !== person.name || known.username !== (person.username ?? '');
      if (!this.firstSightOfRedactedName(person) && !changed) return;
      this.deps.archive.user({
        userId: person.id,
        username: person.username ?? null,
        firstName: person.name,
        lastName: person.id === from.id && typeof from['last_name'] === 'string' ? redactName(from['last_name']) : null,
        languageCode: person.languageCode ?? null,
        isBot: person.isBot,
      });
    });
    if (result.decision.kind === 'ignore' && result.decision.reason === 'duplicate') return;
    this.deps.archive.message({
      chatId: this.chatId,
      messageId: message.message_id,
      userId: from.id,
      replyToMessageId: message.reply_to_message?.message_id ?? null,
      sentAtMs: message.date * 1000,
      text: result.redactedText,
    });
    if (worthRemembering(result.decision)) {
      const candidate = memoryCandidate(result.redactedText);
      if (candidate !== null) this.remember({ kind: candidate.kind, text: candidate.text, fromId: from.id, ms: message.date * 1000, messageId: message.message_id });
    }
    if (incoming.replyTo?.fromId === this.deps.bot.id) this.feedback(incoming.replyTo.messageId, replyFeedback(result.redactedText));
    this.act(result.decision, incoming);
  }

  /**
   * True the first time since this actor started that a member whose names
   * carry redacted data writes. They are archived again then, unchanged or
   * not: a `users` row written before names were redacted on the way in
   * still holds the raw name, and the profile (redacted when the state was
   * loaded) no longer shows the difference.
   */
  private firstSightOfRedactedName(person: IncomingMessage['from']): boolean {
    if (!hasRedaction(person.name) && !hasRedaction(person.username ?? '')) return false;
    const seen = (this.redactedNamesArchived ??= new Set());
    if (seen.has(person.id)) return false;
    seen.add(person.id);
    return true;
  }

  /** Reactions on the bot's replies are feedback on them (and on the memories recalled for them). */
  private onReaction(reaction: TelegramReaction): void {
    if (reaction.user?.id === this.deps.bot.id) return;
    // A reaction to a member's message is no feedback; one to a message older than the history may be to the bot.
    if (findInHistory(this.state.chat, reaction.message_id)?.bot === false) return;
    const emoji = (list: TelegramReaction['new_reaction']): string[] => list.flatMap((r) => (r.type === 'emoji' && r.emoji !== undefined ? [r.emoji] : []));
    this.feedback(reaction.message_id, reactionFeedback(emoji(reaction.old_reaction), emoji(reaction.new_reaction)));
  }

  private remember(request: Omit<RememberRequest, 'chatId'>): void {
    const memory = this.deps.memory;
    const chatId = this.chatId;
    this.pipe(
      () => memory.remember({ chatId, ...request }),
      (outcome) => ({ type: 'MemoryDone', op: 'remember', outcome }),
    );
  }

  private feedback(messageId: number, delta: number): void {
    if (delta === 0) return;
    const memory = this.deps.memory;
    const chatId = this.chatId;
    this.pipe(
      () => memory.feedback(chatId, messageId, delta),
      (outcome) => ({ type: 'MemoryDone', op: 'feedback', outcome }),
    );
  }

  private act(decision: Decision, incoming: IncomingMessage): void {
    switch (decision.kind) {
      case 'reply':
        this.replyFlow({ type: 'ReplyStarted', plan: decision.plan });
        return;
      case 'answer':
        this.sendAnswer(decision.text, decision.replyToMessageId);
        return;
      case 'check-admin': {
        const cached = this.adminCache.get(incoming.from.id);
        const nowMs = this.deps.clock.now();
        const base = { type: 'AdminChecked' as const, message: incoming, command: decision.command, language: decision.language, previousSeenMs: decision.previousSeenMs };
        if (cached !== undefined && nowMs - cached.atMs < ADMIN_CACHE_MS) {
          this.onAdminChecked({ ...base, outcome: { ok: true, value: cached.admin } });
          return;
        }
        const { admins } = this.deps;
        const chatId = this.chatId;
        const userId = incoming.from.id;
        this.pipe(() => admins.isAdmin(chatId, userId), (outcome) => ({ ...base, outcome }));
        return;
      }
      case 'ignore':
      case 'coalesced':
        return;
    }
  }

  private onAdminChecked(msg: AdminChecked): void {
    if (!msg.outcome.ok) {
      // Without an answer from Telegram the change is refused, never allowed by default.
      this.deps.logger?.warn({ err: msg.outcome.error, chatId: this.chatId }, 'could not check whether a member is an admin');
    } else {
      this.adminCache.set(msg.message.from.id, { admin: msg.outcome.value, atMs: this.deps.clock.now() });
    }
    const senderIsAdmin = msg.outcome.ok && msg.outcome.value;
    const settingsBefore = this.state.chat.settings;
    const outcome = executeCommand({
      state: this.state.chat,
      command: msg.command,
      message: { ...msg.message, senderIsAdmin },
      language: msg.language,
      previousSeenMs: msg.previousSeenMs,
      nowMs: this.deps.clock.now(),
      vocabulary: this.ctx.vocabulary,
      cache: this.cache,
      events: [],
    });
    if (this.state.chat.settings !== settingsBefore) this.settingsChanged(settingsBefore.mode);
    if (outcome.kind === 'answer') this.sendAnswer(outcome.text, msg.message.messageId);
  }

  private applySettings(settings: ChatState['chat']['settings']): void {
    const modeBefore = this.state.chat.settings.mode;
    this.state.chat.settings = settings;
    this.state.chat.revision++;
    this.settingsChanged(modeBefore);
  }

  private settingsChanged(modeBefore: string): void {
    this.cache.clear();
    this.markDirty();
    if (this.state.chat.settings.mode !== modeBefore) this.archiveChat(null, this.deps.clock.now());
  }

  private archiveChat(message: TelegramMessage | null, nowMs: number): void {
    const chat = this.state.chat;
    this.deps.archive.chat({
      chatId: this.chatId,
      type: chat.chat.kind,
      title: this.state.title,
      username: message?.chat.username === undefined ? null : redactUsername(message.chat.username),
      mode: chat.settings.mode,
      lastActivityMs: message === null ? nowMs : message.date * 1000,
    });
  }

  /**
   * Sends an answer that needs no model (command, catch-up, warning). Like a
   * reply it waits until the turn that decided it is durable: a crash before
   * then redelivers the update and decides again, so it never goes out twice.
   */
  private sendAnswer(text: string, replyToMessageId: number): void {
    const { durability, egress } = this.deps;
    const chatId = this.chatId;
    const replyTo = this.isGroup() ? { replyToMessageId } : {};
    this.deps.counters.answers.inc();
    this.pipe(
      async () => {
        await durability.afterFlush(chatId);
        return egress.sendReply(chatId, text, replyTo);
      },
      (outcome) => ({ type: 'AnswerSent', outcome }),
    );
  }

  /** Runs one event through the reply flow and carries out what it asks for. */
  private replyFlow(event: ReplyEvent): void {
    const { state, effects } = transitionReply({ chat: this.state.chat, work: this.replyWork }, event, { nowMs: this.deps.clock.now(), botUserId: this.deps.bot.id });
    this.replyWork = state.work;
    for (const effect of effects) this.perform(effect);
  }

  private perform(effect: ReplyEffect): void {
    const { deps, chatId } = this;
    switch (effect.type) {
      case 'RecallMemories': {
        const { memory } = deps;
        const { triggerId } = effect;
        const request = { chatId, text: effect.queryText, k: RECALL_CANDIDATES };
        this.recallTimer = this.after(deps.recallTimeoutMs ?? DEFAULT_RECALL_TIMEOUT_MS, { type: 'RecallTimedOut', triggerId });
        this.pipe(
          () => memory.recall(request),
          (outcome) => ({ type: 'MemoriesRecalled', triggerId, outcome }),
        );
        return;
      }
      case 'CancelRecall':
        if (this.recallTimer !== null) this.cancelTimer(this.recallTimer);
        this.recallTimer = null;
        return;
      case 'AskModel':
        this.askModel(effect);
        return;
      case 'RetryModelLater':
        this.after(effect.delayMs, { type: 'ReplyRetryDue', triggerId: effect.triggerId });
        return;
      case 'ShowTyping':
        deps.egress.sendTyping(chatId);
        if (effect.keepShowing && this.typingTimer === null) this.typingTimer = this.every(deps.typingIntervalMs ?? 4000, { type: 'TypingDue' });
        return;
      case 'StopTyping':
        if (this.typingTimer !== null) this.cancelTimer(this.typingTimer);
        this.typingTimer = null;
        return;
      case 'SendReply': {
        const { durability, egress } = deps;
        const { triggerId, text } = effect;
        const replyTo = this.isGroup() ? { replyToMessageId: triggerId } : {};
        this.pipe(
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
        this.remember({ kind: 'bot', text: effect.text, fromId: deps.bot.id, ms: deps.clock.now(), messageId: effect.botMessageId, recalledIds: effect.recalledIds });
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
        this.markDirty();
        return;
      case 'InvalidateReport':
        this.cache.invalidate({ userIds: [] });
        return;
    }
  }

  private askModel(ask: Extract<ReplyEffect, { type: 'AskModel' }>): void {
    const { triggerId, prompt } = ask;
    this.lastPrompt = {
      triggerId,
      builtAtMs: this.deps.clock.now(),
      description: describePrompt(prompt),
      messages: prompt.messages,
      memories: ask.memories.slice(0, prompt.memoriesUsed).map((m) => ({ id: m.id, kind: m.kind, text: m.text, fromId: m.fromId, ms: m.ms, similarity: m.similarity, feedback: m.feedback, score: m.score })),
      recall: ask.recall,
    };
    const request = { chatId: this.chatId, userId: ask.fromId, messages: prompt.messages };
    const llm = this.deps.llm;
    this.pipe(
      (signal) => llm.complete(request, signal),
      (outcome) => ({ type: 'ReplyReady', triggerId, outcome }),
    );
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
    }
  }

  private isGroup(): boolean {
    return this.chatId < 0;
  }
}

/** Nearest memories asked for; re-ranking keeps the best few of them. */
const RECALL_CANDIDATES = 20;
const DEFAULT_RECALL_TIMEOUT_MS = 250;
/** How long Telegram's word on a member's admin status is trusted. */
const ADMIN_CACHE_MS = 10 * 60_000;

/**
 * Telegram restarts update ids at random after a week without updates, so
 * "at or below the last one" alone could swallow a fresh update; a
 * redelivery is always close behind (within the unconfirmed window).
 */
const REDELIVERY_WINDOW = 100_000;

/** The gateway's answer as the reply flow sees it; a busy gateway is still working on an earlier request of this chat. */
function modelEvent(msg: ReplyReady): ReplyEvent {
  const { triggerId, outcome } = msg;
  if (outcome.ok) return { type: 'ModelAnswered', triggerId, text: outcome.value.text, offline: outcome.value.source !== 'groq' };
  if (outcome.error instanceof LekhaError && outcome.error.code === 'LLM_CHAT_BUSY') return { type: 'ModelBusy', triggerId };
  return { type: 'ModelFailed', triggerId, error: outcome.error };
}

function isRedelivery(updateId: number, lastUpdateId: number): boolean {
  return updateId <= lastUpdateId && lastUpdateId - updateId < REDELIVERY_WINDOW;
}

/** Messages the pipeline let through (not spam, floods, duplicates or service messages) may be remembered. */
function worthRemembering(decision: Decision): boolean {
  if (decision.kind === 'ignore') return decision.reason !== 'duplicate' && decision.reason !== 'filtered' && decision.reason !== 'service' && decision.reason !== 'own-message';
  return !(decision.kind === 'answer' && decision.cause === 'violation');
}
