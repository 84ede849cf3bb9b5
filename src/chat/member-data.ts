import type { ChatState, HistoryEntry, StoredMemberProfile } from './chat-state.js';
import { storedMember } from './chat-state-schema.js';
import { type UserAnalytics, userAnalytics } from './user-analytics.js';

/**
 * What one chat's state holds about one member, for their data export: the
 * profile as stored, the analytics computed from it, and their messages in
 * the recent history. Other members appear by user id only (names of others
 * are their data, not this member's).
 */
export interface MemberChatData {
  chatId: number;
  profile: Omit<StoredMemberProfile, 'bucket' | 'flood'> | null;
  analytics: UserAnalytics | null;
  history: Array<Pick<HistoryEntry, 'id' | 'ms' | 'text' | 'replyTo'>>;
}

/** The member's data in the chat; `null` when the chat holds nothing about them. */
export function memberChatData(state: ChatState, userId: number, nowMs: number): MemberChatData | null {
  const stored = state.members[String(userId)];
  const history = state.history
    .filter((h) => !h.bot && h.from === userId)
    .map(({ id, ms, text, replyTo }) => ({ id, ms, text, replyTo }));
  if (stored === undefined && history.length === 0) return null;
  let profile: MemberChatData['profile'] = null;
  if (stored !== undefined) {
    // Rate-limiter and flood-window bookkeeping say nothing about the person.
    const { bucket: _bucket, flood: _flood, ...rest } = structuredClone(storedMember(stored));
    profile = rest;
  }
  const analytics = userAnalytics(state, userId, nowMs);
  if (analytics !== null) {
    const anonymous = (list: UserAnalytics['relations']['allies']) => list.map((r) => ({ ...r, name: '' }));
    const r = analytics.relations;
    analytics.relations = {
      repliesTo: anonymous(r.repliesTo),
      repliedBy: anonymous(r.repliedBy),
      allies: anonymous(r.allies),
      conflicts: anonymous(r.conflicts),
    };
  }
  return { chatId: state.chatId, profile, analytics, history };
}
