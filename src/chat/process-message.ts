import type { BotAddress } from './bot-address.js';
import type { Persona } from './persona.js';
import type { ChatEvent } from './chat-events.js';
import { appendHistory } from './chat-history.js';
import { recordChatMessage } from './chat-profile.js';
import { bump, type ChatState, type Language, type MemberProfile, type TriggerKind } from './chat-state.js';
import { chatLanguage } from './chat-language.js';
import { parseCommand } from './command-parser.js';
import type { DerivedCache, StateChange } from './derived-cache.js';
import { type InteractionKind, pruneEdges, recordInteraction } from './group-dynamics.js';
import { coalesceTrigger, expireReply, type ReplyPlan, startReply, wasAnswered } from './in-flight-reply.js';
import type { IncomingMessage } from './incoming-message.js';
import { analyseMessage, type MessageAnalysis } from './message-analysis.js';
import { runFilters, type Violation } from './message-filters.js';
import { ensureMember, recordMessage, usualLanguage } from './member-profiles.js';
import { phrasebookFor } from './phrasebook.js';
import { PII_PLACEHOLDER, redactPii } from './pii-detector.js';
import type { CommandCall, CommandTable } from './plugin-call.js';
import { msUntilToken, takeToken } from './rate-limiter.js';
import { addressTrigger, rollRandomReply } from './reply-policy.js';
import type { RuleBook } from './rule-book.js';
import type { Vocabulary } from './vocabulary.js';
import { slowedChat, slowedFor } from './anomaly/index.js';

/**
 * What the pipeline needs besides the state. Build the shared parts once in
 * the wiring; the actor adds its own cache.
 */
export interface PipelineContext {
  bot: BotAddress;
  /** Who the bot is in this chat: its language policy decides the reply's language. Default: Лёха's (`match`). */
  persona?: Persona | undefined;
  vocabulary: Vocabulary;
  rules: RuleBook;
  /** Random source in [0, 1) for unasked replies; inject a seeded one in tests. */
  random: () => number;
  /** The actor's cache of reports, used by /stats and /top. */
  cache?: DerivedCache | undefined;
  /** Which plugin runs which command; without it every command is unknown. */
  commands?: CommandTable | undefined;
}

/** Why the bot stays quiet about a message. */
export type IgnoreReason =
  'duplicate' | 'own-message' | 'service' | 'filtered' | 'not-addressed' | 'rate-limited' | 'already-answered' | 'busy';

/** What the actor does about one message. */
export type Decision =
  | { kind: 'ignore'; reason: IgnoreReason }
  /** Start an LLM reply: optionally recall memories for `plan.queryText`, then call `prepareReply`. */
  | { kind: 'reply'; plan: ReplyPlan }
  /** Send this text (no LLM) as a reply to the message. */
  | {
      kind: 'answer';
      text: string;
      replyToMessageId: number;
      cause: 'command' | 'rate-limit' | 'violation';
    }
  /** A reply is in flight; this trigger was folded into it (see `completeReply`). */
  | { kind: 'coalesced'; intoTriggerId: number }
  /** Run a plugin's command after the turn (a side effect); what it answers comes back as a message. */
  | { kind: 'plugin'; call: CommandCall };

export interface ProcessResult {
  decision: Decision;
  /** The chat asked to delete flagged messages and this one was flagged. */
  deleteMessage: boolean;
  /** What filters flagged (empty for clean messages). */
  violations: Violation[];
  /** The text with personal data replaced by placeholders: the only form to store, embed or log. */
  redactedText: string;
  events: ChatEvent[];
  /** What changed, for `DerivedCache.invalidate`. */
  change: StateChange;
  /** The language to answer the message in (absent for messages stopped before it is known). */
  language?: Language;
}

/** A member is warned by filters at most this often. */
const VIOLATION_WARN_INTERVAL_MS = 10 * 60_000;
/** Answering right after someone within this time counts as talking to them. */
const ADJACENT_MS = 60_000;

/**
 * The chat pipeline for one incoming message, run synchronously inside the
 * actor's turn. In order: dedupe; filters (flood, repeats, links, banned
 * words); PII redaction; trigger detection and the per-member rate limiter;
 * profile, group-dynamics and chat updates; history; and the reply decision
 * (commands and catch-ups are answered here; LLM replies are started, or
 * coalesced into the one in flight). Mutates `state`; never does I/O.
 */
