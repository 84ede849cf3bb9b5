import { z } from 'zod';
import { LekhaError } from '../runtime/index.js';
import { ANOMALY_KINDS, ANOMALY_LIMITS } from './anomaly/index.js';
import { chatSettingsSchema } from './chat-settings.js';
import { RECENT_REPLIES } from './experiments/reply-signals.js';
import {
  CHAT_STATE_VERSION,
  type ChatState,
  type DynamicsEdge,
  EDGE,
  type StoredDynamicsEdge,
  type MemberProfile,
  type StoredMemberProfile,
  type StoredWordStat,
} from './chat-state.js';
import { packEdge, storedEdge } from './group-dynamics.js';
import { emptyTable, setKeyCount, tableOf } from './key-count.js';
import { redactName, redactUsername } from './redact-name.js';
import { STYLE_FEEDBACK } from './style-feedback.js';

/** A persisted chat state could not be read: corrupt, or of a shape this version does not know. */
export class ChatStateInvalidError extends LekhaError {
  declare readonly code: 'CHAT_STATE_INVALID' | 'CHAT_STATE_VERSION_UNKNOWN';

  constructor(message: string, code: ChatStateInvalidError['code'] = 'CHAT_STATE_INVALID') {
    super(code, message, { retryable: false });
  }
}

const num = z.number();
const counts = z.record(z.string(), num);
const language = z.enum(['ru', 'uk', 'en', 'other']);
const trigger = z.enum(['private', 'name', 'mention', 'reply-to-bot', 'command', 'summary-request', 'random']);
const fixed = (length: number) => z.array(num).length(length);

const memberSchema = z.object({
  id: num,
  name: z.string(),
  username: z.string(),
  isBot: z.boolean(),
  firstSeenMs: num,
  lastSeenMs: num,
  joinedMs: num,
  messages: num,
  chars: num,
  hours: fixed(24),
  days: fixed(7),
  languages: counts,
  topics: counts,
  // Snapshots keep `[count, form]` per stem (see storedChatState); a live state's split tables are read too.
  words: z.record(z.string(), z.union([num, z.tuple([num, z.string()])])),
  forms: z.record(z.string(), z.string()).optional(),
  positive: num,
  negative: num,
  neutral: num,
  mood: num,
  toxicity: num,
  toxicMessages: num,
  insultsSent: num,
  insultsReceived: num,
  formal: num,
  informal: num,
  questions: num,
  bucket: z.object({ tokens: num, updatedMs: num, warned: z.boolean() }),
  flood: z.object({ startMs: num, count: num }),
  repeatHash: num,
  repeatCount: num,
  repeatMs: num,
  violations: num,
  warnedMs: num,
});

const anomalySchema = z.object({
  joins: z.tuple([num, num, num, num]),
  joinWindow: z.array(num).max(ANOMALY_LIMITS.joinWindowMinutes),
  newcomers: z.array(z.tuple([num, num])).max(ANOMALY_LIMITS.newcomers),
  linkPosters: z.array(z.tuple([num, num])).max(ANOMALY_LIMITS.linkPosters),
  texts: z.array(z.tuple([num, num, num])).max(ANOMALY_LIMITS.texts),
  members: z.record(z.string(), z.tuple([num, num, num, num, num, num, num, num, num, num])),
  lastAlertMs: fixed(ANOMALY_KINDS.length),
  raidUntilMs: num,
  slowUntilMs: num,
});

const slangStat = z.tuple([num, z.string(), num, num]);

