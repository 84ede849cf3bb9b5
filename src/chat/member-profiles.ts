import { compareText } from './compare-text.js';
import type { ChatSettings } from './chat-settings.js';
import { CHAT_STATE_LIMITS, type ChatState, type MemberProfile, bump } from './chat-state.js';
import { localDay, localHour } from './local-time.js';
import type { MessageAnalysis } from './message-analysis.js';
import { keepStrongest } from './keep-strongest.js';
import { countNewKey, emptyTable, hasMoreKeysThan } from './key-count.js';
import { PII_PLACEHOLDER } from './pii-detector.js';
import { redactName } from './redact-name.js';
import { fullBucket } from './rate-limiter.js';
import { WordFlag } from './tone-lexicon.js';

/** Who sent a message, as the pipeline needs it. */
export interface Sender {
  id: number;
  /** Display name: shown in answers, never used to identify anyone. */
  name: string;
  username?: string | undefined;
  isBot: boolean;
  /** Telegram's IETF language tag of the user's client ("ru", "en-US"), when known. */
  languageCode?: string | undefined;
}

/** How fast a member's mood and toxicity follow their latest messages. */
const EMA_ALPHA = 0.1;
/** A member is "new" this long after first being seen or joining. */
export const NEW_MEMBER_MS = 3 * 86_400_000;
/** Words shorter than this are never favourites ("ок", "ну"). */
const MIN_WORD_CHARS = 3;

/** The profile of a member, created on first sight; refreshes name and username. */
export function ensureMember(state: ChatState, sender: Sender, nowMs: number): MemberProfile {
  const key = String(sender.id);
  let member = state.members[key];
  if (member === undefined) {
    member = newMember(sender, nowMs, state.settings);
    state.members[key] = member;
    countNewKey(state.members);
    evictIfCrowded(state, key);
  } else {
    if (member.name !== sender.name) member.name = sender.name;
    const username = sender.username ?? '';
    if (member.username !== username) member.username = username;
  }
  return member;
}

export function newMember(sender: Sender, nowMs: number, settings: ChatSettings): MemberProfile {
  return {
    id: sender.id,
    name: sender.name,
    username: sender.username ?? '',
    isBot: sender.isBot,
    firstSeenMs: nowMs,
    lastSeenMs: nowMs,
    joinedMs: 0,
    messages: 0,
    chars: 0,
    hours: new Array<number>(24).fill(0),
    days: new Array<number>(7).fill(0),
    languages: {},
    topics: {},
    words: emptyTable(),
    forms: emptyTable(),
    positive: 0,
    negative: 0,
    neutral: 0,
    mood: 0,
    toxicity: 0,
    toxicMessages: 0,
    insultsSent: 0,
    insultsReceived: 0,
    formal: 0,
    informal: 0,
    questions: 0,
    bucket: fullBucket(settings.rateLimit, nowMs),
    flood: { startMs: 0, count: 0 },
    repeatHash: 0,
    repeatCount: 0,
    repeatMs: 0,
    violations: 0,
    warnedMs: 0,
  };
}

/**
 * Folds one message into its sender's profile: activity by hour and day,
 * length, language, topics, favourite words (stems, stop-words left out),
 * tone, toxicity and style markers. `countWords` is false for messages a
 * filter flagged, so spam does not become anyone's favourite words.
 */
export function recordMessage(
  member: MemberProfile,
  analysis: MessageAnalysis,
  textLength: number,
  nowMs: number,
  utcOffsetMinutes: number,
  countWords: boolean,
): void {
  const { tone, scan, infos, language } = analysis;
  member.messages++;
  member.chars += textLength;
  member.lastSeenMs = nowMs;
  const hour = localHour(nowMs, utcOffsetMinutes);
  const day = localDay(nowMs, utcOffsetMinutes);
  member.hours[hour] = (member.hours[hour] ?? 0) + 1;
  member.days[day] = (member.days[day] ?? 0) + 1;
  if (language !== 'other') bump(member.languages, language);
  if (tone.sentiment > 0.1) member.positive++;
  else if (tone.sentiment < -0.1) member.negative++;
  else member.neutral++;
  member.mood += EMA_ALPHA * (tone.sentiment - member.mood);
  member.toxicity += EMA_ALPHA * (tone.toxicity - member.toxicity);
  if (tone.toxicity > 0) member.toxicMessages++;
  if (tone.formal && !tone.informal) member.formal++;
  else if (tone.informal) member.informal++;
  if (scan.question) member.questions++;
  if (!countWords) return;
  for (let i = 0; i < infos.length; i++) {
    const info = infos[i]!;
    if (info.topic !== '') bump(member.topics, info.topic);
    if ((info.flags & WordFlag.stop) !== 0 || info.stem.length < MIN_WORD_CHARS) continue;
    const uses = member.words[info.stem];
    if (uses === undefined) {
      member.words[info.stem] = 1;
      countNewKey(member.words);
      if (info.word !== info.stem) member.forms[info.stem] = info.word;
    } else {
      member.words[info.stem] = uses + 1;
    }
  }
  // Checking the table size every 16th message keeps it bounded and costs less.
  if ((member.messages & 15) === 0) pruneWords(member);
}