export function processMessage(
  state: ChatState,
  msg: IncomingMessage,
  nowMs: number,
  ctx: PipelineContext,
): ProcessResult {
  const events: ChatEvent[] = [];

  if (msg.replayed !== true) {
    if (msg.messageId <= state.lastMessageId) {
      state.counters.duplicates++;
      events.push({ type: 'DuplicateIgnored', messageId: msg.messageId });
      return resultOf(events, { kind: 'ignore', reason: 'duplicate' });
    }
    state.lastMessageId = msg.messageId;
  }
  state.revision++;
  const abandoned = state.inFlight?.triggerId;
  if (expireReply(state, nowMs)) {
    state.counters.abandonedReplies++;
    events.push({ type: 'ReplyAbandoned', triggerId: abandoned! });
  }
  if (msg.from.id === ctx.bot.identity.userId) return resultOf(events, { kind: 'ignore', reason: 'own-message' });

  const touched: number[] = [msg.from.id];
  for (const joined of msg.newMembers ?? []) {
    const member = ensureMember(state, joined, nowMs);
    member.joinedMs = nowMs;
    touched.push(joined.id);
    events.push({ type: 'MemberJoined', userId: joined.id });
  }
  if (msg.text.length === 0)
    return resultOf(events, { kind: 'ignore', reason: 'service' }, { change: { userIds: touched } });

  const member = ensureMember(state, msg.from, nowMs);
  const previousSeenMs = member.messages > 0 ? member.lastSeenMs : 0;

  // Filters see the original text: banned words and links must be caught as written.
  const { violations, chatFlood } = runFilters(
    msg.text,
    member,
    state.chat,
    state.settings,
    msg.senderIsAdmin === true,
    nowMs,
    ctx.rules,
  );
  if (chatFlood) events.push({ type: 'ChatFloodDetected' });
  for (const v of violations) {
    bump(state.counters.violations, v.kind);
    member.violations++;
    events.push({ type: 'ViolationFound', kind: v.kind, userId: member.id });
  }
  const flagged = violations.length > 0;

  // Nothing after this point sees personal data.
  const redaction = redactPii(msg.text);
  if (redaction.matches.length > 0) {
    const kinds = [...new Set(redaction.matches.map((m) => m.kind))];
    for (const m of redaction.matches) bump(state.counters.pii, m.kind);
    events.push({ type: 'PiiRedacted', kinds });
  }
  const text = redaction.text;
  // The bot's @username is who is spoken to, not words of the chat: it is left out of the analysis (mentions are checked on the text).
  const analysis = analyseMessage(
    ctx.bot.withoutMention(redaction.matches.length > 0 ? text.replace(PII_PLACEHOLDER, ' ') : text),
    ctx.vocabulary,
  );

  const fromBot = msg.from.isBot;
  const command = flagged || fromBot ? null : parseCommand(text, ctx.bot.identity.username);
  // A command's own words ("/stats") say nothing about the member's language.
  if (command !== null) analysis.language = 'other';
  const trigger: TriggerKind | null =
    flagged || fromBot
      ? null
      : addressTrigger({
          privateChat: msg.chatKind === 'private',
          command,
          replyToBot: msg.replyTo?.fromId === ctx.bot.identity.userId,
          mentioned:
            ctx.bot.mentioned(text, text.includes('@')) ||
            (msg.mentionedUserIds?.includes(ctx.bot.identity.userId) ?? false),
          calledByName: ctx.bot.calledByName(analysis.scan.words),
        });

  // Flagged messages and commands count as activity, but their words are nobody's favourites.
  const countWords = !flagged && command === null;
  recordMessage(member, analysis, msg.text.length, nowMs, state.settings.utcOffsetMinutes, countWords);
  recordChatMessage(state.chat, analysis, member.id, nowMs, state.settings.utcOffsetMinutes, countWords);
  recordDynamics(state, msg, member, analysis, nowMs, ctx, touched, events);
  // Checking the graph's size every 64th message keeps it bounded and costs less than on every new pair.
  if ((state.chat.messages & 63) === 0) pruneEdges(state, nowMs);
  // Commands and their answers are bot business, not conversation: they stay out of the history.
  if (!flagged && command === null) {
    appendHistory(state, {
      id: msg.messageId,
      from: member.id,
      ms: nowMs,
      text,
      replyTo: msg.replyTo?.messageId ?? 0,
      bot: false,
    });
  }

  const language = answerLanguage(state, ctx.persona?.language, analysis.language, member, msg);
  const extra = { violations, redactedText: text, change: { userIds: touched }, language };

  if (flagged) {
    const action = state.settings.onViolation;
    const deleteMessage = action === 'delete';
    if (action !== 'ignore' && nowMs - member.warnedMs >= VIOLATION_WARN_INTERVAL_MS) {
      member.warnedMs = nowMs;
      const text = phrasebookFor(language).violation(violations[0]!.kind);
      return resultOf(
        events,
        { kind: 'answer', text, replyToMessageId: msg.messageId, cause: 'violation' },
        { ...extra, deleteMessage },
      );
    }
    return resultOf(events, { kind: 'ignore', reason: 'filtered' }, { ...extra, deleteMessage });
  }

  if (trigger === null) {
    // Under an anomaly's slow-down the bot does not join in unasked.
    if (fromBot || msg.chatKind === 'private' || state.inFlight !== null || slowedChat(state.anomaly, nowMs))
      return resultOf(events, { kind: 'ignore', reason: 'not-addressed' }, extra);
    if (!rollRandomReply(state, analysis, nowMs, ctx.random, chatFlood))
      return resultOf(events, { kind: 'ignore', reason: 'not-addressed' }, extra);
    state.chat.lastRandomReplyMs = nowMs;
    const plan: ReplyPlan = {
      triggerId: msg.messageId,
      fromId: member.id,
      trigger: 'random',
      language,
      queryText: text,
    };
    startReply(state, plan, nowMs);
    state.counters.replies++;
    return resultOf(events, { kind: 'reply', plan }, extra);
  }

  if (wasAnswered(state, msg.messageId)) return resultOf(events, { kind: 'ignore', reason: 'already-answered' }, extra);
  // A raid's newcomers calling the bot get no answers while the chat is slowed down (no model budget spent on them).
  if (slowedFor(state.anomaly, member, state.chat.createdMs, nowMs)) {
    state.counters.rateLimited++;
    events.push({ type: 'RateLimited', userId: member.id, warned: false });
    return resultOf(events, { kind: 'ignore', reason: 'rate-limited' }, extra);
  }
  const verdict = takeToken(member.bucket, state.settings.rateLimit, nowMs);
  if (verdict !== 'allowed') {
    state.counters.rateLimited++;
    events.push({ type: 'RateLimited', userId: member.id, warned: verdict === 'warn' });
    if (verdict === 'silent') return resultOf(events, { kind: 'ignore', reason: 'rate-limited' }, extra);
    const seconds = Math.max(1, Math.ceil(msUntilToken(member.bucket, state.settings.rateLimit, nowMs) / 1000));
    return resultOf(
      events,
      {
        kind: 'answer',
        text: phrasebookFor(language).rateLimited(seconds),
        replyToMessageId: msg.messageId,
        cause: 'rate-limit',
      },
      extra,
    );
  }

  // "Лёха, что тут было?", "Лёха, напомни через 10 минут…": a plugin command asked for in words.
  const phrased = command === null ? (ctx.commands?.matchPhrase(text, state.plugins) ?? null) : null;
  if (command !== null || phrased !== null) {
    const name = command?.name ?? phrased!.command;
    const route = phrased ?? ctx.commands?.route(name, state.plugins) ?? null;
    const say = phrasebookFor(language);
    if (route === null || !route.enabled) {
      const text =
        route === null
          ? say.unknownCommand(name)
          : route.unavailable === true
            ? say.commandUnavailable(name)
            : say.commandOff(name);
      return resultOf(events, { kind: 'answer', text, replyToMessageId: msg.messageId, cause: 'command' }, extra);
    }
    const call: CommandCall = {
      plugin: route.plugin,
      command: route.command,
      args: command?.args ?? (phrased === null ? '' : text),
      messageId: msg.messageId,
      from: msg.from,
      replyTo: msg.replyTo,
      chatKind: msg.chatKind,
      language,
      previousSeenMs,
      senderIsAdmin: msg.senderIsAdmin,
      ...(phrased === null ? {} : { via: 'phrase' as const }),
    };
    return resultOf(events, { kind: 'plugin', call }, extra);
  }

  if (state.inFlight !== null) {
    coalesceTrigger(state.inFlight, { id: msg.messageId, fromId: member.id, trigger, language });
    state.counters.coalesced++;
    events.push({ type: 'ReplyCoalesced', triggerId: msg.messageId, intoTriggerId: state.inFlight.triggerId });
    return resultOf(events, { kind: 'coalesced', intoTriggerId: state.inFlight.triggerId }, extra);
  }
  const plan: ReplyPlan = { triggerId: msg.messageId, fromId: member.id, trigger, language, queryText: text };
  startReply(state, plan, nowMs);
  state.counters.replies++;
  return resultOf(events, { kind: 'reply', plan }, extra);
}

