import type { StoredMemberData } from '../ports/index.js';

/** The format name and version of a member's data export, so a reader knows what it holds. */
export const MEMBER_EXPORT_FORMAT = 'lekha-member-data/1';

/**
 * Everything Lekha stores about one member (GDPR Art. 15/20): the durable
 * tables and, per chat, what the chat's state keeps (profile, analytics,
 * recent history). Times are ISO 8601.
 */
export interface MemberExport extends StoredMemberData {
  format: typeof MEMBER_EXPORT_FORMAT;
  userId: number;
  exportedAt: string;
  /** Per chat: the chat state's profile, analytics and recent messages of the member. */
  chats: Array<Record<string, unknown>>;
  /** What the export leaves out on purpose, in words. */
  notes: string[];
}

export const EXPORT_NOTES = [
  'Feedback (reactions and replies to the bot) is kept only as totals on the memories it changed; no row records who gave it.',
  'Messages are stored PII-redacted: phone numbers, e-mail addresses and similar are masked before they are kept.',
  "Other members appear by user id only; their names and words are theirs, not part of this member's data.",
];
