import type { Language } from '../chat-state.js';
import { countNewKey, hasMoreKeysThan } from '../key-count.js';
import { ANOMALY_LIMITS, type AnomalyState, type MemberTrack } from './anomaly-state.js';
import { ANOMALY_THRESHOLDS as T } from './anomaly-thresholds.js';

/** What changed abruptly in a long-standing member's behaviour. */
export type HabitBreak =
  | { signal: 'language'; recent: number; usualShare: number }
  | { signal: 'links'; recent: number; usualShare: number }
  | { signal: 'rate'; recent: number; usualPeak: number };

/**
 * Scripts rather than languages: short Ukrainian messages without і ї є ґ
 * read as Russian, and members who switch between the two are common, so
 * Russian and Ukrainian count as one habit.
 */
const LANGUAGE_CODES: Record<Language, number> = { other: 0, ru: 1, uk: 1, en: 3 };
const RECENT_MASK = (1 << T.recentMessages) - 1;
/** Shares are kept as integers out of this (msgpack writes them in 3 bytes, a float in 9). */
export const SHARE_ONE = 65_535;
/** The busiest 10 minutes are kept in tenths of a message. */
const PEAK_SCALE = 10;
/** Messages observed stop counting here (only "enough to judge" matters). */
const MAX_SEEN = 65_535;
const OLDEST_BIT = T.recentMessages - 1;

/**
 * Updates a member's habits with one message and says which habit it broke,
 * if any. The long-run shares describe the member's messages older than the
 * last eight, so a burst of unusual messages is compared with what came
 * before it, not with itself. Only members around for two weeks with forty
 * messages observed are judged: a newcomer has no habits to break.
 */
export function observeHabits(
  state: AnomalyState,
  userId: number,
  firstSeenMs: number,
  language: Language,
  hasLink: boolean,
  nowMs: number,
): HabitBreak | null {
  const key = String(userId);
  const nowS = Math.floor(nowMs / 1000);
  let track = state.members[key];
  if (track === undefined) {
    track = [nowS, 0, SHARE_ONE, 0, 0, 0, 0, nowS, 0, 0];
    state.members[key] = track;
    countNewKey(state.members);
    evictIfCrowded(state);
  }
  const armed = track[6] >= T.takeoverMinMessages && nowMs - firstSeenMs >= T.takeoverMinAgeMs;
  track[0] = nowS;
  if (track[6] < MAX_SEEN) track[6]++;
  const weight = Math.max(T.habitAlpha, 1 / track[6]);

  // Links: the message leaving the recent window moves the long-run share.
  if (track[6] > T.recentMessages) track[3] = ewma(track[3], (track[5] >> OLDEST_BIT) & 1, weight);
  track[5] = ((track[5] << 1) | (hasLink ? 1 : 0)) & RECENT_MASK;

  const code = LANGUAGE_CODES[language];
  if (code !== 0) {
    if (track[1] === 0) track[1] = code;
    else {
      track[2] = ewma(track[2], (track[4] >> OLDEST_BIT) & 1 ? 0 : 1, weight);
      // A member who now mostly writes another language has a new main one.
      if (track[2] < SHARE_ONE / 2) {
        track[1] = code;
        track[2] = Math.round(SHARE_ONE / 2);
        track[4] = 0;
      }
    }
    track[4] = ((track[4] << 1) | (code === track[1] ? 0 : 1)) & RECENT_MASK;
  }

  const windowS = T.rateWindowMs / 1000;
  if (nowS - track[7] >= windowS || nowS < track[7]) {
    const decay = Math.pow(0.5, (Math.max(0, nowS - track[7]) * 1000) / T.peakHalfLifeMs);
    track[9] = Math.round(Math.max(track[8] * PEAK_SCALE, track[9] * decay));
    track[7] = nowS;
    track[8] = 0;
  }
  track[8]++;

  if (!armed) return null;
  const languageShare = track[2] / SHARE_ONE;
  const linkShare = track[3] / SHARE_ONE;
  const peak = track[9] / PEAK_SCALE;
  const offLanguage = popcount(track[4]);
  // The messages that broke a habit are reported once: a later alert needs new ones.
  if (languageShare >= T.languageShare && offLanguage >= T.offLanguageRecent) {
    track[4] = 0;
    return { signal: 'language', recent: offLanguage, usualShare: 1 - languageShare };
  }
  const links = popcount(track[5]);
  if (linkShare <= T.linkShare && links >= T.linkRecent) {
    track[5] = 0;
    return { signal: 'links', recent: links, usualShare: linkShare };
  }
  if (track[8] >= Math.max(T.rateMinMessages, T.rateFactor * peak)) {
    const recent = track[8];
    track[8] = 0;
    return { signal: 'rate', recent, usualPeak: peak };
  }
  return null;
}

/** One step of an exponentially weighted share kept as an integer out of {@link SHARE_ONE}. */
function ewma(share: number, observed: 0 | 1 | number, weight: number): number {
  return Math.round(share + weight * (observed * SHARE_ONE - share));
}

function popcount(bits: number): number {
  let n = 0;
  for (let b = bits; b !== 0; b &= b - 1) n++;
  return n;
}

function evictIfCrowded(state: AnomalyState): void {
  if (!hasMoreKeysThan(state.members, ANOMALY_LIMITS.members)) return;
  const keys = Object.keys(state.members);
  let oldest = keys[0]!;
  for (const key of keys) if (state.members[key]![0] < state.members[oldest]![0]) oldest = key;
  delete state.members[oldest];
}

export type { MemberTrack };
