import type { ArchivedChat, ArchivedMessage, ArchivedUser, ChatArchive, FieldCipher } from '../ports/index.js';
import type { Logger, MetricsRegistry } from '../runtime/index.js';
import type { AppendTable, AppendWriter } from './append-writer.js';
import { asBuffer, type MessageRow, messagesTable } from './messages-table.js';
import { PlainCipher } from './plain-cipher.js';
import { DroppingAppends, LazyRow, lazily } from './read-model-appends.js';

/** A chat row with its names sealed: title and @username under one key id, and the title's blind index. */
export interface SealedChatRow {
  chatId: number;
  type: ArchivedChat['type'];
  mode: string;
  lastActivityMs: number;
  titleCipher: Uint8Array | null;
  usernameCipher: Uint8Array | null;
  nameKeyId: number;
  titleTsv: string | null;
}

/** A user row with its names sealed under one key id, the keyed digest of the @username and the names' blind index. */
export interface SealedUserRow {
  userId: number;
  languageCode: string | null;
  isBot: boolean;
  usernameCipher: Uint8Array | null;
  firstNameCipher: Uint8Array;
  lastNameCipher: Uint8Array | null;
  nameKeyId: number;
  usernameDigest: string | null;
  nameTsv: string | null;
}

/** `chats`, upserted: the newest title, type and mode win; the latest activity is kept. */
export const archivedChatsTable: AppendTable<SealedChatRow> = {
  name: 'chats',
  conflict: ['id'],
  upsert: {
    replace: ['type', 'title_cipher', 'username_cipher', 'name_key_id', 'title_tsv', 'mode'],
    greatest: ['last_activity_at'],
    touch: 'updated_at',
  },
  columns: [
    { name: 'id', type: 'bigint', value: (r) => r.chatId },
    { name: 'type', type: 'text', value: (r) => r.type },
    { name: 'title_cipher', type: 'bytea', value: (r) => asBuffer(r.titleCipher) },
    { name: 'username_cipher', type: 'bytea', value: (r) => asBuffer(r.usernameCipher) },
    { name: 'name_key_id', type: 'integer', value: (r) => r.nameKeyId },
    { name: 'title_tsv', type: 'tsvector', value: (r) => r.titleTsv },
    { name: 'mode', type: 'text', value: (r) => r.mode },
    { name: 'last_activity_at', type: 'timestamptz', value: (r) => new Date(r.lastActivityMs) },
  ],
};

