import { chatSlang, type SlangEntry, topChatWords } from './chat-profile.js';
import type { ChatKind, ChatState } from './chat-state.js';
import { type Relation, relations } from './group-dynamics.js';
import { utcHours } from './local-time.js';
import { displayName, isNewMember } from './member-profiles.js';
import { round2 } from './user-analytics.js';

/** A pair of members in a relation, named for display. */
export interface NamedRelation {
  a: { userId: number; name: string };
  b: { userId: number; name: string };
  score: number;
  evidence: number[];
  lastMs: number;
}

/** The chat at a glance, for /stats, /top and the admin API. */
export interface ChatReport {
  chatId: number;
  kind: ChatKind;
  messages: number;
  members: number;
  /** Members who wrote within the last week. */
  activeMembers: number;
  newMembers: Array<{ userId: number; name: string }>;
  topMembers: Array<{ userId: number; name: string; messages: number; share: number }>;
  /** `byHour` and `byDay` in the chat's local time (`settings.utcOffsetMinutes`), `byHourUtc` in UTC. */
  activity: { byHour: number[]; byHourUtc: number[]; byDay: number[]; mostActiveHours: number[] };
  mood: {
    current: number;
    label: 'positive' | 'neutral' | 'negative';
    trend: Array<{ hourStartMs: number; mood: number; messages: number }>;
  };
  allies: NamedRelation[];
  conflicts: NamedRelation[];
  topWords: Array<{ word: string; count: number }>;
  slang: SlangEntry[];
  filters: Record<string, number>;
  pii: Record<string, number>;
  leakGuard: Record<string, number>;
  replies: number;
  rateLimited: number;
}

const ACTIVE_MS = 7 * 86_400_000;
const TOP_MEMBERS = 10;
const TOP_RELATIONS = 5;

/** The chat report, computed from the state in memory (cheap: no I/O, bounded tables). */
export function chatReport(state: ChatState, nowMs: number): ChatReport {
  const members = Object.values(state.members).filter((m) => !m.isBot);
  const total = members.reduce((sum, m) => sum + m.messages, 0);
  const top = [...members].sort((a, b) => b.messages - a.messages || a.id - b.id).slice(0, TOP_MEMBERS);
  const { allies, conflicts } = relations(state, nowMs);
  const hours = state.chat.hours;
  const mostActiveHours = hours
    .map((count, hour) => [hour, count] as const)
    .filter(([, count]) => count > 0)
    .sort((a, b) => b[1] - a[1] || a[0] - b[0])
    .slice(0, 3)
    .map(([hour]) => hour);
  const mood = round2(state.chat.mood);
  const name = (r: Relation): NamedRelation => ({
    a: { userId: r.a, name: displayName(state, r.a) },
    b: { userId: r.b, name: displayName(state, r.b) },
    score: r.score,
    evidence: r.evidence,
    lastMs: r.lastMs,
  });
  return {
    chatId: state.chatId,
    kind: state.chat.kind,
    messages: state.chat.messages,
    members: members.length,
    activeMembers: members.filter((m) => nowMs - m.lastSeenMs <= ACTIVE_MS).length,
    newMembers: members
      .filter((m) => isNewMember(m, nowMs, state.chat.createdMs))
      .map((m) => ({ userId: m.id, name: displayName(state, m.id) })),
    topMembers: top.map((m) => ({
      userId: m.id,
      name: displayName(state, m.id),
      messages: m.messages,
      share: total === 0 ? 0 : round2(m.messages / total),
    })),
    activity: {
      byHour: [...hours],
      byHourUtc: utcHours(hours, state.settings.utcOffsetMinutes),
      byDay: [...state.chat.days],
      mostActiveHours,
    },
    mood: {
      current: mood,
      label: mood > 0.1 ? 'positive' : mood < -0.1 ? 'negative' : 'neutral',
      trend: state.chat.moodTrend.map(([hour, sum, count]) => ({
        hourStartMs: hour * 3_600_000,
        mood: round2(sum / count),
        messages: count,
      })),
    },
    allies: allies.slice(0, TOP_RELATIONS).map(name),
    conflicts: conflicts.slice(0, TOP_RELATIONS).map(name),
    topWords: topChatWords(state.chat, 10),
    slang: chatSlang(state.chat, 10),
    filters: { ...state.counters.violations },
    pii: { ...state.counters.pii },
    leakGuard: { ...state.counters.leakBlocks },
    replies: state.counters.replies,
    rateLimited: state.counters.rateLimited,
  };
}
