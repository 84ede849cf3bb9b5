import { z } from 'zod';
import {
  type ChatKind,
  type ChatState as DomainChatState,
  createAnomalyState,
  createChatState,
  DEFAULT_CHAT_SETTINGS,
  restoreChatState,
  storedChatState,
} from '../chat/index.js';

/**
 * Everything a chat actor persists: its own delivery bookkeeping plus the
 * chat-intelligence state (`chat`: profiles, dynamics, history, settings,
 * and the reply in flight with its phase). Plain data, msgpack-friendly.
 */
export interface ChatState {
  version: 5;
  /**
   * The newest update this chat has processed. Telegram ids only grow, and
   * one chat's updates are processed in order, so an update at or below it is
   * a redelivery (after a crash, before its offset was confirmed).
   */
  lastUpdateId: number;
  /** Messages recorded into this chat's state, each exactly once. */
  processedMessages: number;
  repliesSent: number;
  /** Replies given up after a crash because they may or may not have been sent. */
  repliesInDoubt: number;
  /** The chat's title as last seen, for archive rows written without a message (a mode change). */
  title: string | null;
  chat: DomainChatState;
}

/** The schema version of {@link ChatState} snapshots written by this build. */
export const CHAT_STATE_VERSION = 5;

/** A chat's kind guessed from its id until its first message says: users have positive ids, groups negative. */
export function kindOfChatId(chatId: number): ChatKind {
  return chatId > 0 ? 'private' : 'group';
}

export function emptyChatState(chatId: number, nowMs: number): ChatState {
  return {
    version: 5,
    lastUpdateId: -1,
    processedMessages: 0,
    repliesSent: 0,
    repliesInDoubt: 0,
    title: null,
    chat: createChatState(chatId, kindOfChatId(chatId), nowMs),
  };
}

/**
 * Whether the chat has a reply in flight. Its actor goes on with it when it
 * starts (`Restarted`), so a process that stopped or crashed meanwhile
 * starts such chats at once instead of waiting for their next message.
 */
export function hasReplyInFlight(state: ChatState): boolean {
  return state.chat.inFlight !== null;
}

/** The state as snapshots keep it (see `storedChatState`): what a `SnapshotFormat` of chat states encodes. */
export function storedState(state: ChatState): unknown {
  return { ...state, chat: storedChatState(state.chat) };
}

const chatStateSchema = z.object({
  version: z.literal(5),
  lastUpdateId: z.number(),
  processedMessages: z.number(),
  repliesSent: z.number(),
  repliesInDoubt: z.number(),
  title: z.string().nullable(),
  // The domain validates its own part (and knows its own versions).
  chat: z.unknown().transform((value) => restoreChatState(value)),
});

/**
 * Checks a decoded snapshot against the state's shape. A snapshot that fails
 * is corrupt: the storage layer reports it and the chat is quarantined, never
 * reset.
 */
export function parseChatState(value: unknown): ChatState {
  return chatStateSchema.parse(value);
}

const v1Schema = z.object({
  version: z.literal(1),
  lastUpdateId: z.number(),
  history: z.array(
    z.object({ messageId: z.number(), userId: z.number(), text: z.string(), date: z.number(), fromBot: z.boolean() }),
  ),
  pending: z.object({ messageId: z.number(), userId: z.number(), phase: z.enum(['thinking', 'sending']) }).nullable(),
  processedMessages: z.number(),
  repliesSent: z.number(),
  repliesInDoubt: z.number(),
});

/**
 * Turns a version-1 snapshot (bookkeeping and a short history, no chat
 * intelligence) into version 2. The chat id is not in a v1 snapshot: the
 * actor sets it when it starts. The history carries over; profiles start
 * empty. A reply that was `sending` stays so (it is counted in doubt, never
 * resent); one still `thinking` is dropped, as the v1 state does not say
 * how it was triggered.
 */
