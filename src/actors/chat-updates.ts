import {
  applyPluginEffects,
  applyStyleFeedback,
  type ChatAccess,
  type ChatSettings,
  type CommandCall,
  countGuardVerdict,
  type Decision,
  type DerivedCache,
  findInHistory,
  findLinks,
  guardReply,
  hasRedaction,
  type IncomingMessage,
  type Language,
  linkAllowed,
  memoryCandidate,
  messageSignals,
  type PipelineContext,
  type PluginEffects,
  type PluginEvent,
  processMessage,
  reactionFeedback,
  recentReply,
  redactName,
  redactUsername,
  replyFeedback,
  type ReplySignalDraft,
} from '../chat/index.js';
import type { TelegramMessage, TelegramReaction } from '../telegram/index.js';
import type { ChatActorDeps } from './chat-actor-deps.js';
import type { ChatAnomalies } from './chat-anomalies.js';
import type { ChatMemoryWriter } from './chat-memory-writer.js';
import type { AdminsListed, PluginDone, PluginPost, UpdateReceived } from './chat-messages.js';
import type { ChatReplies } from './chat-replies.js';
import type { ChatState } from './chat-state.js';
import type { ChatTurn } from './chat-turn.js';
import { GROUP_ANONYMOUS_BOT_ID, toIncomingMessage } from './incoming-message.js';

/**
 * A chat actor's handling of updates: redeliveries, the pipeline for each
 * message, the archive rows, memory writes and feedback, and acting on the
 * pipeline's decision (a reply goes to the reply flow; answers without the
 * model, plugin calls and what they change are handled here).
 */
export class ChatUpdates {
  /** The chat's admins as Telegram last listed them, and when (`null`: not asked yet). */
  private admins: { ids: ReadonlySet<number>; atMs: number } | null = null;
  /** A question to Telegram about the admins in flight: every asker waits for the same answer. */
  private adminsAsked: Promise<readonly number[] | null> | null = null;
  /** Members with redacted data in their names archived since the actor started (see `firstSightOfRedactedName`); rarely needed, so made on demand. */
  private redactedNamesArchived: Set<number> | null = null;
  /** Updates skipped in a row as already seen; a streak is logged when it starts and when it ends. */
  private skippedInARow = 0;
  /**
   * Updates waiting, in order, while Telegram says whether the sender of the
   * first one is an admin (`null`: none waiting). Not acknowledged until
   * handled, so a crash meanwhile gets them delivered again.
   */
  private held: UpdateReceived[] | null = null;

  constructor(
    private readonly chatId: number,
    private readonly state: ChatState,
    private readonly cache: DerivedCache,
    private readonly ctx: PipelineContext,
    private readonly deps: ChatActorDeps,
    private readonly turn: ChatTurn,
    private readonly memory: ChatMemoryWriter,
    private readonly replies: ChatReplies,
    /** What plugin calls of this chat are lent. */
    private readonly access: ChatAccess,
    private readonly anomalies: ChatAnomalies,
  ) {}

  onUpdate(msg: UpdateReceived): void {
    if (this.held !== null) this.held.push(msg);
    else this.drain([msg]);
  }

  /** Telegram listed the admins the first held update waited for: handle what was held. */
  onAdminsListed(msg: AdminsListed): void {
    this.keepAdmins(msg.admins);
    const held = this.held ?? [];
    this.held = null;
    this.drain(held);
  }

  /** Handles `queue` in order, holding the rest from the first update that must wait for an admin check. */
  private drain(queue: UpdateReceived[]): void {
    for (let i = 0; i < queue.length; i++) {
      const msg = queue[i] as UpdateReceived;
      if (this.adminsNeededFor(msg)) {
        this.held = queue.slice(i);
        this.turn.pipe(
          () => this.askAdmins(),
          (outcome) => ({ type: 'AdminsListed', admins: outcome.ok ? outcome.value : null }),
        );
        return;
      }
      this.handle(msg);
    }
  }