/** The member's favourite words, most used first. */
export function favouriteWords(member: MemberProfile, limit: number): Array<{ word: string; count: number }> {
  const { words, forms } = member;
  return Object.keys(words)
    .map((stem) => ({ word: forms[stem] ?? stem, count: words[stem]! }))
    .sort((a, b) => b.count - a.count || compareText(a.word, b.word))
    .slice(0, limit);
}

/** The language a member writes in most, or null before they wrote anything with letters. */
export function usualLanguage(member: MemberProfile): string | null {
  let best: string | null = null;
  let bestCount = 0;
  for (const [lang, count] of Object.entries(member.languages)) {
    if (count > bestCount) {
      best = lang;
      bestCount = count;
    }
  }
  return best;
}

/** Placeholders of redacted data are kept; other brackets, markup and invisible characters go. */
const NAME_NOISE = new RegExp(`${PII_PLACEHOLDER.source}|[\\p{C}[\\]<>{}#\`*_]`, 'gu');

/**
 * A member's display name, safe to put into a prompt or an answer: personal
 * data redacted ("Ivan [phone]"), one line, no brackets or markup a name
 * could use to pose as someone else, at most 32 characters. `id<N>` for
 * members never seen.
 */
export function displayName(state: ChatState, userId: number): string {
  const raw = state.members[String(userId)]?.name ?? '';
  if (isPlainName(raw)) return raw.length > 0 ? raw.slice(0, 32) : `id${userId}`;
  // Names come in redacted; profiles kept from before that are redacted here.
  const clean = redactName(raw.replace(/\p{Cc}/gu, ' '))
    .replace(NAME_NOISE, (m) => (m.length > 2 ? m : ''))
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 32);
  return clean.length > 0 ? clean : `id${userId}`;
}

/**
 * A name every step of {@link displayName} leaves as it is: Latin and
 * Cyrillic letters, single inner spaces, `-`, `.`, `'`, and too few digits
 * for any personal data the redaction looks for (a phone or document number
 * has eight or more; an IBAN starts with two capital Latin letters and two
 * digits). Most names are like this, and prompts show a dozen names each,
 * so the check spares the Unicode regexes and the PII scan.
 */
function isPlainName(name: string): boolean {
  const last = name.length - 1;
  let digits = 0;
  let capitalLatin = false;
  for (let i = 0; i <= last; i++) {
    const c = name.charCodeAt(i);
    if (c >= 0x61 && c <= 0x7a) continue;
    if (c >= 0x400 && c <= 0x4ff) continue;
    if (c >= 0x41 && c <= 0x5a) capitalLatin = true;
    else if (c >= 0x30 && c <= 0x39) digits++;
    else if (c === 0x20) {
      if (i === 0 || i === last || name.charCodeAt(i - 1) === 0x20) return false;
    } else if (c !== 0x2d && c !== 0x2e && c !== 0x27) return false;
  }
  return digits < 2 || (digits < 8 && !capitalLatin);
}

/**
 * Joined within {@link NEW_MEMBER_MS}, or first wrote within it in a chat the
 * bot has known for longer (when the bot is new to a chat, everybody is
 * "first seen" and nobody is new).
 */
export function isNewMember(member: MemberProfile, nowMs: number, chatKnownSinceMs: number): boolean {
  if (member.joinedMs > 0 && nowMs - member.joinedMs < NEW_MEMBER_MS) return true;
  return nowMs - member.firstSeenMs < NEW_MEMBER_MS && member.firstSeenMs - chatKnownSinceMs >= NEW_MEMBER_MS;
}

/** Keeps the word table bounded: beyond its cap plus slack, the least used words go. */
function pruneWords(member: MemberProfile): void {
  const { memberWords, memberWordsSlack } = CHAT_STATE_LIMITS;
  if (!hasMoreKeysThan(member.words, memberWords + memberWordsSlack)) return;
  member.words = keepStrongest(member.words, memberWords, (uses) => uses);
  const forms = emptyTable<string>();
  for (const stem of Object.keys(member.forms)) if (stem in member.words) forms[stem] = member.forms[stem]!;
  member.forms = forms;
}

/** Drops the least recently seen member once the chat has more profiles than the cap. */
function evictIfCrowded(state: ChatState, keep: string): void {
  if (!hasMoreKeysThan(state.members, CHAT_STATE_LIMITS.members)) return;
  let oldest: string | null = null;
  let oldestMs = Infinity;
  for (const key of Object.keys(state.members)) {
    const m = state.members[key]!;
    if (key !== keep && m.lastSeenMs < oldestMs) {
      oldest = key;
      oldestMs = m.lastSeenMs;
    }
  }
  if (oldest !== null) delete state.members[oldest];
}
