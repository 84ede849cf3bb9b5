import { compareText } from './compare-text.js';
import { CHAT_STATE_LIMITS, type ChatProfile, type SlangStat } from './chat-state.js';
import { keepStrongest } from './keep-strongest.js';
import { countNewKey, hasMoreKeysThan } from './key-count.js';
import { hourIndex, localDay, localHour } from './local-time.js';
import type { MessageAnalysis } from './message-analysis.js';
import { WordFlag } from './tone-lexicon.js';
import { phraseKey, phraseSurface, type WordInfo } from './vocabulary.js';
import { withLast } from './bounded-list.js';

/** How fast the group mood follows the latest messages. */
const MOOD_ALPHA = 0.05;
/** A word or expression is the chat's slang once this many uses by at least two members. */
const SLANG_MIN_COUNT = 3;
const SLANG_MIN_SPEAKERS = 2;

/** One word or expression of the chat's own vocabulary. */
export interface SlangEntry {
  text: string;
  count: number;
  speakers: number;
}

/**
 * Folds one message into the chat profile: activity by hour and day, the
 * group mood and its hourly trend, and the chat's words and two-word
 * expressions (its slang). `countWords` is false for flagged messages.
 */
export function recordChatMessage(
  chat: ChatProfile,
  analysis: MessageAnalysis,
  senderId: number,
  nowMs: number,
  utcOffsetMinutes: number,
  countWords: boolean,
): void {
  chat.messages++;
  const hour = localHour(nowMs, utcOffsetMinutes);
  const day = localDay(nowMs, utcOffsetMinutes);
  chat.hours[hour] = (chat.hours[hour] ?? 0) + 1;
  chat.days[day] = (chat.days[day] ?? 0) + 1;
  const sentiment = analysis.tone.sentiment;
  chat.mood += MOOD_ALPHA * (sentiment - chat.mood);
  const index = hourIndex(nowMs);
  const last = chat.moodTrend[chat.moodTrend.length - 1];
  if (last !== undefined && last[0] === index) {
    last[1] += sentiment;
    last[2]++;
  } else {
    chat.moodTrend = withLast(chat.moodTrend, [index, sentiment, 1], CHAT_STATE_LIMITS.moodHours);
  }
  if (countWords) recordWords(chat, analysis, senderId);
}

/** The chat's slang: its most used words and expressions that several members share. */
export function chatSlang(chat: ChatProfile, limit: number): SlangEntry[] {
  // A prompt wants a dozen of a few hundred entries: keeping the best few in order while scanning is several
  // times cheaper than sorting every shared one. Equal entries keep their table order, as a stable sort would.
  const best: SlangStat[] = [];
  const keep = limit > 0 ? Math.floor(limit) : 0;
  for (const table of [chat.phrases, chat.words]) {
    // Object.keys plus lookups is several times faster than Object.values on these large, mutating tables.
    for (const key of Object.keys(table)) {
      const stat = table[key]!;
      if (stat[0] < SLANG_MIN_COUNT || stat[2] < SLANG_MIN_SPEAKERS) continue;
      if (best.length === keep && (keep === 0 || bySlang(best[keep - 1]!, stat) <= 0)) continue;
      let at = best.length === keep ? keep - 1 : best.length;
      while (at > 0 && bySlang(best[at - 1]!, stat) > 0) {
        best[at] = best[at - 1]!;
        at--;
      }
      best[at] = stat;
    }
  }
  return best.map(([count, text, speakers]) => ({ text, count, speakers }));
}

function bySlang(a: SlangStat, b: SlangStat): number {
  return b[0] * b[2] - a[0] * a[2] || compareText(a[1], b[1]);
}

/** The chat's most used words, whoever used them. */
export function topChatWords(chat: ChatProfile, limit: number): Array<{ word: string; count: number }> {
  return Object.values(chat.words)
    .sort((a, b) => b[0] - a[0] || compareText(a[1], b[1]))
    .slice(0, limit)
    .map(([count, word]) => ({ word, count }));
}

function recordWords(chat: ChatProfile, analysis: MessageAnalysis, senderId: number): void {
  const { infos } = analysis;
  let previous = -1;
  for (let i = 0; i < infos.length; i++) {
    const info = infos[i]!;
    const content = (info.flags & WordFlag.stop) === 0 && info.stem.length >= 3;
    if (!content) {
      previous = -1;
      continue;
    }
    count(chat.words, info.stem, info, null, senderId);
    if (previous >= 0) count(chat.phrases, phraseKey(infos[previous]!, info), infos[previous]!, info, senderId);
    previous = i;
  }
  // Checking the table sizes every 32nd message is enough to keep them bounded and costs less.
  if ((chat.messages & 31) === 0) {
    prune(chat, 'words', CHAT_STATE_LIMITS.chatWords, CHAT_STATE_LIMITS.chatWordsSlack);
    prune(chat, 'phrases', CHAT_STATE_LIMITS.chatPhrases, CHAT_STATE_LIMITS.chatPhrasesSlack);
  }
}

/** Counts a word (`second` null) or a two-word expression; the surface form is built only for a new entry. */
function count(
  table: Record<string, SlangStat>,
  key: string,
  first: WordInfo,
  second: WordInfo | null,
  senderId: number,
): void {
  const stat = table[key];
  if (stat === undefined) {
    table[key] = [1, second === null ? first.word : phraseSurface(first, second), 1, senderId];
    countNewKey(table);
    return;
  }
  stat[0]++;
  if (stat[3] !== senderId) {
    stat[2]++;
    stat[3] = senderId;
  }
}

/** Keeps a table bounded: beyond its cap plus slack, the least used entries go. */
function prune(chat: ChatProfile, table: 'words' | 'phrases', cap: number, slack: number): void {
  if (!hasMoreKeysThan(chat[table], cap + slack)) return;
  chat[table] = keepStrongest(chat[table], cap, (stat) => stat[0]);
}