/**
 * A result with defaults for what `extra` leaves out. Built field by field
 * rather than by spreading `extra` over a default object: no default array
 * or change is allocated only to be replaced, on every message.
 */
function resultOf(events: ChatEvent[], decision: Decision, extra?: Partial<ProcessResult>): ProcessResult {
  const result: ProcessResult = {
    decision,
    deleteMessage: extra?.deleteMessage ?? false,
    violations: extra?.violations ?? [],
    redactedText: extra?.redactedText ?? '',
    events,
    change: extra?.change ?? { userIds: [] },
  };
  if (extra?.language !== undefined) result.language = extra.language;
  return result;
}

/**
 * Who this message talks to — the author of the message it replies to,
 * members it @mentions, or else the previous speaker if that was a moment
 * ago — recorded in the group-dynamics graph with the message's tone.
 */
function recordDynamics(
  state: ChatState,
  msg: IncomingMessage,
  member: MemberProfile,
  analysis: MessageAnalysis,
  nowMs: number,
  ctx: PipelineContext,
  touched: number[],
  events: ChatEvent[],
): void {
  const botId = ctx.bot.identity.userId;
  const replyTo = msg.replyTo?.fromId;
  // Targets are recorded as they are found (the reply, then mentions, else the previous speaker): nothing
  // recording an interaction changes who the next target is, and most messages have one target or none.
  const replied = replyTo !== undefined && replyTo !== botId && replyTo !== member.id;
  if (replied) recordTarget(state, msg, member, analysis, replyTo, 'reply', nowMs, touched, events);
  let mentioned = false;
  if (msg.mentionedUserIds !== undefined || analysis.scan.hasAt) {
    const seen: number[] = replied ? [replyTo] : [];
    for (const id of mentionedMembers(state, msg, analysis, botId)) {
      if (id === member.id || seen.includes(id)) continue;
      seen.push(id);
      mentioned = true;
      recordTarget(state, msg, member, analysis, id, 'mention', nowMs, touched, events);
    }
  }
  if (!mentioned && replyTo === undefined) {
    const previous = state.history[state.history.length - 1];
    if (previous !== undefined && !previous.bot && previous.from !== member.id && nowMs - previous.ms <= ADJACENT_MS)
      recordTarget(state, msg, member, analysis, previous.from, 'adjacent', nowMs, touched, events);
  }
}