  /**
   * Chat admins are exempt from the link and invite filters, but Telegram
   * marks only anonymous admins in a message. A group message with a link
   * the allow-list does not cover waits for the chat's admin list when it is
   * not known (rare: links are, and one list answers for every member for
   * 10 minutes — a raid of link posters costs one call).
   */
  private adminsNeededFor(msg: UpdateReceived): boolean {
    if (this.adminsKnown()) return false;
    const message = msg.update.message;
    const from = message?.from;
    if (message === undefined || from === undefined || from.is_bot || from.id === GROUP_ANONYMOUS_BOT_ID) return false;
    if (message.chat.type !== 'group' && message.chat.type !== 'supergroup') return false;
    const allow = this.state.chat.settings.links.allow;
    const text = message.text ?? message.caption ?? '';
    return findLinks(text).some((link) => !linkAllowed(link, allow));
  }

  private adminsKnown(): boolean {
    return this.admins !== null && this.deps.clock.now() - this.admins.atMs < ADMIN_LIST_MS;
  }

  /**
   * Asks Telegram for the admin list, at most once at a time and for at most
   * 5 seconds; `null` when it cannot say (logged).
   */
  private askAdmins(): Promise<readonly number[] | null> {
    this.adminsAsked ??= withTimeout(this.deps.admins.administrators(this.chatId), ADMIN_ASK_TIMEOUT_MS)
      .catch((err: unknown) => {
        this.deps.logger?.warn({ err, chatId: this.chatId }, 'could not ask Telegram who administers the chat');
        return null;
      })
      .finally(() => {
        this.adminsAsked = null;
      });
    return this.adminsAsked;
  }

  /**
   * Keeps Telegram's list. Without an answer nobody is taken for an admin,
   * and the question is asked again after a minute, not at every message.
   */
  private keepAdmins(ids: readonly number[] | null): void {
    const nowMs = this.deps.clock.now();
    this.admins =
      ids === null
        ? { ids: new Set(), atMs: nowMs - ADMIN_LIST_MS + ADMIN_RETRY_MS }
        : { ids: new Set(ids), atMs: nowMs };
  }

  private handle(msg: UpdateReceived): void {
    // A replayed dead letter is older than what the chat has seen since, and was never handled.
    if (msg.replayed !== true) {
      if (isRedelivery(msg.updateId, this.state.lastUpdateId)) {
        this.deps.counters.redeliveries.inc();
        this.noteSkipped({ reason: 'redelivered', updateId: msg.updateId, lastUpdateId: this.state.lastUpdateId });
        this.deps.acks.processed(this.chatId, msg.updateId);
        return;
      }
      this.state.lastUpdateId = msg.updateId;
    }
    const message = msg.update.message;
    if (message !== undefined) this.onMessage(message, msg.replayed === true);
    const reaction = msg.update.message_reaction;
    if (reaction !== undefined) this.onReaction(reaction);
    this.turn.markDirty();
    this.deps.acks.processed(this.chatId, msg.updateId);
  }

  /**
   * Skipping an update as already seen is right after a crash (Telegram
   * hands back what was not confirmed) but mutes the chat when ids restart
   * below the ones it remembers (a Bot API server reset): operators see the
   * first skip of a streak with both ids (never the text), and its length
   * once it ends.
   */
  private noteSkipped(
    ids:
      | { reason: 'redelivered'; updateId: number; lastUpdateId: number }
      | { reason: 'duplicate_message'; messageId: number; lastMessageId: number },
  ): void {
    if (this.skippedInARow++ > 0) return;
    this.deps.logger?.warn(
      { chatId: this.chatId, ...ids },
      ids.reason === 'redelivered'
        ? 'skipping an update whose id is not above the last one this chat processed (a redelivery); further skips in a row are summed up when they end'
        : 'skipping a message whose id is not above the last one this chat processed (a duplicate); further skips in a row are summed up when they end',
    );
  }

