import type { LlmPort, LlmReply } from '../llm/index.js';
import { Actor, LekhaError, type Logger } from '../runtime/index.js';
import type { BotIdentity, ChatEgress, Durability, SentReply, TelegramMessage, UpdateAcks } from '../telegram/index.js';
import type { ChatActorCounters } from './chat-actor-counters.js';
import type { ChatMsg, UpdateReceived } from './chat-messages.js';
import { type ChatState, emptyChatState, type ReplyTrigger } from './chat-state.js';
import { isAddressed } from './reply-decision.js';
import { buildReplyPrompt } from './reply-prompt.js';

/** What a chat actor needs from the outside world, as ports. */
export interface ChatActorDeps {
  bot: BotIdentity;
  llm: LlmPort;
  egress: ChatEgress;
  /** Told when an update's turn has run. */
  acks: UpdateAcks;
  /** When this chat's state changes are durable; a reply is sent only after its "sending" mark is. */
  durability: Durability<number>;
  counters: ChatActorCounters;
  logger?: Logger;
  /** Messages kept for the prompt. */
  historyLimit?: number;
  /** Refresh period of the typing indicator (Telegram shows one for 5 s). */
  typingIntervalMs?: number;
  /** Decides whether a message asks for a reply; replaceable by the chat modules' reply policy. */
  shouldReply?: (message: TelegramMessage, bot: BotIdentity) => boolean;
}

/**
 * One chat: records its messages, decides when it is addressed, asks the LLM
 * gateway for a reply (a side effect; the answer comes back as `ReplyReady`)
 * and sends it through the egress, one reply in flight at a time so replies
 * go out in order; triggers that arrive meanwhile are folded into the next
 * reply.
 *
 * Exactly-once handling of updates rests on two facts kept in the state:
 * `lastUpdateId` recognises updates Telegram delivers again after a crash,
 * and a reply is marked `sending` durably before it is sent, so a crash can
 * never make it go out twice.
 */
export class ChatActor extends Actor<ChatMsg, ChatState> {
  private readonly state: ChatState;
  private typingTimer: number | null = null;
  private readonly historyLimit: number;
  private readonly shouldReply: (message: TelegramMessage, bot: BotIdentity) => boolean;

  constructor(private readonly chatId: number, state: ChatState | undefined, private readonly deps: ChatActorDeps) {
    super();
    this.state = state === undefined ? emptyChatState() : { ...state, history: [...state.history] };
    this.historyLimit = deps.historyLimit ?? 30;
    this.shouldReply = deps.shouldReply ?? isAddressed;
  }

