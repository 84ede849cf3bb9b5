import { type Static, Type } from 'typebox';
import { ChatMode } from './chat.js';
import { DateTime } from './pagination.js';

const WordCount = Type.Object({ word: Type.String(), count: Type.Integer({ minimum: 0 }) });
const UserCount = Type.Object({ userId: Type.Integer(), count: Type.Integer({ minimum: 0 }) });
const Day = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'UTC day, YYYY-MM-DD' });
const Hours = Type.Array(Type.Integer({ minimum: 0 }), {
  minItems: 24,
  maxItems: 24,
  description: 'messages per hour of day, UTC',
});

/** What the bot learned about one member of one chat. */
export const UserAnalytics = Type.Object({
  userId: Type.Integer(),
  messages: Type.Integer({ minimum: 0 }),
  avgLength: Type.Number({ minimum: 0 }),
  toxicity: Type.Number({ minimum: 0, maximum: 1 }),
  tone: Type.Object({
    positive: Type.Number({ minimum: 0, maximum: 1 }),
    neutral: Type.Number({ minimum: 0, maximum: 1 }),
    negative: Type.Number({ minimum: 0, maximum: 1 }),
  }),
  languages: Type.Array(Type.String()),
  favouriteWords: Type.Array(WordCount),
  activityByHour: Hours,
  repliesTo: Type.Array(UserCount),
  repliedBy: Type.Array(UserCount),
});
export type UserAnalytics = Static<typeof UserAnalytics>;

const Pair = { a: Type.Integer(), b: Type.Integer(), score: Type.Number() };

/** The chat report: activity, mood, who talks, who sides with or fights whom. */
export const ChatReport = Type.Object({
  chatId: Type.Integer(),
  mode: ChatMode,
  generatedAt: DateTime,
  messages: Type.Integer({ minimum: 0 }),
  activityByHour: Hours,
  activityByDay: Type.Array(Type.Object({ day: Day, messages: Type.Integer({ minimum: 0 }) })),
  mood: Type.Object({
    score: Type.Number({ minimum: -1, maximum: 1 }),
    label: Type.Enum(['positive', 'neutral', 'negative', 'tense']),
    trend: Type.Array(Type.Object({ day: Day, score: Type.Number({ minimum: -1, maximum: 1 }) })),
  }),
  topMembers: Type.Array(
    Type.Object({ userId: Type.Integer(), displayName: Type.String(), messages: Type.Integer({ minimum: 0 }) }),
  ),
  allies: Type.Array(Type.Object(Pair)),
  conflicts: Type.Array(Type.Object({ ...Pair, evidence: Type.Array(Type.Integer(), { description: 'message ids' }) })),
  topWords: Type.Array(WordCount),
});
export type ChatReport = Static<typeof ChatReport>;

/** Where an insight came from: the live actor, a stored snapshot, or nowhere (never seen). */
export const InsightSource = Type.Enum(['live', 'snapshot', 'none']);
export type InsightSource = Static<typeof InsightSource>;