const chatStateSchema = z.object({
  version: z.literal(CHAT_STATE_VERSION),
  chatId: num,
  revision: num,
  lastMessageId: num,
  settings: chatSettingsSchema,
  chat: z.object({
    kind: z.enum(['private', 'group', 'supergroup']),
    createdMs: num,
    messages: num,
    hours: fixed(24),
    days: fixed(7),
    mood: num,
    moodTrend: z.array(z.tuple([num, num, num])),
    flood: z.object({ startMs: num, count: num }),
    words: z.record(z.string(), slangStat),
    phrases: z.record(z.string(), slangStat),
    fingerprints: z.array(z.tuple([num, num, num])),
    hostilePairs: z.array(z.tuple([num, num, num])),
    lastRandomReplyMs: num,
  }),
  members: z.record(z.string(), memberSchema),
  // Snapshots keep edges as objects (see storedChatState); a live state's packed edges are read too.
  edges: z.record(
    z.string(),
    z.union([
      z.object({
        weight: num,
        positive: num,
        negative: num,
        insults: num,
        lastMs: num,
        lastNegativeMs: num,
        positiveEvidence: z.array(num),
        negativeEvidence: z.array(num),
      }),
      z
        .array(num)
        .min(EDGE.evidence)
        .refine(
          (edge) => {
            const friendly = edge[EDGE.positiveCount]!;
            return Number.isInteger(friendly) && friendly >= 0 && friendly <= edge.length - EDGE.evidence;
          },
          { message: "a packed edge's count of friendly evidence ids does not fit its length" },
        ),
    ]),
  ),
  history: z.array(z.object({ id: num, from: num, ms: num, text: z.string(), replyTo: num, bot: z.boolean() })),
  inFlight: z
    .object({
      triggerId: num,
      fromId: num,
      trigger,
      language,
      startedMs: num,
      phase: z.enum(['thinking', 'sending']),
      text: z.string().nullable(),
      contextUpToId: num,
      coalesced: z.array(z.object({ id: num, fromId: num, trigger, language })),
    })
    .nullable(),
  answered: z.array(num),
  counters: z.object({
    violations: counts,
    pii: counts,
    leakBlocks: counts,
    rateLimited: num,
    coalesced: num,
    duplicates: num,
    replies: num,
    abandonedReplies: num,
  }),
  anomaly: anomalySchema,
  styleWeights: z
    .record(z.string().max(64), z.tuple([num.min(0).max(1), num]))
    .refine((w) => Object.keys(w).length <= STYLE_FEEDBACK.weights, `at most ${STYLE_FEEDBACK.weights} style weights`),
  styledReplies: z.array(z.tuple([num, z.array(z.string().max(64)).max(16)])).max(STYLE_FEEDBACK.styledReplies),
  // Absent in states written before plugins could be chosen per chat.
  plugins: z
    .record(
      z.string(),
      z.object({ enabled: z.boolean().optional(), settings: z.record(z.string(), z.unknown()).optional() }),
    )
    .optional(),
  // Absent in states written before plugins kept data per chat.
  pluginData: z.record(z.string(), z.unknown()).optional(),
  // Absent in states written before replies were scored.
  replies: z
    .array(
      z.object({
        id: num,
        triggerId: num,
        authorId: num,
        sentMs: num,
        windowMs: num,
        followedUp: z.boolean(),
        continued: z.boolean(),
      }),
    )
    .max(RECENT_REPLIES)
    .optional(),
});

/**
 * Reads a persisted chat state (a decoded snapshot) back, checking every
 * field. Throws {@link ChatStateInvalidError} — not retryable, so the
 * supervisor quarantines the chat instead of silently starting it empty —
 * for a snapshot of an unknown version or a corrupt one.
 */
export function restoreChatState(value: unknown): ChatState {
  if (typeof value === 'object' && value !== null && 'version' in value && value.version !== CHAT_STATE_VERSION) {
    throw new ChatStateInvalidError(
      `chat state version ${String(value.version)} is unknown (this build reads ${CHAT_STATE_VERSION})`,
      'CHAT_STATE_VERSION_UNKNOWN',
    );
  }
  const parsed = chatStateSchema.safeParse(value);
  if (!parsed.success) {
    const first = parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new ChatStateInvalidError(`chat state is corrupt: ${first.join('; ')}`);
  }
  // Members' words and the edges become live tables in restoreTables below (splitWords, packEdge).
  const state = parsed.data as ChatState;
  // Plugins' data is theirs, of any depth: left as parsed.
  compactArrays(state, 'pluginData');
  redactMemberNames(state);
  restoreTables(state);
  return state;
}

/**
 * Swaps every array under `value`, but not under its key `except`, for a
 * copy of exactly its length. The schema's parse builds its arrays by
 * pushing, which leaves room for at least 16 more entries in each: a chat restored from a snapshot held
 * 31 KB of array space where the same chat built live holds 11 (its word
 * and phrase entries are small arrays, a few hundred of them). Cheaper
 * than the deep copy that used to compact them on the way into the actor.
 */
