import type { ChatMode, ChatReport, ChatSettings, ChatSettingsPatch, UserAnalytics } from '../../src/http/index.js';
import { Actor, type Outcome, type Reply } from '../../src/runtime/index.js';

/**
 * A chat actor small enough for the admin-surface tests and benches, yet
 * real: it owns the chat's settings and per-member counters, applies mode
 * and settings changes as messages, answers reads by ask, replies through
 * an asynchronous "LLM" side effect when addressed, and snapshots its state.
 */
export interface ChatState {
  settings: ChatSettings;
  hours: number[];
  days: Record<string, number>;
  members: Record<string, MemberState>;
  words: Record<string, number>;
}

interface MemberState {
  name: string;
  messages: number;
  chars: number;
  hours: number[];
  words: Record<string, number>;
  repliesTo: Record<string, number>;
  repliedBy: Record<string, number>;
  positive: number;
  negative: number;
}

export type ChatMsg =
  | { type: 'Said'; userId: number; name: string; text: string; dateMs: number; replyToUserId?: number }
  | { type: 'ReplyReady'; startedMs: number; outcome: Outcome<string> }
  | { type: 'SetMode'; mode: ChatMode; reply: Reply<ChatSettings> }
  | { type: 'UpdateSettings'; patch: ChatSettingsPatch; reply: Reply<ChatSettings> }
  | { type: 'GetReport'; reply: Reply<ChatReport> }
  | { type: 'GetUserAnalytics'; userId: number; reply: Reply<UserAnalytics | undefined> }
  | { type: 'GetAllAnalytics'; reply: Reply<UserAnalytics[]> }
  | { type: 'GetSettings'; reply: Reply<ChatSettings> }
  /** This actor builds no model prompts: always null. */
  | { type: 'GetLastPrompt'; reply: Reply<null> };

export interface ChatEffects {
  now(): number;
  /** The reply generator; its latency is what the dashboard charts as LLM latency. */
  llm(text: string): Promise<string>;
  replied(latencyMs: number): void;
}

const positiveWords = new Set(['спасибо', 'класс', 'круто', 'thanks', 'great', 'nice', 'люблю']);
const negativeWords = new Set(['бред', 'дурак', 'плохо', 'stupid', 'hate', 'ужас', 'отстой']);

export function emptyChatState(): ChatState {
  return {
    settings: {
      mode: 'normal',
      language: 'auto',
      persona: null,
      personaTuning: null,
      rateLimitPerUserPerMin: 10,
      bannedWords: [],
      onViolation: 'warn',
      allowedLinkDomains: [],
      filters: { flood: true, links: true, pii: true },
      anomaly: { action: 'alert', minutes: 60 },
    },
    hours: new Array<number>(24).fill(0),
    days: {},
    members: {},
    words: {},
  };
}

export class ReportingChatActor extends Actor<ChatMsg, ChatState> {
  private readonly state: ChatState;

  constructor(
    private readonly chatId: number,
    state: ChatState | undefined,
    private readonly effects: ChatEffects,
  ) {
    super();
    this.state = state === undefined ? emptyChatState() : structuredClone(state);
  }

  snapshot(): ChatState {
    return structuredClone(this.state);
  }

  receive(msg: ChatMsg): void {
    switch (msg.type) {
      case 'Said':
        this.said(msg);
        return;
      case 'ReplyReady':
        if (msg.outcome.ok) this.effects.replied(this.effects.now() - msg.startedMs);
        return;
      case 'SetMode':
        this.state.settings.mode = msg.mode;
        this.markDirty();
        msg.reply.resolve(structuredClone(this.state.settings));
        return;
      case 'UpdateSettings':
        applyPatch(this.state.settings, msg.patch);
        this.markDirty();
        msg.reply.resolve(structuredClone(this.state.settings));
        return;
      case 'GetReport':
        msg.reply.resolve(reportOf(this.chatId, this.state, this.effects.now()));
        return;
      case 'GetUserAnalytics':
        msg.reply.resolve(analyticsOf(this.state, msg.userId));
        return;
      case 'GetAllAnalytics':
        msg.reply.resolve(allAnalyticsOf(this.state));
        return;
      case 'GetSettings':
        msg.reply.resolve(structuredClone(this.state.settings));
        return;
      case 'GetLastPrompt':
        msg.reply.resolve(null);
        return;
    }
  }

