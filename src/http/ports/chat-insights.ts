import type { ChatSettings } from '../schemas/chat.js';
import type { ChatReport, UserAnalytics } from '../schemas/insights.js';
import type { DebugPrompt } from '../schemas/prompt.js';

/** A value read from actor state, and whether it came from the live actor or its stored snapshot. */
export interface Sourced<T> {
  value: T;
  source: 'live' | 'snapshot';
}

/**
 * Reads derived from a chat actor's state: the chat report, member
 * analytics and settings. `undefined`: the chat has no state at all.
 * `LiveFirstChatInsights` implements it by asking live actors and computing
 * from stored snapshots for the others.
 */
export interface ChatInsights {
  chatReport(chatId: number): Promise<Sourced<ChatReport> | undefined>;
  userAnalytics(chatId: number, userId: number): Promise<Sourced<UserAnalytics> | undefined>;
  allUserAnalytics(chatId: number): Promise<Sourced<UserAnalytics[]> | undefined>;
  settings(chatId: number): Promise<Sourced<ChatSettings> | undefined>;
  /** The last prompt the chat's live actor sent to the model; null when the actor is not live or has built none yet. */
  lastPrompt(chatId: number): Promise<DebugPrompt | null>;
}
