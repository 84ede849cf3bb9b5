import {
  type ChatMode as DomainChatMode,
  type ChatReport as DomainChatReport,
  type ChatSettings as DomainChatSettings,
  ChatSettingsInvalidError,
  type ChatSettingsPatch as DomainChatSettingsPatch,
  type UserAnalytics as DomainUserAnalytics,
} from '../../chat/index.js';
import type { ChatSettings, ChatSettingsPatch } from '../schemas/chat.js';
import type { ChatReport, UserAnalytics } from '../schemas/insights.js';

/*
 * The admin API's documented shapes, built from the chat domain's. The API
 * is the stable contract; the domain's richer values are mapped onto it here
 * so neither has to follow the other's changes.
 */

/** The per-minute limit shown for an unlimited-looking bucket: the domain's refill cap. */
const MAX_RATE_PER_MIN = 600;

export function toApiSettings(s: DomainChatSettings): ChatSettings {
  return {
    mode: s.mode,
    persona: s.persona ?? null,
    personaTuning:
      s.personaTuning === undefined
        ? null
        : {
            ...(s.personaTuning.replyLength === undefined ? {} : { replyLength: s.personaTuning.replyLength }),
            ...(s.personaTuning.emoji === undefined ? {} : { emoji: s.personaTuning.emoji }),
            ...(s.personaTuning.styleLines === undefined ? {} : { styleLines: [...s.personaTuning.styleLines] }),
          },
    language: s.language,
    rateLimitPerUserPerMin: Math.min(MAX_RATE_PER_MIN, Math.round(s.rateLimit.refillPerMinute)),
    bannedWords: [...s.bannedWords],
    onViolation: s.onViolation,
    allowedLinkDomains: [...s.links.allow],
    // Flood detection and PII redaction always run; link filtering is the invite-link block.
    filters: { flood: true, links: s.links.blockInvites, pii: true },
    anomaly: { ...s.anomaly },
  };
}

/**
 * An API settings change as a domain patch. Fields the domain does not let
 * anyone turn off (PII redaction, flood detection)
 * are refused with `CHAT_SETTINGS_INVALID` rather than silently ignored.
 */
export function toDomainPatch(p: ChatSettingsPatch): DomainChatSettingsPatch {
  const refused: string[] = [];
  if (p.filters?.pii === false) refused.push('filters.pii: personal data is always redacted');
  if (p.filters?.flood === false) refused.push('filters.flood: flood detection cannot be turned off');
  if (refused.length > 0) throw new ChatSettingsInvalidError(refused);
  const patch: DomainChatSettingsPatch = {};
  if (p.rateLimitPerUserPerMin !== undefined) {
    // 0 means "no limit" in the API: the largest bucket the domain allows, refilled as fast as it allows.
    patch.rateLimit =
      p.rateLimitPerUserPerMin === 0
        ? { capacity: 100, refillPerMinute: MAX_RATE_PER_MIN }
        : { refillPerMinute: p.rateLimitPerUserPerMin };
  }
  if (p.language !== undefined) patch.language = p.language;
  if (p.persona !== undefined) patch.persona = p.persona;
  if (p.personaTuning !== undefined) patch.personaTuning = p.personaTuning;
  if (p.bannedWords !== undefined) patch.bannedWords = p.bannedWords;
  if (p.onViolation !== undefined) patch.onViolation = p.onViolation;
  if (p.allowedLinkDomains !== undefined || p.filters?.links !== undefined) {
    patch.links = {
      ...(p.allowedLinkDomains === undefined ? {} : { allow: p.allowedLinkDomains }),
      ...(p.filters?.links === undefined ? {} : { blockInvites: p.filters.links }),
    };
  }
  if (p.anomaly !== undefined) patch.anomaly = { ...p.anomaly };
  return patch;
}

const DAY_MS = 86_400_000;

function utcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export function toApiReport(r: DomainChatReport, mode: DomainChatMode, nowMs: number): ChatReport {
  // The domain keeps an hourly mood trend (the last two days); the API shows it per UTC day.
  const days = new Map<string, { messages: number; moodSum: number }>();
  for (const h of r.mood.trend) {
    const day = utcDay(h.hourStartMs);
    const d = days.get(day) ?? { messages: 0, moodSum: 0 };
    d.messages += h.messages;
    d.moodSum += h.mood * h.messages;
    days.set(day, d);
  }
  const byDay = [...days.entries()].sort(([a], [b]) => (a < b ? -1 : 1));
  const score = clamp(r.mood.current, -1, 1);
  const tense = r.conflicts.some((c) => nowMs - c.lastMs < DAY_MS);
  return {
    chatId: r.chatId,
    mode,
    generatedAt: new Date(nowMs).toISOString(),
    messages: r.messages,
    // The chat counts hours in its local time; the API speaks UTC.
    activityByHour: [...r.activity.byHourUtc],
    activityByDay: byDay.map(([day, d]) => ({ day, messages: d.messages })),
    mood: {
      score,
      label: tense && r.mood.label !== 'positive' ? 'tense' : r.mood.label,
      trend: byDay.map(([day, d]) => ({
        day,
        score: d.messages === 0 ? 0 : clamp(Math.round((d.moodSum / d.messages) * 100) / 100, -1, 1),
      })),
    },
    topMembers: r.topMembers.map((m) => ({ userId: m.userId, displayName: m.name, messages: m.messages })),
    allies: r.allies.map((a) => ({ a: a.a.userId, b: a.b.userId, score: a.score })),
    conflicts: r.conflicts.map((c) => ({ a: c.a.userId, b: c.b.userId, score: c.score, evidence: [...c.evidence] })),
    topWords: r.topWords.map((w) => ({ word: w.word, count: w.count })),
  };
}

export function toApiUser(u: DomainUserAnalytics): UserAnalytics {
  const toneTotal = u.tone.positive + u.tone.neutral + u.tone.negative;
  const share = (n: number): number => (toneTotal === 0 ? 0 : Math.round((n / toneTotal) * 100) / 100);
  const counts = (list: DomainUserAnalytics['relations']['repliesTo']): UserAnalytics['repliesTo'] =>
    list.map((p) => ({ userId: p.userId, count: Math.max(0, Math.round(p.score)) }));
  return {
    userId: u.userId,
    messages: u.messages,
    avgLength: u.averageLength,
    toxicity: clamp(u.toxicity.level, 0, 1),
    tone: { positive: share(u.tone.positive), neutral: share(u.tone.neutral), negative: share(u.tone.negative) },
    languages: Object.entries(u.languages)
      .sort((a, b) => b[1] - a[1])
      .map(([language]) => language),
    favouriteWords: u.favouriteWords.map((w) => ({ word: w.word, count: w.count })),
    activityByHour: [...u.activity.byHourUtc],
    repliesTo: counts(u.relations.repliesTo),
    repliedBy: counts(u.relations.repliedBy),
  };
}

function clamp(x: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, x));
}
