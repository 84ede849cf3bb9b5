import { type ChatReport, chatReport } from './chat-report.js';
import type { ChatState } from './chat-state.js';
import { fnv1a } from './fnv-hash.js';
import type { ChatCompletionMessage } from './persona-prompt.js';
import { TtlCache, type TtlCacheStats } from './ttl-cache.js';
import { type UserAnalytics, userAnalytics } from './user-analytics.js';

/** Which derived values a state change made stale. */
export interface StateChange {
  /** Members whose analytics changed (sender, the member they answered or mentioned). */
  userIds: readonly number[];
}

/**
 * The chat actor's cache of expensive derived values: the chat report, user
 * analytics, and model replies to identical prompts within a short window.
 * State changes invalidate explicitly ({@link DerivedCache.invalidate}); the
 * TTL bounds how long anything is kept at all. Not persisted: a restarted
 * actor starts cold.
 */
export class DerivedCache {
  private readonly reports: TtlCache<ChatReport>;
  private readonly users: TtlCache<UserAnalytics | null>;
  private readonly replies: TtlCache<string>;

  constructor(options: { ttlMs?: number; replyTtlMs?: number; maxUsers?: number } = {}) {
    this.reports = new TtlCache(options.ttlMs ?? 30_000, 1);
    this.users = new TtlCache(options.ttlMs ?? 30_000, options.maxUsers ?? 32);
    this.replies = new TtlCache(options.replyTtlMs ?? 60_000, 16);
  }

  chatReport(state: ChatState, nowMs: number): ChatReport {
    return this.reports.getOrCompute('report', nowMs, () => chatReport(state, nowMs));
  }

  userAnalytics(state: ChatState, userId: number, nowMs: number): UserAnalytics | null {
    return this.users.getOrCompute(String(userId), nowMs, () => userAnalytics(state, userId, nowMs));
  }

  /** A model reply produced for exactly these messages a moment ago, if any. */
  replyFor(messages: readonly ChatCompletionMessage[], nowMs: number): string | undefined {
    return this.replies.get(promptKey(messages), nowMs);
  }

  rememberReply(messages: readonly ChatCompletionMessage[], text: string, nowMs: number): void {
    this.replies.set(promptKey(messages), text, nowMs);
  }

  /**
   * Drops what a state change made stale. The report depends on everything;
   * a member's analytics on their own profile and relations.
   */
  invalidate(change: StateChange): void {
    this.reports.invalidate('report');
    for (const id of change.userIds) this.users.invalidate(String(id));
  }

  /** Drops every derived value (settings changed, state restored). */
  clear(): void {
    this.reports.clear();
    this.users.clear();
    this.replies.clear();
  }

  stats(): { reports: TtlCacheStats; users: TtlCacheStats; replies: TtlCacheStats } {
    return { reports: this.reports.stats(), users: this.users.stats(), replies: this.replies.stats() };
  }
}

function promptKey(messages: readonly ChatCompletionMessage[]): string {
  let key = '';
  for (const m of messages) key += `${m.role}:${m.content.length}:${fnv1a(m.content).toString(36)};`;
  return key;
}