  private endSkipStreak(): void {
    if (this.skippedInARow === 0) return;
    if (this.skippedInARow > 1)
      this.deps.logger?.info(
        { chatId: this.chatId, skipped: this.skippedInARow },
        'stopped skipping already-seen updates',
      );
    this.skippedInARow = 0;
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

  private onMessage(message: TelegramMessage, replayed: boolean): void {
    const from = message.from;
    if (from === undefined || from.id === this.deps.bot.id || message.chat.type === 'channel') return;
    this.state.processedMessages++;
    this.deps.counters.messages.inc();
    const nowMs = this.deps.clock.now();
    const chat = this.state.chat;
    if (chat.chat.kind !== message.chat.type) chat.chat.kind = message.chat.type;
    this.state.title = message.chat.title === undefined ? null : redactName(message.chat.title);

    const incoming: IncomingMessage = toIncomingMessage(message, this.deps.bot.id);
    if (replayed) incoming.replayed = true;
    if (incoming.senderIsAdmin === undefined && this.cachedAdmin(from.id)) incoming.senderIsAdmin = true;
    const people = [incoming.from, ...(incoming.newMembers ?? [])];
    // Copied, not referenced: the pipeline updates a member's names in place.
    const before = people.map((p) => {
      const m = chat.members[String(p.id)];
      return m === undefined ? undefined : { name: m.name, username: m.username };
    });
    const sender = chat.members[String(from.id)];
    const habits = {
      firstSeenMs: sender?.firstSeenMs ?? nowMs,
      joinedMs: sender?.joinedMs ?? 0,
      messagesBefore: sender?.messages ?? 0,
    };
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
    if (result.decision.kind === 'ignore' && result.decision.reason === 'duplicate') {
      this.deps.counters.duplicateMessages.inc();
      this.noteSkipped({
        reason: 'duplicate_message',
        messageId: message.message_id,
        lastMessageId: chat.lastMessageId,
      });
      return;
    }
    this.endSkipStreak();
    if (!replayed) this.watchForAnomalies(incoming, habits, nowMs);
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
      if (candidate !== null)
        this.memory.remember({
          kind: candidate.kind,
          text: candidate.text,
          fromId: from.id,
          ms: message.date * 1000,
          messageId: message.message_id,
        });
    }
    let judgement: number | undefined;
    const feedback = (): number => (judgement ??= replyFeedback(result.redactedText));
    if (incoming.replyTo?.fromId === this.deps.bot.id) this.judged(incoming.replyTo.messageId, feedback());
    // A replayed dead letter is too late to say anything about how a reply was received.
    if (!replayed && isConversation(result.decision))
      this.recordSignals(
        messageSignals(chat, {
          fromId: from.id,
          replyToId: incoming.replyTo?.messageId ?? null,
          quoted: message.quote !== undefined,
          feedback,
          nowMs,
        }),
        nowMs,
      );
    this.act(result.decision);
    if (result.deleteMessage && !replayed) this.deleteFlagged(message.message_id);
    const language = result.language ?? 'ru';
    if (incoming.newMembers !== undefined && incoming.newMembers.length > 0)
      this.notifyPlugins(
        { type: 'member_joined', messageId: message.message_id, userIds: incoming.newMembers.map((m) => m.id) },
        language,
        null,
      );
    if (isConversation(result.decision) && result.redactedText !== '')
      this.notifyPlugins(
        { type: 'message', messageId: message.message_id, fromId: from.id, text: result.redactedText },
        language,
        message.message_id,
      );
  }

  /** Joins and messages go through the raid and takeover detectors (a replayed dead letter is too late for them). */
  private watchForAnomalies(
    incoming: IncomingMessage,
    habits: { firstSeenMs: number; joinedMs: number; messagesBefore: number },
    nowMs: number,
  ): void {
    const joined = (incoming.newMembers ?? []).filter((m) => m.id !== this.deps.bot.id).map((m) => m.id);
    if (joined.length > 0) this.anomalies.joined(joined, nowMs);
    if (incoming.text !== '')
      this.anomalies.wrote(
        {
          userId: incoming.from.id,
          text: incoming.text,
          ...habits,
          watchedSinceMs: this.state.chat.chat.createdMs,
          allowedLinks: this.state.chat.settings.links.allow,
        },
        nowMs,
      );
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
    const emoji = (list: TelegramReaction['new_reaction']): string[] =>
      list.flatMap((r) => (r.type === 'emoji' && r.emoji !== undefined ? [r.emoji] : []));
    const before = emoji(reaction.old_reaction);
    const after = emoji(reaction.new_reaction);
    const value = reactionFeedback(before, after);
    this.judged(reaction.message_id, value);
    if (recentReply(this.state.chat, reaction.message_id) !== undefined)
      this.recordSignals([{ messageId: reaction.message_id, kind: 'reaction', value }], this.deps.clock.now());
    this.notifyPlugins(
      {
        type: 'reaction',
        messageId: reaction.message_id,
        userId: reaction.user?.id,
        added: after.filter((e) => !before.includes(e)),
        removed: before.filter((e) => !after.includes(e)),
      },
      'ru',
      null,
    );
  }

