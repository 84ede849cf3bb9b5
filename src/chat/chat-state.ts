import { type AnomalyState, createAnomalyState } from './anomaly/index.js';
import type { PluginChoices } from './plugin-call.js';
import { type ChatSettings, DEFAULT_CHAT_SETTINGS } from './chat-settings.js';
import { emptyTable } from './key-count.js';
import type { StyledReply, StyleWeight } from './style-feedback.js';

/**
 * Version of the persisted {@link ChatState} shape. Bump it with every change
 * to the shape and teach `restoreChatState` to read (or refuse) older ones.
 */
export const CHAT_STATE_VERSION = 4;

/**
 * Caps that keep one chat's state bounded whatever the traffic: the steady
 * state stays within a few kilobytes per active member (see bench/chat.ts).
 */
export const CHAT_STATE_LIMITS = {
  /** Recent messages kept for prompts and /summary. */
  historyEntries: 150,
  /** Characters of one message kept in the history (the rest is cut). */
  historyTextChars: 280,
  /** Favourite words kept per member after pruning. */
  memberWords: 32,
  /** How far a member's word table may grow before it is pruned back. */
  memberWordsSlack: 32,
  /** Chat-wide words (slang, top words) kept after pruning. */
  chatWords: 80,
  chatWordsSlack: 80,
  /** Chat-wide two-word expressions kept after pruning. */
  chatPhrases: 40,
  chatPhrasesSlack: 40,
  /** Directed edges of the group-dynamics graph (the strongest are kept: about ten per active member). */
  edges: 250,
  /** Member profiles; the least recently seen is dropped beyond this. */
  members: 3000,
  /** Hourly buckets of the mood trend. */
  moodHours: 48,
  /** Ids of answered triggers remembered for dedupe. */
  answered: 64,
  /** Evidence message ids kept per edge and tone. */
  evidence: 3,
  /** Recent message fingerprints for cross-user copy-paste spam. */
  recentFingerprints: 16,
  /** Pairs with a recent hostile exchange, newest last: where running conflicts are looked for. */
  hostilePairs: 8,
  /** Triggers that may wait behind one reply in flight. */
  coalesced: 16,
} as const;

export type ChatKind = 'private' | 'group' | 'supergroup';

/** Languages the pipeline tells apart; anything else is `other`. */
export type Language = 'ru' | 'uk' | 'en' | 'other';

/**
 * Why the bot decided to answer a message. `summary-request` is no longer
 * produced (a catch-up asked in words is the summary plugin's phrase) but may
 * be in stored states.
 */
export type TriggerKind = 'private' | 'name' | 'mention' | 'reply-to-bot' | 'command' | 'summary-request' | 'random';

/** Token bucket of one member's bot interactions (see `rate-limiter.ts`). */
export interface TokenBucket {
  tokens: number;
  updatedMs: number;
  /** The member has been told once that they are over the limit. */
  warned: boolean;
}

/** A fixed window message counter for flood detection. */
export interface WindowCounter {
  startMs: number;
  count: number;
}

/** A member's word as snapshots keep it: `[count, surface form]`, the stem is the key. */
export type StoredWordStat = [count: number, surface: string];

/**
 * `[count, first surface form, distinct speakers (approximate), last speaker id]`. The
 * speaker count goes up whenever the speaker differs from the previous one,
 * which is cheap and tells chat-wide slang from one member's habit.
 */
export type SlangStat = [count: number, surface: string, speakers: number, lastSpeakerId: number];

/** `[hour index since the epoch, sum of sentiment, messages]`. */
export type MoodBucket = [hourIndex: number, sentimentSum: number, messages: number];

/** `[text fingerprint, user id, time]` of a recent message. */
export type Fingerprint = [hash: number, userId: number, ms: number];

/** `[lower user id, higher user id, time]` of the latest hostile exchange of a pair. */
export type HostilePair = [a: number, b: number, ms: number];

/** A member's profile as snapshots and data exports keep it: each word's count and form together. */
export type StoredMemberProfile = Omit<MemberProfile, 'words' | 'forms'> & { words: Record<string, StoredWordStat> };