export function upgradeChatStateV1(value: unknown): unknown {
  const v1 = v1Schema.parse(value);
  const first = v1.history[0];
  // The chat part as version 2 wrote it: domain version 1, whose reply in flight had no phase.
  const chat = {
    ...createChatState(0, 'group', (first?.date ?? 0) * 1000),
    version: 1,
    inFlight: null as object | null,
  };
  chat.history = v1.history.map((h) => ({
    id: h.messageId,
    from: h.userId,
    ms: h.date * 1000,
    text: h.text,
    replyTo: 0,
    bot: h.fromBot,
  }));
  chat.lastMessageId = v1.history.reduce((max, h) => (h.fromBot ? max : Math.max(max, h.messageId)), 0);
  let pending = null;
  if (v1.pending?.phase === 'sending') {
    pending = { triggerId: v1.pending.messageId, phase: 'sending' as const, text: null };
    // The reply in flight as the pipeline knows it, so finishing it marks its trigger answered.
    chat.inFlight = {
      triggerId: v1.pending.messageId,
      fromId: v1.pending.userId,
      trigger: 'mention',
      language: 'other',
      startedMs: chat.chat.createdMs,
      contextUpToId: 0,
      coalesced: [],
    };
  }
  return {
    version: 2,
    lastUpdateId: v1.lastUpdateId,
    pending,
    processedMessages: v1.processedMessages,
    repliesSent: v1.repliesSent,
    repliesInDoubt: v1.repliesInDoubt,
    title: null,
    chat,
  };
}

const phase = z.enum(['thinking', 'sending']);
const v2Schema = z.looseObject({
  version: z.literal(2),
  pending: z.object({ triggerId: z.number(), phase, text: z.string().nullable() }).nullable(),
  chat: z.looseObject({
    version: z.literal(1),
    chat: z.looseObject({ createdMs: z.number() }),
    inFlight: z.looseObject({ triggerId: z.number() }).nullable(),
  }),
});

/**
 * Turns a version-2 snapshot into version 3. Version 2 kept the reply in
 * flight twice: the pipeline's `chat.inFlight` and the actor's `pending`
 * (its phase and reviewed text). Version 3 keeps only `chat.inFlight`, which
 * takes the phase and text over. A `sending` reply whose `inFlight` was
 * already given up comes back as a bare `sending` reply, so a restart still
 * counts it in doubt and never sends it.
 */
export function upgradeChatStateV2(value: unknown): unknown {
  const { pending, chat, ...rest } = v2Schema.parse(value);
  const thinking: { phase: 'thinking' | 'sending'; text: string | null } = { phase: 'thinking', text: null };
  let inFlight = chat.inFlight === null ? null : { ...chat.inFlight, ...thinking };
  if (pending !== null && inFlight !== null && inFlight.triggerId === pending.triggerId) {
    inFlight = { ...inFlight, phase: pending.phase, text: pending.text };
  } else if (pending?.phase === 'sending' && inFlight === null) {
    const bare = {
      fromId: 0,
      trigger: 'mention',
      language: 'other',
      startedMs: chat.chat.createdMs,
      contextUpToId: 0,
      coalesced: [],
    };
    inFlight = { triggerId: pending.triggerId, ...bare, phase: 'sending', text: pending.text };
  }
  return { ...rest, version: 3, chat: { ...chat, version: 2, inFlight } };
}

const v3Schema = z.looseObject({
  version: z.literal(3),
  chat: z.looseObject({ version: z.literal(2), settings: z.looseObject({}) }),
});

/**
 * Turns a version-3 snapshot into version 4, which adds the anomaly
 * detectors' state (baselines start empty, so a chat re-learns its join rate
 * and its members' habits) and their setting (alert only, the default).
 */
export function upgradeChatStateV3(value: unknown): unknown {
  const { chat, ...rest } = v3Schema.parse(value);
  const settings = { ...chat.settings, anomaly: { ...DEFAULT_CHAT_SETTINGS.anomaly } };
  return { ...rest, version: 4, chat: { ...chat, version: 3, settings, anomaly: createAnomalyState() } };
}

const v4Schema = z.looseObject({
  version: z.literal(4),
  chat: z.looseObject({ version: z.literal(3) }),
});

/**
 * Turns a version-4 snapshot into version 5, which adds what the chat
 * learned from feedback on its replies' style: no weights (every rule
 * weighs 1) and no replies remembered yet.
 */
export function upgradeChatStateV4(value: unknown): unknown {
  const { chat, ...rest } = v4Schema.parse(value);
  return { ...rest, version: 5, chat: { ...chat, version: 4, styleWeights: {}, styledReplies: [] } };
}

/** `SnapshotFormat` upgrades of chat snapshots written by older builds. */
export const CHAT_STATE_UPGRADES = {
  1: upgradeChatStateV1,
  2: upgradeChatStateV2,
  3: upgradeChatStateV3,
  4: upgradeChatStateV4,
} as const;

/**
 * How chat states are stored (a `SnapshotFormat`'s options): this build's
 * version, the upgrades of older snapshots, the check of what is read and
 * the stored shape of what is written.
 */
export const CHAT_SNAPSHOTS = {
  version: CHAT_STATE_VERSION,
  upgrades: CHAT_STATE_UPGRADES,
  parse: parseChatState,
  stored: storedState,
} as const;
