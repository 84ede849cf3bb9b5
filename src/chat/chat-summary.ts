import { compareText } from './compare-text.js';
import type { ChatState, HistoryEntry } from './chat-state.js';
import { runningConflicts } from './group-dynamics.js';
import { displayName } from './member-profiles.js';
import { PII_PLACEHOLDER } from './pii-detector.js';
import { WordFlag } from './tone-lexicon.js';
import type { Vocabulary } from './vocabulary.js';
import { scanText } from './scan-text.js';

/** A message quoted in a summary. */
export interface SummaryMessage {
  id: number;
  fromId: number;
  name: string;
  text: string;
}

/** A catch-up of what happened in the chat, built from the recent history. */
export interface ChatSummary {
  sinceMs: number;
  /** Counted from the asker's previous message, or the last `hours`. */
  basis: 'since-last-message' | 'last-hours';
  hours: number;
  messages: number;
  participants: Array<{ userId: number; name: string; messages: number }>;
  topics: string[];
  keywords: string[];
  /** Messages that answered or mentioned the asker. */
  forYou: SummaryMessage[];
  /** Messages that drew the most replies. */
  highlights: SummaryMessage[];
  conflicts: Array<{ a: string; b: string }>;
  /** The history does not reach back to `sinceMs` (busy chat): the summary covers less. */
  partial: boolean;
}

/** Fewer new messages than this since the asker's last one, and the summary covers the last hours instead. */
const MIN_MESSAGES_SINCE_LAST = 3;
const QUOTE_CHARS = 120;
/** "Лёха, что тут было?", "Льохо, що тут було?", "what did I miss": a request for /summary in plain words. */
const SUMMARY_REQUEST =
  /(?:^|[^\p{L}])(?:(?:что|чё|че|шо)\s+(?:тут|здесь|у\s+вас)?\s*(?:было|происходит|случилось|обсуждали|пропустил[аи]?)|что\s+я\s+пропустил|перескажи|(?:що|шо)\s+(?:тут|у\s+вас)?\s*(?:було|відбувається|сталося|обговорювали|пропустив|пропустила)|що\s+я\s+пропустив|перекажи|саммари|what\s+(?:did\s+i\s+miss|happened|was\s+going\s+on)|catch\s+me\s+up|tl;?dr|summary)(?![\p{L}])/iu;

/** Whether a message to the bot asks, in words, what it missed: the summary plugin's phrase. */
export function isSummaryRequest(text: string): boolean {
  return SUMMARY_REQUEST.test(text);
}

/** A Telegram @username (5–32 letters, digits and underscores). */
const HANDLE = /@[A-Za-z0-9_]+/g;

/**
 * What happened since the asker's previous message (`previousSeenMs`), or in
 * the last `hours` (the chat's default when null and the asker has nothing
 * to catch up on): who talked, about what, what was said to the asker and
 * which messages drew replies.
 */
export function summariseChat(
  state: ChatState,
  askerId: number,
  previousSeenMs: number,
  hours: number | null,
  nowMs: number,
  vocabulary: Vocabulary,
  /** The request itself and anything after it are left out. */
  beforeMessageId = Infinity,
): ChatSummary {
  const asker = state.members[String(askerId)];
  let basis: ChatSummary['basis'] = 'last-hours';
  let windowHours = hours ?? state.settings.summaryHours;
  let sinceMs = nowMs - windowHours * 3_600_000;
  if (hours === null && previousSeenMs > 0) {
    const sinceLast = state.history.filter(
      (e) => !e.bot && e.id < beforeMessageId && e.ms > previousSeenMs && e.from !== askerId,
    ).length;
    if (sinceLast >= MIN_MESSAGES_SINCE_LAST) {
      basis = 'since-last-message';
      sinceMs = previousSeenMs;
      windowHours = Math.max(1, Math.ceil((nowMs - previousSeenMs) / 3_600_000));
    }
  }
  const window = state.history.filter((e) => !e.bot && e.id < beforeMessageId && e.ms > sinceMs && e.ms <= nowMs);
  const others = window.filter((e) => e.from !== askerId);

  const perMember = new Map<number, number>();
  for (const e of window) perMember.set(e.from, (perMember.get(e.from) ?? 0) + 1);
  const participants = [...perMember]
    .sort((a, b) => b[1] - a[1] || a[0] - b[0])
    .map(([userId, messages]) => ({ userId, name: displayName(state, userId), messages }));

  const topicCounts = new Map<string, number>();
  const wordCounts = new Map<string, [number, string]>();
  for (const e of window) {
    // @handles name who is spoken to, not what was talked about.
    const scan = scanText(e.text.replace(PII_PLACEHOLDER, ' ').replace(HANDLE, ' '));
    for (const word of scan.words) {
      const info = vocabulary.lookup(word);
      if (info.topic !== '') topicCounts.set(info.topic, (topicCounts.get(info.topic) ?? 0) + 1);
      if ((info.flags & WordFlag.stop) !== 0 || info.stem.length < 4) continue;
      const stat = wordCounts.get(info.stem);
      wordCounts.set(info.stem, [(stat?.[0] ?? 0) + 1, word]);
    }
  }
  const topics = [...topicCounts]
    .sort((a, b) => b[1] - a[1] || compareText(a[0], b[0]))
    .slice(0, 3)
    .map(([t]) => t);
  const keywords = [...wordCounts.values()]
    .filter(([n]) => n >= 2)
    .sort((a, b) => b[0] - a[0] || compareText(a[1], b[1]))
    .slice(0, 6)
    .map(([, w]) => w);

  const askerIds = new Set(state.history.filter((e) => e.from === askerId).map((e) => e.id));
  const handle = asker !== undefined && asker.username !== '' ? `@${asker.username.toLowerCase()}` : null;
  const forYou = others
    .filter((e) => askerIds.has(e.replyTo) || (handle !== null && e.text.toLowerCase().includes(handle)))
    .slice(-3);

  const replies = new Map<number, number>();
  for (const e of window) if (e.replyTo > 0) replies.set(e.replyTo, (replies.get(e.replyTo) ?? 0) + 1);
  const highlights = window
    .filter((e) => (replies.get(e.id) ?? 0) >= 2)
    .sort((a, b) => (replies.get(b.id) ?? 0) - (replies.get(a.id) ?? 0) || a.id - b.id)
    .slice(0, 3);

  const oldest = state.history.find((e) => !e.bot);
  return {
    sinceMs,
    basis,
    hours: windowHours,
    messages: window.length,
    participants,
    topics,
    keywords,
    forYou: forYou.map((e) => quote(state, e)),
    highlights: highlights.map((e) => quote(state, e)),
    conflicts: runningConflicts(state, nowMs).map((c) => ({ a: displayName(state, c.a), b: displayName(state, c.b) })),
    partial: oldest !== undefined && oldest.ms > sinceMs && state.chat.messages > state.history.length,
  };
}

function quote(state: ChatState, e: HistoryEntry): SummaryMessage {
  const text = e.text.replace(/\s+/g, ' ').trim();
  return {
    id: e.id,
    fromId: e.from,
    name: displayName(state, e.from),
    text: text.length > QUOTE_CHARS ? `${text.slice(0, QUOTE_CHARS - 1)}…` : text,
  };
}
