import { textFingerprint } from '../fnv-hash.js';
import { findLinks, linkAllowed } from '../link-guard.js';
import { detectLanguage } from '../detect-language.js';
import { scanText } from '../scan-text.js';
import { ANOMALY_KINDS, ANOMALY_LIMITS, type AnomalyKind, type AnomalyState } from './anomaly-state.js';
import { ANOMALY_THRESHOLDS as T } from './anomaly-thresholds.js';
import { countJoins } from './join-baseline.js';
import { observeHabits } from './member-habits.js';

/**
 * One anomaly found. `detail` is for admins and logs: numbers and kinds
 * only, never a text or a name. `suspects` are the user ids an action
 * (restricting new members) would apply to: a raid's newcomers, or the
 * member whose account behaves unlike them.
 */
export interface Anomaly {
  kind: AnomalyKind;
  atMs: number;
  detail: string;
  /** What was observed and what the chat's baseline expected, in the unit of the kind. */
  observed: number;
  expected: number;
  suspects: number[];
}

/** One message as the detectors see it; the member fields are as they were before this message. */
export interface ObservedMessage {
  userId: number;
  text: string;
  firstSeenMs: number;
  /** When the member was seen joining; 0 when never. */
  joinedMs: number;
  messagesBefore: number;
  /**
   * Since when the bot has watched this chat: members it first saw in its
   * first day there are the chat's old members, not newcomers (unless seen joining).
   */
  watchedSinceMs: number;
  /** Links to these domains are not foreign (the chat's allow-list). */
  allowedLinks: readonly string[];
}

/** What one observation found: new alerts, and members joining while a raid is under way. */
export interface AnomalyVerdict {
  anomalies: Anomaly[];
  /** Newcomers who joined during an ongoing raid (already alerted): the raid's action applies to them too. */
  lateSuspects: number[];
}

const NOTHING: AnomalyVerdict = Object.freeze({ anomalies: [], lateSuspects: [] }) as AnomalyVerdict;

/**
 * A member is new for a day after joining, or until their third message in
 * their first day — unless the bot first saw them in its own first day in
 * the chat (then they were there before it).
 */
export function isNewMember(
  member: { firstSeenMs: number; joinedMs: number; messages: number },
  watchedSinceMs: number,
  nowMs: number,
): boolean {
  if (member.joinedMs > 0 && nowMs - member.joinedMs < T.newMemberMs) return true;
  return (
    member.messages < T.newMemberMessages &&
    nowMs - member.firstSeenMs < T.newMemberMs &&
    member.firstSeenMs - watchedSinceMs >= T.newMemberMs
  );
}

/**
 * Members joined: a burst well above the chat's join baseline (z-score of
 * the current minute, or of the last five, against the EWMA mean and
 * variance of joins per minute) is a raid.
 */
export function observeJoins(state: AnomalyState, userIds: readonly number[], nowMs: number): AnomalyVerdict {
  if (userIds.length === 0) return NOTHING;
  const ongoing = nowMs < state.raidUntilMs;
  for (const id of userIds) push(state.newcomers, [id, seconds(nowMs)], ANOMALY_LIMITS.newcomers);
  const score = countJoins(state.joins, state.joinWindow, userIds.length, nowMs);
  const burst =
    (score.minute >= T.joinMinPerMinute && score.zMinute >= T.joinZ) ||
    (score.fiveMinutes >= T.joinMinPer5Minutes && score.zFiveMinutes >= T.joinZ);
  if (!burst) return ongoing ? { anomalies: [], lateSuspects: [...userIds] } : NOTHING;
  const minuteLed = score.zMinute >= score.zFiveMinutes;
  const observed = minuteLed ? score.minute : score.fiveMinutes;
  const expected = minuteLed ? score.expectedPerMinute : 5 * score.expectedPerMinute;
  const z = Math.max(score.zMinute, score.zFiveMinutes);
  const anomaly = raise(state, 'join_burst', nowMs, {
    detail: `${observed} joins in ${minuteLed ? '1 minute' : '5 minutes'}, baseline ${expected.toFixed(2)} (z ${z.toFixed(1)})`,
    observed,
    expected,
    suspects: recentNewcomers(state, nowMs),
  });
  if (anomaly === null) return { anomalies: [], lateSuspects: ongoing ? [...userIds] : [] };
  return { anomalies: [anomaly], lateSuspects: [] };
}

/**
 * A member wrote: new members posting foreign links, or the same text,
 * in numbers are a raid; a long-standing member suddenly writing in another
 * language, posting links or flooding is an account that may have changed
 * hands.
 */