function compactArrays(value: object, except?: string): void {
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (key === except) continue;
    const field = record[key];
    if (typeof field === 'object' && field !== null) record[key] = compacted(field);
  }
}

function compacted(value: object): object {
  if (!Array.isArray(value)) {
    compactArrays(value);
    return value;
  }
  const copy: unknown[] = value.slice();
  for (let i = 0; i < copy.length; i++) {
    const item = copy[i];
    if (typeof item === 'object' && item !== null) copy[i] = compacted(item);
  }
  return copy;
}

/**
 * The bounded tables come out of the schema as plain objects; they go on as
 * tables the pipeline made (see `emptyTable`), and edges without evidence
 * share the one empty list, as new edges do.
 */
function restoreTables(state: ChatState): void {
  state.chat.words = tableOf(state.chat.words);
  state.chat.phrases = tableOf(state.chat.phrases);
  state.members = tableOf(state.members);
  for (const member of Object.values(state.members)) splitWords(member);
  state.anomaly.members = tableOf(state.anomaly.members);
  const edges = state.edges as Record<string, DynamicsEdge | StoredDynamicsEdge>;
  state.edges = emptyTable();
  const keys = Object.keys(edges);
  for (const key of keys) {
    // Stored, or a live state's packed edge (read again through the stored shape: evidence cut to its cap).
    const edge = edges[key]!;
    state.edges[key] = packEdge(Array.isArray(edge) ? storedEdge(edge) : edge);
  }
  setKeyCount(state.edges, keys.length);
}

/** A member's words as parsed (`[count, form]` per stem, or already split) as the live tables. */
function splitWords(member: MemberProfile): void {
  const parsed = member.words as Record<string, number | StoredWordStat>;
  const words = emptyTable<number>();
  const forms = emptyTable<string>();
  const stems = Object.keys(parsed);
  for (const stem of stems) {
    const stat = parsed[stem]!;
    if (typeof stat === 'number') words[stem] = stat;
    else {
      words[stem] = stat[0];
      if (stat[1] !== stem) forms[stem] = stat[1];
    }
  }
  setKeyCount(words, stems.length);
  const given = member.forms as Record<string, string> | undefined;
  if (given !== undefined) for (const stem of Object.keys(given)) if (stem in words) forms[stem] = given[stem]!;
  member.words = words;
  member.forms = forms;
}

/**
 * The chat state as snapshots keep it: each member's words and their forms
 * as one table, `stem → [count, form]`, and each dynamics edge as an object,
 * the shapes every earlier build wrote and reads. Builds of different ages share snapshots in a cluster's rolling
 * update, so the live tables' layout (see `MemberProfile.words` and
 * `DynamicsEdge`) stays out of the stored shape. Copies the members and the
 * edges; the rest is shared with `state`.
 */
export function storedChatState(state: ChatState): unknown {
  const members: Record<string, StoredMemberProfile> = {};
  for (const key of Object.keys(state.members)) members[key] = storedMember(state.members[key]!);
  const edges: Record<string, StoredDynamicsEdge> = {};
  for (const key of Object.keys(state.edges)) edges[key] = storedEdge(state.edges[key]!);
  return { ...state, members, edges };
}

/** A member's profile as snapshots (and the member's data export) keep it: words as `stem → [count, form]`. */
export function storedMember(member: MemberProfile): StoredMemberProfile {
  const { forms, ...rest } = member;
  const { words } = rest;
  const stored: Record<string, StoredWordStat> = {};
  for (const stem of Object.keys(words)) stored[stem] = [words[stem]!, forms[stem] ?? stem];
  // `words` keeps its place among the fields: the bytes are those an earlier build wrote.
  return { ...rest, words: stored };
}

/** Profiles saved before names were redacted on the way in come back redacted (and are saved so at the next snapshot). */
function redactMemberNames(state: ChatState): void {
  for (const member of Object.values(state.members)) {
    member.name = redactName(member.name);
    member.username = redactUsername(member.username);
  }
}
