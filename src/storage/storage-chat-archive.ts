import type { ArchivedChat, ArchivedMessage, ArchivedUser, ChatArchive } from '../ports/index.js';
import { type Logger, MetricsRegistry } from '../runtime/index.js';
import type { AppendTable, AppendWriter } from './append-writer.js';
import { AppendQueueFullError } from './errors.js';
import { type MessageRow, messagesTable } from './messages-table.js';

/** `chats`, upserted: the newest title, type and mode win; the latest activity is kept. */
export const archivedChatsTable: AppendTable<ArchivedChat> = {
  name: 'chats',
  conflict: ['id'],
  upsert: { replace: ['type', 'title', 'username', 'mode'], greatest: ['last_activity_at'], touch: 'updated_at' },
  columns: [
    { name: 'id', type: 'bigint', value: (r) => r.chatId },
    { name: 'type', type: 'text', value: (r) => r.type },
    { name: 'title', type: 'text', value: (r) => r.title },
    { name: 'username', type: 'text', value: (r) => r.username },
    { name: 'mode', type: 'text', value: (r) => r.mode },
    { name: 'last_activity_at', type: 'timestamptz', value: (r) => new Date(r.lastActivityMs) },
  ],
};

/** `users`, upserted: names are labels that change, the newest wins. */
export const archivedUsersTable: AppendTable<ArchivedUser> = {
  name: 'users',
  conflict: ['id'],
  upsert: { replace: ['username', 'first_name', 'last_name', 'language_code', 'is_bot'], touch: 'updated_at' },
  columns: [
    { name: 'id', type: 'bigint', value: (r) => r.userId },
    { name: 'username', type: 'text', value: (r) => r.username },
    { name: 'first_name', type: 'text', value: (r) => r.firstName },
    { name: 'last_name', type: 'text', value: (r) => r.lastName },
    { name: 'language_code', type: 'text', value: (r) => r.languageCode },
    { name: 'is_bot', type: 'boolean', value: (r) => r.isBot },
  ],
};

/**
 * `messages`, appended (a message stored twice is skipped), and in the same
 * statement the `members` row of each author: messages counted, first and
 * last seen. Only rows actually inserted are counted, so a batch retried
 * after an unclear failure counts nothing twice.
 */
export const archivedMessagesTable: AppendTable<MessageRow> = {
  name: 'messages',
  conflict: messagesTable.conflict,
  columns: messagesTable.columns,
  afterInsert: {
    returning: ['chat_id', 'user_id', 'sent_at'],
    sql: `INSERT INTO members (chat_id, user_id, message_count, first_seen_at, last_seen_at)
      SELECT chat_id, user_id, count(*), min(sent_at), max(sent_at) FROM inserted WHERE user_id IS NOT NULL GROUP BY chat_id, user_id
      ON CONFLICT (chat_id, user_id) DO UPDATE SET
        message_count = members.message_count + EXCLUDED.message_count,
        first_seen_at = LEAST(members.first_seen_at, EXCLUDED.first_seen_at),
        last_seen_at = GREATEST(members.last_seen_at, EXCLUDED.last_seen_at)`,
  },
};

const utf8 = new TextEncoder();

/**
 * What chat actors record for the admin API — chats, users, messages and
 * members — written behind through the batched append writer: one
 * statement per table and batch, never awaited by the actor's turn. Text is
 * stored as UTF-8 with key id 0 until encryption at rest lands.
 *
 * When the database has fallen so far behind that the writer's queue is
 * full, rows are dropped (counted and logged) rather than failing the turn:
 * the archive is a read model for admins, not the chat's state.
 */
export class StorageChatArchive implements ChatArchive {
  private readonly dropped;
  private droppedSinceLog = 0;

  constructor(
    private readonly appends: AppendWriter,
    private readonly options: { metrics?: MetricsRegistry; logger?: Logger } = {},
  ) {
    this.dropped = (options.metrics ?? new MetricsRegistry()).counter(
      'lekha_archive_rows_dropped_total',
      'Chat archive rows dropped because the append queue was full',
    );
  }

  chat(row: ArchivedChat): void {
    this.append(archivedChatsTable, row);
  }

  user(row: ArchivedUser): void {
    this.append(archivedUsersTable, row);
  }

  message(row: ArchivedMessage): void {
    this.append(archivedMessagesTable, {
      chatId: row.chatId,
      messageId: row.messageId,
      userId: row.userId,
      replyToMessageId: row.replyToMessageId,
      sentAt: new Date(row.sentAtMs),
      kind: 'text',
      textCipher: utf8.encode(row.text),
      textKeyId: 0,
    });
  }

  private append<R>(table: AppendTable<R>, row: R): void {
    try {
      this.appends.append(table, row);
    } catch (error) {
      if (!(error instanceof AppendQueueFullError)) throw error;
      this.dropped.inc();
      // One log line per burst: a full queue means thousands of drops a second.
      if (this.droppedSinceLog++ % 1000 === 0)
        this.options.logger?.error(
          { err: error, dropped: this.dropped.value },
          'chat archive rows dropped: the database is too far behind',
        );
    }
  }
}