  /** A member judged one of the bot's messages: the memories it drew on and the style rules it followed learn from it. */
  private judged(botMessageId: number, delta: number): void {
    this.memory.feedback(botMessageId, delta);
    if (applyStyleFeedback(this.state.chat, botMessageId, delta, this.deps.clock.now())) this.turn.markDirty();
  }

  /** Hands members' signals on the bot's replies to the reply ledger (scores, readouts, fine-tune export). */
  private recordSignals(signals: readonly ReplySignalDraft[], atMs: number): void {
    const ledger = this.deps.replies;
    if (ledger === undefined) return;
    for (const signal of signals) ledger.signal({ chatId: this.chatId, ...signal, atMs });
  }

  /** A message a filter flagged in a chat whose `onViolation` is `delete` goes, if Telegram lets the bot. */
  private deleteFlagged(messageId: number): void {
    const moderation = this.deps.moderation;
    const chatId = this.chatId;
    this.turn.pipe(
      async () => {
        if (moderation === undefined) throw new Error('deleting messages is not available');
        await moderation.deleteMessage(chatId, messageId);
      },
      (outcome) => ({ type: 'FlaggedDeleted', messageId, outcome }),
    );
  }

  private act(decision: Decision): void {
    switch (decision.kind) {
      case 'reply':
        this.replies.on({ type: 'ReplyStarted', plan: decision.plan });
        return;
      case 'answer':
        this.sendAnswer(decision.text, decision.replyToMessageId);
        return;
      case 'plugin':
        this.runCommand(decision.call);
        return;
      case 'ignore':
      case 'coalesced':
        return;
    }
  }

  /** Runs a plugin's command after this turn; what it answers comes back as `PluginDone`. */
  private runCommand(call: CommandCall): void {
    const plugins = this.deps.plugins;
    if (plugins === undefined) return;
    const chatId = this.chatId;
    const access = this.access;
    const choices = this.state.chat.plugins;
    this.turn.pipe<PluginEffects>(
      (signal) => plugins.runCommand(chatId, call, choices, access, signal),
      (outcome) => ({ type: 'PluginDone', plugin: call.plugin, replyToMessageId: call.messageId, outcome }),
    );
  }

  /** Hands an event to the plugins listening to it (none: nothing is started). */
  private notifyPlugins(event: PluginEvent, language: Language, replyToMessageId: number | null): void {
    const plugins = this.deps.plugins;
    if (plugins === undefined || !plugins.listensTo(event.type)) return;
    const chatId = this.chatId;
    const access = this.access;
    const choices = this.state.chat.plugins;
    this.turn.pipe<PluginEffects>(
      (signal) => plugins.notify(chatId, event, language, choices, access, signal),
      (outcome) => ({ type: 'PluginDone', plugin: `listeners:${event.type}`, replyToMessageId, outcome }),
    );
  }

  /**
   * Applies what a plugin call asked for: a settings change (validated like
   * an admin's), plugin switches, and texts, each through the leak guard and
   * then the egress once this turn is durable.
   */
  onPluginDone(msg: PluginDone): void {
    if (!msg.outcome.ok) {
      // The host turns a plugin's failures into texts; this is the host itself failing.
      this.deps.logger?.warn({ err: msg.outcome.error, chatId: this.chatId, plugin: msg.plugin }, 'plugin call failed');
      return;
    }
    const effects = msg.outcome.value;
    const applied = applyPluginEffects(this.state.chat, effects);
    if (applied.settingsChangedFrom !== null) this.settingsChanged(applied.settingsChangedFrom);
    if (applied.settingsRefused !== null)
      this.deps.logger?.warn(
        { err: applied.settingsRefused, chatId: this.chatId, plugin: msg.plugin },
        'a plugin asked for invalid chat settings',
      );
    if (applied.choicesChanged || applied.styleReset) this.turn.markDirty();
    // Rated when asked (the reply was recent then); one forgotten since (erasure) is not recorded.
    for (const rating of effects.ratings ?? [])
      if (recentReply(this.state.chat, rating.messageId) !== undefined)
        this.recordSignals([{ messageId: rating.messageId, kind: 'rate', value: rating.value }], this.deps.clock.now());
    for (const text of effects.texts) this.sendPluginText(text, msg.replyToMessageId);
  }

