/**
 * The detectors' thresholds, in one place so the documentation
 * (docs/security.md, "Anomaly detection") and the bench quote the same
 * numbers. Chosen on the anomaly bench: raids caught, normal days quiet.
 */
export const ANOMALY_THRESHOLDS = {
  /** Weight of each closed minute in the join-rate baseline (about a day of memory). */
  joinAlpha: 1 / 1440,
  /** Added to the variance so a chat where nobody ever joins does not alert on two joins. */
  joinNoiseFloor: 1,
  /** A minute above the baseline by more than this many deviations is winsorised before it updates it. */
  joinClipZ: 3,
  /** z-score of joins in the current minute, or in the last five, that makes a burst. */
  joinZ: 6,
  /** …and at least this many joins in the minute, or in the five minutes. */
  joinMinPerMinute: 8,
  joinMinPer5Minutes: 15,
  /** A member is new for a day after joining, or while they have written fewer than 3 messages in their first day. */
  newMemberMs: 86_400_000,
  newMemberMessages: 3,
  /** Window of the newcomer checks. */
  raidWindowMs: 10 * 60_000,
  /** Distinct new members posting foreign links within the window. */
  newLinkPosters: 4,
  /** Distinct new members sending the same text within the window. */
  sameTextSenders: 4,
  /** Letters and digits a text needs to count as "the same text" (fewer with a link or @handle). */
  sameTextMinChars: 24,
  sameTextMinCharsWithLink: 8,
  /** How long a raid lasts after its latest alert (joins meanwhile are suspects). */
  raidMs: 15 * 60_000,
  /** One alert per kind and incident. */
  cooldownMs: 30 * 60_000,
  /** A member is watched for a takeover after being around this long… */
  takeoverMinAgeMs: 14 * 86_400_000,
  /** …with this many messages observed. */
  takeoverMinMessages: 40,
  /** Messages of the recent window compared with the member's older habits. */
  recentMessages: 8,
  /** Main language at least this share of older messages, and at least 7 of the last 8 in another. */
  languageShare: 0.85,
  offLanguageRecent: 7,
  /** Links in at most this share of older messages, and in at least 5 of the last 8. */
  linkShare: 0.05,
  linkRecent: 5,
  /** Message rate: messages in 10 minutes above both this and `rateFactor` × the member's busiest 10 minutes. */
  rateWindowMs: 10 * 60_000,
  rateMinMessages: 30,
  rateFactor: 3,
  /** Half-life of the busiest 10 minutes. */
  peakHalfLifeMs: 30 * 86_400_000,
  /** Slowest weight of a message in a member's long-run shares (a running mean before that). */
  habitAlpha: 0.01,
} as const;