/** Everything the bot learns about one member of one chat, keyed by Telegram user id. */
export interface MemberProfile {
  id: number;
  /** Latest display name: for rendering only, never for identity (anyone can change it). */
  name: string;
  /** Latest @username without the @, or '' when none. */
  username: string;
  isBot: boolean;
  firstSeenMs: number;
  lastSeenMs: number;
  /** When Telegram reported the member joining; 0 if never seen joining. */
  joinedMs: number;
  messages: number;
  /** Characters written, for the average message length. */
  chars: number;
  /** Messages by local hour of day (24) and day of week (7, Monday first). */
  hours: number[];
  days: number[];
  languages: Record<string, number>;
  topics: Record<string, number>;
  /**
   * Uses of each content word, keyed by its stem: a number per stem, not a
   * record, since the table is looked up for every word of every message
   * and a chat holds one per member (see docs/benchmarks.md, chat
   * pipeline). Snapshots keep both tables as one, `stem → [count, form]`
   * (see `storedChatState`).
   */
  words: Record<string, number>;
  /** The surface form each stem of `words` was first written in, where it differs from the stem. */
  forms: Record<string, string>;
  positive: number;
  negative: number;
  neutral: number;
  /** Exponential moving average of message sentiment, -1..1. */
  mood: number;
  /** Exponential moving average of message toxicity, 0..1. */
  toxicity: number;
  toxicMessages: number;
  insultsSent: number;
  insultsReceived: number;
  /** Messages with formal ("вы", "пожалуйста", "please") and informal markers. */
  formal: number;
  informal: number;
  questions: number;
  bucket: TokenBucket;
  flood: WindowCounter;
  repeatHash: number;
  repeatCount: number;
  repeatMs: number;
  violations: number;
  /** When the member was last warned by a filter, so warnings are not repeated every message. */
  warnedMs: number;
}

/** Chat-wide profile: activity, mood, slang and filter state. */
export interface ChatProfile {
  kind: ChatKind;
  createdMs: number;
  messages: number;
  hours: number[];
  days: number[];
  mood: number;
  moodTrend: MoodBucket[];
  flood: WindowCounter;
  words: Record<string, SlangStat>;
  phrases: Record<string, SlangStat>;
  fingerprints: Fingerprint[];
  hostilePairs: HostilePair[];
  lastRandomReplyMs: number;
}

/**
 * One directed edge `from → to` of the group-dynamics graph: how much `from`
 * interacts with `to` (replies, mentions, answering right after) and with what
 * tone. Weights decay with a half-life, so old quarrels fade.
 *
 * Live, an edge is one array of numbers, which V8 keeps unboxed (an object
 * boxed each of its five fractional figures, and its two evidence lists were
 * arrays of their own): the figures at the {@link EDGE} indexes, then the
 * friendly interactions' message ids, then the hostile ones'. A chat of the
 * chat bench holds about 300. Snapshots keep {@link StoredDynamicsEdge}.
 */
export type DynamicsEdge = number[];

/** Where an edge's figures sit in a {@link DynamicsEdge}; its evidence ids follow from `evidence` on. */
export const EDGE = {
  weight: 0,
  positive: 1,
  negative: 2,
  insults: 3,
  lastMs: 4,
  lastNegativeMs: 5,
  /** How many of the evidence ids are friendly ones (they come first). */
  positiveCount: 6,
  evidence: 7,
} as const;

/** A dynamics edge as snapshots keep it. */
export interface StoredDynamicsEdge {
  weight: number;
  positive: number;
  negative: number;
  insults: number;
  lastMs: number;
  lastNegativeMs: number;
  /** Message ids of the latest friendly and hostile interactions. */
  positiveEvidence: readonly number[];
  negativeEvidence: readonly number[];
}

/** One message of the recent history; speakers are user ids, never names. */
export interface HistoryEntry {
  id: number;
  from: number;
  ms: number;
  /** PII-redacted, possibly shortened text. */
  text: string;
  /** Id of the message this one answers, 0 when none. */
  replyTo: number;
  /** Written by the bot itself. */
  bot: boolean;
}

/** A trigger that arrived while a reply was in flight. */
export interface CoalescedTrigger {
  id: number;
  fromId: number;
  trigger: TriggerKind;
  language: Language;
}

/**
 * Where the reply in flight is. `thinking`: memories and the model are being
 * asked (safe to ask again after a crash). `sending`: recorded durably
 * before the send starts; after a crash nobody knows whether Telegram got
 * it, so it is not sent again (a duplicate would be worse than a missing
 * reply) and is counted as in doubt.
 */
export type ReplyPhase = 'thinking' | 'sending';

/** The one reply a chat may have in flight: the only record of it, for the pipeline and the actor alike. */
export interface InFlightReply {
  triggerId: number;
  fromId: number;
  trigger: TriggerKind;
  language: Language;
  startedMs: number;
  phase: ReplyPhase;
  /** The reviewed (leak-guarded) text once the reply is `sending`; null before. */
  text: string | null;
  /** Last history message the prompt saw; 0 until the prompt is built. */
  contextUpToId: number;
  coalesced: CoalescedTrigger[];
}