  /** A plugin job's post: sent when the plugin is on in this chat. */
  onPluginPost(msg: PluginPost): void {
    const on = this.deps.plugins?.isOn(msg.plugin, this.state.chat.plugins) ?? false;
    if (on) this.sendPluginText(msg.text, null, msg.done);
    else msg.done.resolve(false);
  }

  private sendPluginText(text: string, replyToMessageId: number | null, done?: PluginPost['done']): void {
    const verdict = guardReply(text, {
      instructions: '',
      allowAiDisclosure: this.state.chat.settings.allowAiDisclosure,
    });
    countGuardVerdict(this.state.chat, verdict);
    if (verdict.action === 'block') {
      this.deps.counters.leakBlocks.inc();
      this.deps.logger?.warn({ chatId: this.chatId, reasons: verdict.reasons }, 'leak guard blocked a plugin text');
      done?.resolve(false);
      return;
    }
    this.sendAnswer(verdict.text, replyToMessageId, done);
  }

  private cachedAdmin(userId: number): boolean {
    return this.adminsKnown() && this.admins!.ids.has(userId);
  }

  /** Whether a member is a chat admin: Telegram's list, kept a while so a burst of commands asks once. */
  async isAdmin(userId: number): Promise<boolean> {
    if (!this.adminsKnown()) this.keepAdmins(await this.askAdmins());
    return this.admins!.ids.has(userId);
  }

  applySettings(settings: ChatSettings): void {
    const modeBefore = this.state.chat.settings.mode;
    this.state.chat.settings = settings;
    this.state.chat.revision++;
    this.settingsChanged(modeBefore);
  }

  private settingsChanged(modeBefore: string): void {
    this.cache.clear();
    this.turn.markDirty();
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
  private sendAnswer(text: string, replyToMessageId: number | null, done?: PluginPost['done']): void {
    const { durability, egress } = this.deps;
    const chatId = this.chatId;
    // Groups (negative ids) see the answer quote the message it answers.
    const replyTo = this.chatId < 0 && replyToMessageId !== null ? { replyToMessageId } : {};
    this.deps.counters.answers.inc();
    this.turn.pipe(
      async () => {
        await durability.afterFlush(chatId);
        return egress.sendReply(chatId, text, replyTo);
      },
      (outcome) => {
        if (outcome.ok) done?.resolve(true);
        else done?.reject(outcome.error);
        return { type: 'AnswerSent', outcome };
      },
    );
  }
}

/** How long Telegram's list of a chat's admins is trusted. */
const ADMIN_LIST_MS = 10 * 60_000;
/** How soon the list is asked for again after Telegram could not say. */
const ADMIN_RETRY_MS = 60_000;
/** How long held updates wait for the list before nobody is taken for an admin. */
const ADMIN_ASK_TIMEOUT_MS = 5_000;

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Telegram restarts update ids at random after a week without updates, so
 * "at or below the last one" alone could swallow a fresh update; a
 * redelivery is always close behind (within the unconfirmed window).
 */
const REDELIVERY_WINDOW = 100_000;

function isRedelivery(updateId: number, lastUpdateId: number): boolean {
  return updateId <= lastUpdateId && lastUpdateId - updateId < REDELIVERY_WINDOW;
}

/** Messages the pipeline let through (not spam, floods, duplicates or service messages) may be remembered. */
function worthRemembering(decision: Decision): boolean {
  if (decision.kind === 'ignore')
    return (
      decision.reason !== 'duplicate' &&
      decision.reason !== 'filtered' &&
      decision.reason !== 'service' &&
      decision.reason !== 'own-message'
    );
  return !(decision.kind === 'answer' && decision.cause === 'violation');
}

/** A member's message the chat talks with (not a command, warning or noise): what `message` listeners hear. */
function isConversation(decision: Decision): boolean {
  if (decision.kind === 'plugin') return false;
  if (decision.kind === 'answer') return decision.cause === 'rate-limit';
  return worthRemembering(decision);
}
