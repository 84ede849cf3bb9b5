import type { MemberExportRow } from '../ports/chat-directory.js';
import type { UserAnalytics } from '../schemas/insights.js';
import type { MessageView } from '../schemas/message.js';
import type { Column } from './export-stream.js';

export type AnalyticsExportRow = UserAnalytics & { chatId: number };

/** `key:count` pairs separated by spaces, e.g. `привет:12 ok:3`. */
function pairs<T extends { count: number }>(items: readonly T[], key: (item: T) => string | number): string {
  return items.map((item) => `${key(item)}:${item.count}`).join(' ');
}

/** CSV columns of each export kind (JSON exports carry the rows as the API shows them). */
export const exportColumns = {
  messages: [
    { header: 'chat_id', value: (m) => m.chatId },
    { header: 'message_id', value: (m) => m.messageId },
    { header: 'date', value: (m) => m.date },
    { header: 'user_id', value: (m) => m.userId },
    { header: 'display_name', value: (m) => m.displayName },
    { header: 'reply_to_message_id', value: (m) => m.replyToMessageId },
    { header: 'text', value: (m) => m.text },
  ] satisfies Array<Column<MessageView>>,
  members: [
    { header: 'chat_id', value: (m) => m.chatId },
    { header: 'user_id', value: (m) => m.userId },
    { header: 'username', value: (m) => m.username },
    { header: 'display_name', value: (m) => m.displayName },
    { header: 'messages', value: (m) => m.messages },
    { header: 'first_seen_at', value: (m) => m.firstSeenAt },
    { header: 'last_seen_at', value: (m) => m.lastSeenAt },
  ] satisfies Array<Column<MemberExportRow>>,
  analytics: [
    { header: 'chat_id', value: (a) => a.chatId },
    { header: 'user_id', value: (a) => a.userId },
    { header: 'messages', value: (a) => a.messages },
    { header: 'avg_length', value: (a) => a.avgLength },
    { header: 'toxicity', value: (a) => a.toxicity },
    { header: 'tone_positive', value: (a) => a.tone.positive },
    { header: 'tone_neutral', value: (a) => a.tone.neutral },
    { header: 'tone_negative', value: (a) => a.tone.negative },
    { header: 'languages', value: (a) => a.languages.join(' ') },
    { header: 'favourite_words', value: (a) => pairs(a.favouriteWords, (w) => w.word) },
    { header: 'replies_to', value: (a) => pairs(a.repliesTo, (u) => u.userId) },
    { header: 'replied_by', value: (a) => pairs(a.repliedBy, (u) => u.userId) },
    { header: 'activity_by_hour', value: (a) => a.activityByHour.join(' ') },
  ] satisfies Array<Column<AnalyticsExportRow>>,
};