  override onStart(): void {
    const pending = this.state.pending;
    if (pending === null) return;
    if (pending.phase === 'thinking') {
      // The model call died with the previous incarnation; asking again sends nothing twice.
      this.askModel(pending);
      return;
    }
    this.state.repliesInDoubt++;
    this.deps.counters.repliesInDoubt.inc();
    this.deps.logger?.warn({ chatId: this.chatId, updateId: pending.updateId }, 'reply may or may not have been sent before a crash; not resending');
    this.state.pending = null;
    this.markDirty();
    this.startNext();
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
        this.onReplyReady(msg.triggerUpdateId, msg.outcome);
        return;
      case 'ReplySent':
        this.onReplySent(msg.triggerUpdateId, msg.outcome);
        return;
      case 'ReplyRetryDue': {
        const pending = this.state.pending;
        if (pending !== null && pending.updateId === msg.triggerUpdateId && pending.phase === 'thinking') this.askModel(pending);
        return;
      }
      case 'TypingDue':
        if (this.state.pending?.phase === 'thinking') this.deps.egress.sendTyping(this.chatId);
        return;
      case 'GetChatState':
        msg.reply.resolve(this.snapshot());
        return;
    }
  }

  snapshot(): ChatState {
    const { pending, next } = this.state;
    return { ...this.state, history: [...this.state.history], pending: pending === null ? null : { ...pending }, next: next === null ? null : { ...next } };
  }

  private onUpdate(msg: UpdateReceived): void {
    if (isRedelivery(msg.updateId, this.state.lastUpdateId)) {
      this.deps.counters.redeliveries.inc();
      this.deps.acks.processed(this.chatId, msg.updateId);
      return;
    }
    this.state.lastUpdateId = msg.updateId;
    const message = msg.update.message;
    if (message !== undefined) this.onMessage(msg.updateId, message);
    this.markDirty();
    this.deps.acks.processed(this.chatId, msg.updateId);
  }

  private onMessage(updateId: number, message: TelegramMessage): void {
    const text = message.text ?? message.caption;
    const from = message.from;
    if (from === undefined || from.id === this.deps.bot.id) return;
    this.state.processedMessages++;
    this.deps.counters.messages.inc();
    if (text === undefined) return;
    this.remember({ messageId: message.message_id, userId: from.id, name: from.first_name, text, date: message.date, fromBot: false });
    if (!this.shouldReply(message, this.deps.bot)) return;
    const trigger: ReplyTrigger = { updateId, messageId: message.message_id, userId: from.id };
    if (this.state.pending !== null) {
      if (this.state.next !== null) this.deps.counters.coalesced.inc();
      this.state.next = trigger;
      return;
    }
    this.startReply(trigger);
  }

  private startReply(trigger: ReplyTrigger): void {
    this.state.pending = { ...trigger, phase: 'thinking', text: null };
    this.deps.counters.repliesStarted.inc();
    this.askModel(trigger);
  }

  private askModel(trigger: ReplyTrigger): void {
    const request = { chatId: this.chatId, userId: trigger.userId, messages: buildReplyPrompt(this.state.history, this.deps.bot) };
    const llm = this.deps.llm;
    this.pipe(
      (signal) => llm.complete(request, signal),
      (outcome) => ({ type: 'ReplyReady', triggerUpdateId: trigger.updateId, outcome }),
    );
    this.deps.egress.sendTyping(this.chatId);
    if (this.typingTimer === null) this.typingTimer = this.every(this.deps.typingIntervalMs ?? 4000, { type: 'TypingDue' });
  }

  private onReplyReady(triggerUpdateId: number, outcome: { ok: true; value: LlmReply } | { ok: false; error: unknown }): void {
    const pending = this.state.pending;
    if (pending === null || pending.updateId !== triggerUpdateId || pending.phase !== 'thinking') return;
    if (!outcome.ok && outcome.error instanceof LekhaError && outcome.error.code === 'LLM_CHAT_BUSY') {
      // A request of an earlier incarnation of this actor (restarted after a failed turn) is still out:
      // its answer may be for this trigger; if not, ask again shortly.
      this.after(BUSY_RETRY_MS, { type: 'ReplyRetryDue', triggerUpdateId });
      return;
    }
    this.stopTyping();
    if (!outcome.ok) {
      this.deps.counters.replyFailures.inc();
      this.deps.logger?.error({ err: outcome.error, chatId: this.chatId }, 'reply could not be generated');
      this.state.pending = null;
      this.markDirty();
      this.startNext();
      return;
    }
    if (outcome.value.source !== 'groq') this.deps.counters.offlineReplies.inc();
    pending.phase = 'sending';
    pending.text = outcome.value.text;
    this.markDirty();
    const { durability, egress } = this.deps;
    const chatId = this.chatId;
    const text = outcome.value.text;
    const replyTo = this.isGroup() ? { replyToMessageId: pending.messageId } : {};
    this.pipe(
      async () => {
        // The "sending" mark must be durable first: after a crash it stops a second send.
        await durability.afterFlush(chatId);
        return egress.sendReply(chatId, text, replyTo);
      },
      (sent) => ({ type: 'ReplySent', triggerUpdateId, outcome: sent }),
    );
  }

  private onReplySent(triggerUpdateId: number, outcome: { ok: true; value: SentReply } | { ok: false; error: unknown }): void {
    const pending = this.state.pending;
    if (pending === null || pending.updateId !== triggerUpdateId || pending.phase !== 'sending') return;
    if (outcome.ok) {
      this.state.repliesSent++;
      this.deps.counters.repliesSent.inc();
      const firstId = outcome.value.messageIds[0] ?? 0;
      this.remember({ messageId: firstId, userId: this.deps.bot.id, name: this.deps.bot.firstName, text: pending.text ?? '', date: this.state.history.at(-1)?.date ?? 0, fromBot: true });
    } else {
      this.deps.counters.replyFailures.inc();
      this.deps.logger?.warn({ err: outcome.error, chatId: this.chatId }, 'reply could not be sent');
    }
    this.state.pending = null;
    this.markDirty();
    this.startNext();
  }

  private startNext(): void {
    const next = this.state.next;
    if (next === null || this.state.pending !== null) return;
    this.state.next = null;
    this.startReply(next);
  }

  private remember(entry: ChatState['history'][number]): void {
    const history = this.state.history;
    history.push(entry);
    if (history.length > this.historyLimit) history.splice(0, history.length - this.historyLimit);
  }

  private stopTyping(): void {
    if (this.typingTimer === null) return;
    this.cancelTimer(this.typingTimer);
    this.typingTimer = null;
  }

  private isGroup(): boolean {
    return this.chatId < 0;
  }
}

const BUSY_RETRY_MS = 1000;

/**
 * Telegram restarts update ids at random after a week without updates, so
 * "at or below the last one" alone could swallow a fresh update; a
 * redelivery is always close behind (within the unconfirmed window).
 */
const REDELIVERY_WINDOW = 100_000;

function isRedelivery(updateId: number, lastUpdateId: number): boolean {
  return updateId <= lastUpdateId && lastUpdateId - updateId < REDELIVERY_WINDOW;
}
