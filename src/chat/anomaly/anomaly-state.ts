import { emptyTable } from '../key-count.js';

/**
 * What the anomaly detectors of one chat remember between messages: the
 * join-rate baseline, short rings of recent newcomers and what they posted,
 * and a compact track of each long-standing member's habits. Plain numbers
 * and tuples (msgpack-friendly), bounded by {@link ANOMALY_LIMITS} whatever
 * the traffic: a few kilobytes per busy chat, about 100 bytes for a quiet one.
 */
export interface AnomalyState {
  /** The chat's join rate per minute: `[minute index, joins in that minute, EWMA mean, EWMA variance]`. */
  joins: JoinBaseline;
  /** Joins of the latest closed minutes, oldest first (the rest of the 5-minute window). */
  joinWindow: number[];
  /** `[user id, joined at (unix seconds)]` of recent joins, oldest first. */
  newcomers: Array<[userId: number, s: number]>;
  /** `[user id, time (unix seconds)]` of recent messages with foreign links from new members. */
  linkPosters: Array<[userId: number, s: number]>;
  /** `[text fingerprint, user id, time (unix seconds)]` of recent messages from new members. */
  texts: Array<[hash: number, userId: number, s: number]>;
  /** Habits of members worth watching for a takeover, by user id. */
  members: Record<string, MemberTrack>;
  /** When each kind last raised an alert, by {@link ANOMALY_KINDS} index: one alert per incident. */
  lastAlertMs: number[];
  /** A raid is under way until then: members joining meanwhile are among its suspects. */
  raidUntilMs: number;
  /** The bot keeps quiet toward new members until then (the `slow` action). */
  slowUntilMs: number;
}

export type JoinBaseline = [minute: number, count: number, mean: number, variance: number];

/**
 * One member's habits, all integers to keep the snapshot small: `[last seen
 * (unix seconds), main script (1 Cyrillic, 3 Latin), share of messages in it
 * (EWMA, out of 65535), share of messages with links (EWMA, out of 65535),
 * last 8 lettered messages off the main script (bits), last 8 messages with
 * links (bits), messages observed, start of the current 10-minute window
 * (unix seconds), messages in it, busiest 10 minutes so far (decaying, in
 * tenths)]`.
 */
export type MemberTrack = [
  lastS: number,
  language: number,
  languageShare: number,
  linkShare: number,
  offLanguageBits: number,
  linkBits: number,
  seen: number,
  windowStartS: number,
  windowCount: number,
  peakWindow: number,
];

/** What the detectors flag. Raids: the first three; an account behaving unlike its owner: `takeover`. */
export const ANOMALY_KINDS = ['join_burst', 'new_member_links', 'new_member_same_text', 'takeover'] as const;
export type AnomalyKind = (typeof ANOMALY_KINDS)[number];

export const ANOMALY_LIMITS = {
  joinWindowMinutes: 5,
  newcomers: 100,
  linkPosters: 32,
  texts: 48,
  /** Members tracked for takeovers; the least recently seen is dropped beyond this. */
  members: 200,
} as const;

export function createAnomalyState(): AnomalyState {
  return {
    joins: [0, 0, 0, 0],
    joinWindow: [],
    newcomers: [],
    linkPosters: [],
    texts: [],
    members: emptyTable(),
    lastAlertMs: ANOMALY_KINDS.map(() => 0),
    raidUntilMs: 0,
    slowUntilMs: 0,
  };
}