/** Counters kept with the state (filters, PII, guard blocks), for reports. */
export interface ChatCounters {
  violations: Record<string, number>;
  pii: Record<string, number>;
  leakBlocks: Record<string, number>;
  rateLimited: number;
  coalesced: number;
  duplicates: number;
  replies: number;
  abandonedReplies: number;
}

/**
 * The whole persisted state of one chat, as plain msgpack-friendly data
 * (objects, arrays, numbers, strings, booleans, null — no Map, Set or class
 * instances), so a snapshot is `codec.encode(state)` and nothing else.
 */
export interface ChatState {
  version: number;
  chatId: number;
  /** Goes up with every change; lets readers tell a stale derived value. */
  revision: number;
  /**
   * Highest Telegram message id processed. Telegram numbers messages of one
   * chat in increasing order, so a redelivered update is recognised here and
   * never counted or answered twice.
   */
  lastMessageId: number;
  settings: ChatSettings;
  chat: ChatProfile;
  /** Keyed by the Telegram user id as a string. */
  members: Record<string, MemberProfile>;
  /** Keyed `"<from>><to>"` by user ids. */
  edges: Record<string, DynamicsEdge>;
  history: HistoryEntry[];
  inFlight: InFlightReply | null;
  /** Ids of the latest answered triggers (bounded). */
  answered: number[];
  counters: ChatCounters;
  /** Baselines and recent observations of the raid and takeover detectors (bounded). */
  anomaly: AnomalyState;
  /**
   * Style rule keys (`length:short`, `humour:playful`) lowered by the
   * members' feedback, with when; absent keys weigh 1 (see `style-feedback.ts`).
   */
  styleWeights: Record<string, StyleWeight>;
  /** The rule keys of the latest bot replies, oldest first (bounded), so feedback on a reply finds them. */
  styledReplies: StyledReply[];
  /** The chat's own choices about plugins (switch, setting overrides); absent until it makes one. */
  plugins?: PluginChoices | undefined;
  /** Each plugin's own data in this chat (a quiz's scores, a feed list), by plugin name; JSON values only. */
  pluginData?: Record<string, unknown> | undefined;
  /** The bot's latest replies (bounded), for the signals members give on them; absent until the first. */
  replies?: RecentReply[] | undefined;
}

/** One of the bot's recent replies, as the chat needs it to tell members' signals on it. */
export interface RecentReply {
  /** The bot's message id. */
  id: number;
  /** The member message it answered, and who wrote it. */
  triggerId: number;
  authorId: number;
  sentMs: number;
  /** How long after `sentMs` the author going on talking counts (`continued`): the experiment's score window. */
  windowMs: number;
  /** The author's follow-up (thanks, "бред") was recorded; one per reply. */
  followedUp: boolean;
  /** The author went on talking within the window; recorded once per reply. */
  continued: boolean;
}

/** A fresh state for a chat the bot has not seen before. */
export function createChatState(
  chatId: number,
  kind: ChatKind,
  nowMs: number,
  settings: ChatSettings = DEFAULT_CHAT_SETTINGS,
): ChatState {
  return {
    version: CHAT_STATE_VERSION,
    chatId,
    revision: 0,
    lastMessageId: 0,
    settings: structuredClone(settings),
    chat: {
      kind,
      createdMs: nowMs,
      messages: 0,
      hours: new Array<number>(24).fill(0),
      days: new Array<number>(7).fill(0),
      mood: 0,
      moodTrend: [],
      flood: { startMs: 0, count: 0 },
      words: emptyTable(),
      phrases: emptyTable(),
      fingerprints: [],
      hostilePairs: [],
      lastRandomReplyMs: 0,
    },
    members: emptyTable(),
    edges: emptyTable(),
    history: [],
    inFlight: null,
    answered: [],
    counters: {
      violations: {},
      pii: {},
      leakBlocks: {},
      rateLimited: 0,
      coalesced: 0,
      duplicates: 0,
      replies: 0,
      abandonedReplies: 0,
    },
    anomaly: createAnomalyState(),
    styleWeights: {},
    styledReplies: [],
  };
}

/** Adds `by` to a counter in a plain record. */
export function bump(record: Record<string, number>, key: string, by = 1): void {
  record[key] = (record[key] ?? 0) + by;
}