function recordTarget(
  state: ChatState,
  msg: IncomingMessage,
  member: MemberProfile,
  analysis: MessageAnalysis,
  target: number,
  kind: InteractionKind,
  nowMs: number,
  touched: number[],
  events: ChatEvent[],
): void {
  const tone = analysis.tone;
  recordInteraction(state, member.id, target, kind, tone, msg.messageId, nowMs);
  touched.push(target);
  if (tone.insult && kind !== 'adjacent') {
    member.insultsSent++;
    const victim = state.members[String(target)];
    if (victim !== undefined) victim.insultsReceived++;
    events.push({ type: 'InsultDetected', from: member.id, to: target, messageId: msg.messageId });
  }
}

/** Members named by @username in the text or by text_mention entities. */
function mentionedMembers(state: ChatState, msg: IncomingMessage, analysis: MessageAnalysis, botId: number): number[] {
  const ids = (msg.mentionedUserIds ?? []).filter((id) => id !== botId && state.members[String(id)] !== undefined);
  if (!analysis.scan.hasAt) return ids;
  for (const m of msg.text.matchAll(/@([A-Za-z0-9_]{3,32})/g)) {
    const handle = m[1]!.toLowerCase();
    for (const profile of Object.values(state.members)) {
      if (profile.username !== '' && profile.username.toLowerCase() === handle && profile.id !== botId)
        ids.push(profile.id);
    }
  }
  return ids;
}

/**
 * The language to answer a message in: the chat's setting; else the
 * persona's, when it has a fixed one; else the message's; for commands and
 * emoji-only messages, the member's usual one, their Telegram client's, or
 * the chat's.
 */
function answerLanguage(
  state: ChatState,
  persona: Persona['language'] | undefined,
  detected: Language,
  member: MemberProfile,
  msg: IncomingMessage,
): Language {
  if (state.settings.language !== 'auto') return state.settings.language;
  if (persona !== undefined && persona !== 'match') return persona;
  if (detected !== 'other') return detected;
  const usual = usualLanguage(member);
  if (usual === 'ru' || usual === 'uk' || usual === 'en') return usual;
  const code = msg.from.languageCode?.slice(0, 2).toLowerCase();
  return code === 'en' || code === 'uk' || code === 'ru' ? code : chatLanguage(state);
}