  private said(msg: Extract<ChatMsg, { type: 'Said' }>): void {
    const s = this.state;
    const hour = new Date(msg.dateMs).getUTCHours();
    const day = new Date(msg.dateMs).toISOString().slice(0, 10);
    s.hours[hour] = (s.hours[hour] ?? 0) + 1;
    s.days[day] = (s.days[day] ?? 0) + 1;
    const member = (s.members[msg.userId] ??= {
      name: msg.name,
      messages: 0,
      chars: 0,
      hours: new Array<number>(24).fill(0),
      words: {},
      repliesTo: {},
      repliedBy: {},
      positive: 0,
      negative: 0,
    });
    member.name = msg.name;
    member.messages++;
    member.chars += msg.text.length;
    member.hours[hour] = (member.hours[hour] ?? 0) + 1;
    for (const word of msg.text.toLowerCase().split(/[^\p{L}\p{N}]+/u)) {
      if (word.length < 3) continue;
      member.words[word] = (member.words[word] ?? 0) + 1;
      s.words[word] = (s.words[word] ?? 0) + 1;
      if (positiveWords.has(word)) member.positive++;
      if (negativeWords.has(word)) member.negative++;
    }
    if (msg.replyToUserId !== undefined && msg.replyToUserId !== msg.userId) {
      member.repliesTo[msg.replyToUserId] = (member.repliesTo[msg.replyToUserId] ?? 0) + 1;
      const other = s.members[msg.replyToUserId];
      if (other !== undefined) other.repliedBy[msg.userId] = (other.repliedBy[msg.userId] ?? 0) + 1;
    }
    this.markDirty();
    if (/л[её]ха|lekha/i.test(msg.text) && s.settings.mode !== 'silent') {
      const startedMs = this.effects.now();
      this.pipe(this.effects.llm(msg.text), (outcome) => ({ type: 'ReplyReady', startedMs, outcome }));
    }
  }
}

function applyPatch(settings: ChatSettings, patch: ChatSettingsPatch): void {
  if (patch.persona !== undefined) settings.persona = patch.persona;
  if (patch.language !== undefined) settings.language = patch.language;
  if (patch.rateLimitPerUserPerMin !== undefined) settings.rateLimitPerUserPerMin = patch.rateLimitPerUserPerMin;
  if (patch.bannedWords !== undefined) settings.bannedWords = [...patch.bannedWords];
  if (patch.allowedLinkDomains !== undefined) settings.allowedLinkDomains = [...patch.allowedLinkDomains];
  if (patch.filters !== undefined) settings.filters = { ...settings.filters, ...patch.filters };
  if (patch.anomaly !== undefined) settings.anomaly = { ...settings.anomaly, ...patch.anomaly };
}

const top = (counts: Record<string, number>, n: number) =>
  Object.entries(counts)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, n);

export function analyticsOf(state: ChatState, userId: number): UserAnalytics | undefined {
  const m = state.members[userId];
  if (m === undefined) return undefined;
  const toned = m.positive + m.negative;
  return {
    userId,
    messages: m.messages,
    avgLength: m.messages === 0 ? 0 : m.chars / m.messages,
    toxicity: m.messages === 0 ? 0 : Math.min(1, m.negative / m.messages),
    tone: {
      positive: m.messages === 0 ? 0 : m.positive / m.messages,
      negative: m.messages === 0 ? 0 : m.negative / m.messages,
      neutral: m.messages === 0 ? 1 : Math.max(0, 1 - toned / m.messages),
    },
    languages: [],
    favouriteWords: top(m.words, 10).map(([word, count]) => ({ word, count })),
    activityByHour: [...m.hours],
    repliesTo: top(m.repliesTo, 10).map(([id, count]) => ({ userId: Number(id), count })),
    repliedBy: top(m.repliedBy, 10).map(([id, count]) => ({ userId: Number(id), count })),
  };
}

export function allAnalyticsOf(state: ChatState): UserAnalytics[] {
  return Object.keys(state.members)
    .map((id) => analyticsOf(state, Number(id)) as UserAnalytics)
    .sort((a, b) => a.userId - b.userId);
}

export function reportOf(chatId: number, state: ChatState, nowMs: number): ChatReport {
  const members = Object.entries(state.members);
  const positive = members.reduce((n, [, m]) => n + m.positive, 0);
  const negative = members.reduce((n, [, m]) => n + m.negative, 0);
  const score = positive + negative === 0 ? 0 : (positive - negative) / (positive + negative);
  const pairs: Array<{ a: number; b: number; score: number; hostile: boolean }> = [];
  for (const [id, m] of members) {
    for (const [other, count] of Object.entries(m.repliesTo)) {
      if (Number(id) < Number(other)) {
        const back = state.members[other]?.repliesTo[id] ?? 0;
        if (back > 0)
          pairs.push({
            a: Number(id),
            b: Number(other),
            score: Math.min(count, back),
            hostile: m.negative > m.positive,
          });
      }
    }
  }
  return {
    chatId,
    mode: state.settings.mode,
    generatedAt: new Date(nowMs).toISOString(),
    messages: members.reduce((n, [, m]) => n + m.messages, 0),
    activityByHour: [...state.hours],
    activityByDay: Object.entries(state.days)
      .sort((a, b) => a[0].localeCompare(b[0]))
      .map(([day, messages]) => ({ day, messages })),
    mood: {
      score,
      label: score > 0.2 ? 'positive' : score < -0.5 ? 'tense' : score < -0.2 ? 'negative' : 'neutral',
      trend: [],
    },
    topMembers: members
      .map(([id, m]) => ({ userId: Number(id), displayName: m.name, messages: m.messages }))
      .sort((a, b) => b.messages - a.messages || a.userId - b.userId)
      .slice(0, 10),
    allies: pairs.filter((p) => !p.hostile).map(({ a, b, score: s }) => ({ a, b, score: s })),
    conflicts: pairs.filter((p) => p.hostile).map(({ a, b, score: s }) => ({ a, b, score: s, evidence: [] })),
    topWords: top(state.words, 15).map(([word, count]) => ({ word, count })),
  };
}