/** `users`, upserted: names are labels that change, the newest wins. */
export const archivedUsersTable: AppendTable<SealedUserRow> = {
  name: 'users',
  conflict: ['id'],
  upsert: {
    replace: [
      'username_cipher',
      'first_name_cipher',
      'last_name_cipher',
      'name_key_id',
      'username_digest',
      'name_tsv',
      'language_code',
      'is_bot',
    ],
    touch: 'updated_at',
  },
  columns: [
    { name: 'id', type: 'bigint', value: (r) => r.userId },
    { name: 'username_cipher', type: 'bytea', value: (r) => asBuffer(r.usernameCipher) },
    { name: 'first_name_cipher', type: 'bytea', value: (r) => asBuffer(r.firstNameCipher) },
    { name: 'last_name_cipher', type: 'bytea', value: (r) => asBuffer(r.lastNameCipher) },
    { name: 'name_key_id', type: 'integer', value: (r) => r.nameKeyId },
    { name: 'username_digest', type: 'text', value: (r) => r.usernameDigest },
    { name: 'name_tsv', type: 'tsvector', value: (r) => r.nameTsv },
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

/** Chats whose sealed names are kept for reuse (about 200 bytes each). */
const SEALED_CHATS_KEPT = 10_000;

const lazyChats = lazily<ArchivedChat, SealedChatRow>(archivedChatsTable);
const lazyUsers = lazily<ArchivedUser, SealedUserRow>(archivedUsersTable);
const lazyMessages = lazily<ArchivedMessage, MessageRow>(archivedMessagesTable);

/**
 * What chat actors record for the admin API — chats, users, messages and
 * members — written behind through the batched append writer: one
 * statement per table and batch, never awaited by the actor's turn. Text
 * and names are sealed by the field cipher (key id 0: plain UTF-8, no key)
 * when the writer takes the rows, with keyed digests so admins can still
 * search them.
 *
 * When the database has fallen so far behind that the writer's queue is
 * full, rows are dropped (counted and logged) rather than failing the turn:
 * the archive is a read model for admins, not the chat's state.
 */
export class StorageChatArchive implements ChatArchive {
  private readonly appends: DroppingAppends;
  private readonly cipher: FieldCipher;
  /** The sealed names of recently recorded chats, least recently recorded first. */
  private readonly sealedChats = new Map<
    number,
    { title: string | null; username: string | null; row: SealedChatRow }
  >();

  constructor(
    appends: AppendWriter,
    options: { metrics?: MetricsRegistry; logger?: Logger; cipher?: FieldCipher } = {},
  ) {
    this.cipher = options.cipher ?? new PlainCipher();
    this.appends = new DroppingAppends(
      appends,
      {
        metric: 'lekha_archive_rows_dropped_total',
        help: 'Chat archive rows dropped because the append queue was full',
        what: 'chat archive rows',
      },
      options,
    );
  }

  chat(row: ArchivedChat): void {
    this.appends.append(lazyChats, new LazyRow(row, this.sealChat));
  }

  user(row: ArchivedUser): void {
    this.appends.append(lazyUsers, new LazyRow(row, this.sealUser));
  }

  message(row: ArchivedMessage): void {
    this.appends.append(lazyMessages, new LazyRow(row, this.sealMessage));
  }

  // A chat is recorded with every message; its names rarely change, so the
  // sealed names are reused while they stay the same (mode and activity are plain).
  private readonly sealChat = (row: ArchivedChat): SealedChatRow => {
    const known = this.sealedChats.get(row.chatId);
    let sealed: SealedChatRow;
    if (known !== undefined && known.title === row.title && known.username === row.username) {
      sealed = { ...known.row, type: row.type, mode: row.mode, lastActivityMs: row.lastActivityMs };
    } else {
      sealed = sealChat(this.cipher, row);
      if (this.sealedChats.size >= SEALED_CHATS_KEPT)
        this.sealedChats.delete(this.sealedChats.keys().next().value as number);
    }
    this.sealedChats.delete(row.chatId);
    this.sealedChats.set(row.chatId, { title: row.title, username: row.username, row: sealed });
    return sealed;
  };

  private readonly sealUser = (row: ArchivedUser): SealedUserRow => sealUser(this.cipher, row);

  private readonly sealMessage = (row: ArchivedMessage): MessageRow => {
    const sealed = this.cipher.sealText(row.text);
    return {
      chatId: row.chatId,
      messageId: row.messageId,
      userId: row.userId,
      replyToMessageId: row.replyToMessageId,
      sentAt: new Date(row.sentAtMs),
      kind: 'text',
      textCipher: sealed.bytes,
      textKeyId: sealed.keyId,
      searchTsv: tsvectorOf(this.cipher.searchDigests(row.text)),
    };
  };
}

/** A chat's names sealed under one key, with the title's blind index. */
export function sealChat(cipher: FieldCipher, row: ArchivedChat): SealedChatRow {
  const [title, username] = sealAll(cipher, [row.title, row.username]);
  return {
    chatId: row.chatId,
    type: row.type,
    mode: row.mode,
    lastActivityMs: row.lastActivityMs,
    titleCipher: title ?? null,
    usernameCipher: username ?? null,
    nameKeyId: cipher.writeKeyId,
    titleTsv: tsvectorOf(cipher.searchDigests(`${row.title ?? ''} ${row.username ?? ''}`)),
  };
}

/** A user's names sealed under one key, with the @username's digest and the names' blind index. */
export function sealUser(cipher: FieldCipher, row: ArchivedUser): SealedUserRow {
  const [username, firstName, lastName] = sealAll(cipher, [row.username, row.firstName, row.lastName]);
  return {
    userId: row.userId,
    languageCode: row.languageCode,
    isBot: row.isBot,
    usernameCipher: username ?? null,
    firstNameCipher: firstName ?? new Uint8Array(),
    lastNameCipher: lastName ?? null,
    nameKeyId: cipher.writeKeyId,
    usernameDigest: row.username === null ? null : cipher.exactDigest(row.username.toLowerCase()),
    nameTsv: tsvectorOf(cipher.searchDigests(`${row.firstName} ${row.lastName ?? ''} ${row.username ?? ''}`)),
  };
}

/** Each value sealed with the writing key (null stays null). */
function sealAll(cipher: FieldCipher, values: readonly (string | null)[]): (Uint8Array | null)[] {
  return values.map((value) => (value === null ? null : cipher.sealText(value).bytes));
}

/**
 * A tsvector of blind-index digests in Postgres' text form (hex digests need
 * no quoting); null when there are none (no key, or no words).
 */
export function tsvectorOf(digests: readonly string[]): string | null {
  return digests.length === 0 ? null : digests.join(' ');
}