export function observeMessage(state: AnomalyState, msg: ObservedMessage, nowMs: number): AnomalyVerdict {
  const anomalies: Anomaly[] = [];
  const links = msg.text.includes('.') ? findLinks(msg.text) : [];
  const fresh = isNewMember(
    { firstSeenMs: msg.firstSeenMs, joinedMs: msg.joinedMs, messages: msg.messagesBefore },
    msg.watchedSinceMs,
    nowMs,
  );
  if (fresh) {
    const foreign = links.some((l) => !linkAllowed(l, msg.allowedLinks));
    if (foreign) {
      push(state.linkPosters, [msg.userId, seconds(nowMs)], ANOMALY_LIMITS.linkPosters);
      const posters = distinctSince(state.linkPosters, nowMs - T.raidWindowMs, 0, 1);
      if (posters.length >= T.newLinkPosters) {
        const found = raise(state, 'new_member_links', nowMs, {
          detail: `${posters.length} new members posted foreign links within ${T.raidWindowMs / 60_000} minutes`,
          observed: posters.length,
          expected: 0,
          suspects: mergeIds(posters, recentNewcomers(state, nowMs)),
        });
        if (found !== null) anomalies.push(found);
      }
    }
    const { hash, length } = textFingerprint(msg.text);
    const minChars = links.length > 0 || msg.text.includes('@') ? T.sameTextMinCharsWithLink : T.sameTextMinChars;
    if (length >= minChars) {
      push(state.texts, [hash, msg.userId, seconds(nowMs)], ANOMALY_LIMITS.texts);
      const senders = sameTextSenders(state, hash, nowMs - T.raidWindowMs);
      if (senders.length >= T.sameTextSenders) {
        const found = raise(state, 'new_member_same_text', nowMs, {
          detail: `${senders.length} new members sent the same text within ${T.raidWindowMs / 60_000} minutes`,
          observed: senders.length,
          expected: 0,
          suspects: mergeIds(senders, recentNewcomers(state, nowMs)),
        });
        if (found !== null) anomalies.push(found);
      }
    }
  } else {
    const language = detectLanguage(scanText(links.length > 0 || msg.text.includes('@') ? prose(msg.text) : msg.text));
    const broke = observeHabits(state, msg.userId, msg.firstSeenMs, language, links.length > 0, nowMs);
    if (broke !== null) {
      const detail =
        broke.signal === 'language'
          ? `a long-standing member wrote ${broke.recent} of the last ${T.recentMessages} messages outside their usual language (usually ${(broke.usualShare * 100).toFixed(0)}%)`
          : broke.signal === 'links'
            ? `a long-standing member put links in ${broke.recent} of the last ${T.recentMessages} messages (usually ${(broke.usualShare * 100).toFixed(0)}%)`
            : `a long-standing member wrote ${broke.recent} messages in ${T.rateWindowMs / 60_000} minutes (busiest before: ${broke.usualPeak.toFixed(0)})`;
      const found = raise(state, 'takeover', nowMs, {
        detail,
        observed: broke.recent,
        expected: broke.signal === 'rate' ? broke.usualPeak : broke.usualShare * T.recentMessages,
        suspects: [msg.userId],
      });
      if (found !== null) anomalies.push(found);
    }
  }
  return anomalies.length === 0 ? NOTHING : { anomalies, lateSuspects: [] };
}

/** Whether the bot keeps quiet toward a member now (the `slow` action after an alert). */
export function slowedFor(
  state: AnomalyState,
  member: { firstSeenMs: number; joinedMs: number; messages: number },
  watchedSinceMs: number,
  nowMs: number,
): boolean {
  return nowMs < state.slowUntilMs && isNewMember(member, watchedSinceMs, nowMs);
}

/** Whether the chat is under an anomaly's slow-down at all (no unasked replies meanwhile). */
export function slowedChat(state: AnomalyState, nowMs: number): boolean {
  return nowMs < state.slowUntilMs;
}

/** The words of a message without its links and @handles, whose Latin letters say nothing about its language. */
function prose(text: string): string {
  return text
    .split(/\s+/)
    .filter((word) => !(word.startsWith('@') || word.includes('://') || /\.\p{L}{2,}/u.test(word)))
    .join(' ');
}

function raise(
  state: AnomalyState,
  kind: AnomalyKind,
  nowMs: number,
  found: Omit<Anomaly, 'kind' | 'atMs'>,
): Anomaly | null {
  const index = ANOMALY_KINDS.indexOf(kind);
  const last = state.lastAlertMs[index] ?? 0;
  if (last > 0 && nowMs - last < T.cooldownMs && nowMs >= last) return null;
  state.lastAlertMs[index] = nowMs;
  if (kind !== 'takeover') state.raidUntilMs = nowMs + T.raidMs;
  return { kind, atMs: nowMs, ...found };
}

function recentNewcomers(state: AnomalyState, nowMs: number): number[] {
  return distinctSince(state.newcomers, nowMs - T.raidWindowMs, 0, 1);
}

/** The rings keep times in unix seconds (5 bytes in msgpack; milliseconds take 9). */
function seconds(ms: number): number {
  return Math.floor(ms / 1000);
}

/** Distinct ids (at `idAt`) of entries whose time in seconds (at `sAt`) is at or after `sinceMs`. */
function distinctSince(
  entries: ReadonlyArray<readonly number[]>,
  sinceMs: number,
  idAt: number,
  sAt: number,
): number[] {
  const since = seconds(sinceMs);
  const ids = new Set<number>();
  for (const e of entries) if (e[sAt]! >= since) ids.add(e[idAt]!);
  return [...ids];
}

function sameTextSenders(state: AnomalyState, hash: number, sinceMs: number): number[] {
  const since = seconds(sinceMs);
  const ids = new Set<number>();
  for (const [h, id, s] of state.texts) if (h === hash && s >= since) ids.add(id);
  return [...ids];
}

function mergeIds(first: number[], second: number[]): number[] {
  return [...new Set([...first, ...second])];
}

function push<T>(ring: T[], entry: T, limit: number): void {
  ring.push(entry);
  if (ring.length > limit) ring.splice(0, ring.length - limit);
}
