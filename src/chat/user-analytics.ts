import { compareText } from './compare-text.js';
import type { ChatState } from './chat-state.js';
import { interactionPartners, type Relation, relations } from './group-dynamics.js';
import { utcHours } from './local-time.js';
import { displayName, favouriteWords, isNewMember } from './member-profiles.js';

/** Another member in a relation, named for display. */
export interface RelatedMember {
  userId: number;
  name: string;
  /** Interaction weight (repliesTo/repliedBy) or relation score (allies/conflicts). */
  score: number;
  /** Message ids that show the relation (allies/conflicts only). */
  evidence: number[];
}

/** Everything known about one member of a chat, for /stats and the admin API. */
export interface UserAnalytics {
  userId: number;
  name: string;
  username: string;
  isBot: boolean;
  isNew: boolean;
  firstSeenMs: number;
  lastSeenMs: number;
  messages: number;
  averageLength: number;
  /** `byHour`, `byDay` and `mostActiveHour` in the chat's local time, `byHourUtc` in UTC. */
  activity: { byHour: number[]; byHourUtc: number[]; byDay: number[]; mostActiveHour: number | null };
  languages: Record<string, number>;
  topics: Array<{ topic: string; count: number }>;
  favouriteWords: Array<{ word: string; count: number }>;
  tone: { positive: number; negative: number; neutral: number; mood: number };
  toxicity: { level: number; toxicMessages: number; insultsSent: number; insultsReceived: number };
  relations: {
    repliesTo: RelatedMember[];
    repliedBy: RelatedMember[];
    allies: RelatedMember[];
    conflicts: RelatedMember[];
  };
  violations: number;
}

const TOP_WORDS = 10;
const TOP_RELATIONS = 5;

/** Analytics of one member, or null when the chat has never seen them. Computed from state in memory. */
export function userAnalytics(state: ChatState, userId: number, nowMs: number): UserAnalytics | null {
  const m = state.members[String(userId)];
  if (m === undefined) return null;
  const partners = interactionPartners(state, userId, nowMs);
  const { allies, conflicts } = relations(state, nowMs);
  const named = (list: Array<{ userId: number; weight: number }>): RelatedMember[] =>
    list
      .slice(0, TOP_RELATIONS)
      .map((p) => ({ userId: p.userId, name: displayName(state, p.userId), score: p.weight, evidence: [] }));
  const mine = (list: Relation[]): RelatedMember[] =>
    list
      .filter((r) => r.a === userId || r.b === userId)
      .slice(0, TOP_RELATIONS)
      .map((r) => {
        const other = r.a === userId ? r.b : r.a;
        return { userId: other, name: displayName(state, other), score: r.score, evidence: r.evidence };
      });
  const peak = Math.max(...m.hours);
  return {
    userId,
    name: displayName(state, userId),
    username: m.username,
    isBot: m.isBot,
    isNew: isNewMember(m, nowMs, state.chat.createdMs),
    firstSeenMs: m.firstSeenMs,
    lastSeenMs: m.lastSeenMs,
    messages: m.messages,
    averageLength: m.messages === 0 ? 0 : Math.round(m.chars / m.messages),
    activity: {
      byHour: [...m.hours],
      byHourUtc: utcHours(m.hours, state.settings.utcOffsetMinutes),
      byDay: [...m.days],
      mostActiveHour: peak > 0 ? m.hours.indexOf(peak) : null,
    },
    languages: { ...m.languages },
    topics: Object.entries(m.topics)
      .map(([topic, count]) => ({ topic, count }))
      .sort((a, b) => b.count - a.count || compareText(a.topic, b.topic)),
    favouriteWords: favouriteWords(m, TOP_WORDS),
    tone: { positive: m.positive, negative: m.negative, neutral: m.neutral, mood: round2(m.mood) },
    toxicity: {
      level: round2(m.toxicity),
      toxicMessages: m.toxicMessages,
      insultsSent: m.insultsSent,
      insultsReceived: m.insultsReceived,
    },
    relations: {
      repliesTo: named(partners.to),
      repliedBy: named(partners.from),
      allies: mine(allies),
      conflicts: mine(conflicts),
    },
    violations: m.violations,
  };
}

/** Analytics of every member the chat knows, most active first (the admin API's member list). */
export function allUserAnalytics(state: ChatState, nowMs: number): UserAnalytics[] {
  return Object.values(state.members)
    .sort((a, b) => b.messages - a.messages || a.id - b.id)
    .flatMap((m) => userAnalytics(state, m.id, nowMs) ?? []);
}

export function round2(x: number): number {
  return Math.round(x * 100) / 100;
}
