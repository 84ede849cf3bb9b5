import type {
  FieldCipher,
  ChatDirectory,
  ChatListRequest,
  ChatMode,
  ChatSummary,
  ChatType,
  ExportFilter,
  MemberExportRow,
  MemberListRequest,
  MemberSummary,
  MessageSearchRequest,
  MessageView,
  Page,
} from '../ports/index.js';
import { type Clock, KeysetCursor, keysetPage, SystemClock } from '../runtime/index.js';
import type { Queryable } from './database.js';
import { InvalidCursorError } from './errors.js';
import { PlainCipher } from './plain-cipher.js';

export interface PostgresChatDirectoryOptions {
  /** "Today" for the messages-today figure. */
  clock?: Pick<Clock, 'now'>;
  /** Rows read per statement by the export streams (default 1000). */
  exportBatchRows?: number;
  /** Opens sealed text and names, and keys the blind-index digests of searches; absent: plain rows only. */
  cipher?: FieldCipher;
}

/** The sealed names of a user as selected by `USER_NAME_COLUMNS` (all null: no `users` row). */
interface UserNames {
  u_username: Uint8Array | null;
  u_first_name: Uint8Array | null;
  u_last_name: Uint8Array | null;
  u_key_id: number | null;
}

interface ChatRow {
  id: number;
  title_cipher: Uint8Array | null;
  username_cipher: Uint8Array | null;
  name_key_id: number;
  type: string;
  mode: string;
  members: number;
  messages_today: number;
  last_activity_at: Date | null;
  activity_ms: number;
}

interface MemberRow extends UserNames {
  chat_id: number;
  user_id: number;
  message_count: number;
  first_seen_at: Date;
  last_seen_at: Date;
}

interface MessageRow extends UserNames {
  chat_id: number;
  message_id: number;
  user_id: number | null;
  sent_at: Date;
  text_cipher: Uint8Array | null;
  text_key_id: number;
  reply_to_message_id: number | null;
}

const CHAT_COLUMNS = `c.id, c.title_cipher, c.username_cipher, c.name_key_id, c.type, c.mode, c.last_activity_at,
  COALESCE((extract(epoch FROM c.last_activity_at) * 1000)::bigint, -1) AS activity_ms,
  (SELECT count(*) FROM members m WHERE m.chat_id = c.id)::int AS members,
  (SELECT count(*) FROM messages g WHERE g.chat_id = c.id AND g.sent_at >= $1)::int AS messages_today`;

const USER_NAME_COLUMNS = `u.username_cipher AS u_username, u.first_name_cipher AS u_first_name,
  u.last_name_cipher AS u_last_name, u.name_key_id AS u_key_id`;

const MEMBER_COLUMNS = `m.chat_id, m.user_id, ${USER_NAME_COLUMNS}, m.message_count, m.first_seen_at, m.last_seen_at`;

const MESSAGE_COLUMNS = `g.chat_id, g.message_id, g.user_id, ${USER_NAME_COLUMNS},
  g.sent_at, g.text_cipher, g.text_key_id, g.reply_to_message_id`;

/** The tsquery of a search: the words under the Russian and the English configuration, either matching. */
const SEARCH_QUERY = (p: string): string =>
  `(websearch_to_tsquery('russian', ${p}) || websearch_to_tsquery('english', ${p}))`;

/**
 * Chats, members and messages as the admin API lists, searches and exports
 * them, read from the tables the chat archive writes. Reads never touch
 * actors. Lists use keyset pagination (the cursor is the last row's sort
 * key, so a page costs the same at any depth); message search is Postgres
 * full-text search over `messages.search_tsv` (Russian and English word
 * forms, GIN-indexed); exports read in keyset batches so no statement
 * holds a whole table.
 *
 * Sealed rows (a key id other than 0) are opened here with the field
 * cipher, and searched through their blind index: every word of the query
 * (stemmed, as written) must be among the row's keyed digests, under any
 * configured key. Operators of web-search syntax (phrases, -not, or) apply
 * to plaintext rows only. Names and titles of sealed rows match by whole
 * words or the exact @username, not by any part of them.
 */
export class PostgresChatDirectory implements ChatDirectory {
  private readonly clock: Pick<Clock, 'now'>;
  private readonly batchRows: number;
  private readonly cipher: FieldCipher;

  constructor(
    private readonly db: Queryable,
    options: PostgresChatDirectoryOptions = {},
  ) {
    this.clock = options.clock ?? new SystemClock();
    this.batchRows = options.exportBatchRows ?? 1000;
    this.cipher = options.cipher ?? new PlainCipher();
  }

  /** Every stored chat (the `chats` table), active or passivated. */
  async countChats(): Promise<number> {
    const result = await this.db.query<{ n: number }>('SELECT count(*)::int AS n FROM chats');
    return result.rows[0]?.n ?? 0;
  }

  /** Most recently active first; `query` matches the title case-insensitively, or the exact chat id. */
  async listChats(request: ChatListRequest): Promise<Page<ChatSummary>> {
    const params: unknown[] = [this.todayStart()];
    const where: string[] = [];
    if (request.query !== undefined) {
      params.push(likePattern(request.query), request.query.trim());
      const match = [`(c.name_key_id = 0 AND ${folded(plainText('c.title_cipher'))} LIKE $2)`, `c.id::text = $3`];
      const blind = blindQuery(this.cipher, request.query);
      if (blind !== null) {
        params.push(blind);
        match.push(`c.title_tsv @@ $${params.length}::tsquery`);
      }
      where.push(`(${match.join(' OR ')})`);
    }
    if (request.cursor !== undefined) {
      const [activityMs, id] = KeysetCursor.decode(request.cursor, ['number', 'number'], InvalidCursorError);
      params.push(activityMs, id);
      const a = `$${params.length - 1}`;
      const i = `$${params.length}`;
      where.push(`(COALESCE((extract(epoch FROM c.last_activity_at) * 1000)::bigint, -1) < ${a}
        OR (COALESCE((extract(epoch FROM c.last_activity_at) * 1000)::bigint, -1) = ${a} AND c.id > ${i}))`);
    }
    params.push(request.limit + 1);
    const result = await this.db.query<ChatRow>(
      `SELECT ${CHAT_COLUMNS} FROM chats c ${where.length === 0 ? '' : `WHERE ${where.join(' AND ')}`}
       ORDER BY c.last_activity_at DESC NULLS LAST, c.id LIMIT $${params.length}`,
      params,
    );
    return keysetPage(
      result.rows,
      request.limit,
      (row) => chatOf(row, this.cipher),
      (row) => [row.activity_ms, row.id],
    );
  }

  async getChat(chatId: number): Promise<ChatSummary | undefined> {
    const result = await this.db.query<ChatRow>(`SELECT ${CHAT_COLUMNS} FROM chats c WHERE c.id = $2`, [
      this.todayStart(),
      chatId,
    ]);
    const row = result.rows[0];
    return row === undefined ? undefined : chatOf(row, this.cipher);
  }

  /** Most active first; `query` matches display name or username case-insensitively. */
  async listMembers(chatId: number, request: MemberListRequest): Promise<Page<MemberSummary>> {
    const params: unknown[] = [chatId];
    const where = ['m.chat_id = $1'];
    if (request.query !== undefined) {
      const username = request.query.trim().replace(/^@/, '').toLowerCase();
      params.push(likePattern(request.query), likePattern(username));
      const plainNames = `${plainText('u.first_name_cipher')} || ' ' || ${plainText('u.last_name_cipher')}`;
      const match = [
        `(u.name_key_id = 0 AND (${folded(plainNames)} LIKE $2 OR ${folded(plainText('u.username_cipher'))} LIKE $3))`,
      ];
      const exact = this.cipher.exactDigests(username);
      if (exact.length > 0) {
        params.push(exact);
        match.push(`u.username_digest = ANY($${params.length}::text[])`);
      }
      const blind = blindQuery(this.cipher, request.query);
      if (blind !== null) {
        params.push(blind);
        match.push(`u.name_tsv @@ $${params.length}::tsquery`);
      }
      where.push(`(${match.join(' OR ')})`);
    }
    if (request.cursor !== undefined) {
      const [count, userId] = KeysetCursor.decode(request.cursor, ['number', 'number'], InvalidCursorError);
      params.push(count, userId);
      where.push(
        `(m.message_count < $${params.length - 1} OR (m.message_count = $${params.length - 1} AND m.user_id > $${params.length}))`,
      );
    }
    params.push(request.limit + 1);
    const result = await this.db.query<MemberRow>(
      `SELECT ${MEMBER_COLUMNS} FROM members m LEFT JOIN users u ON u.id = m.user_id
       WHERE ${where.join(' AND ')} ORDER BY m.message_count DESC, m.user_id LIMIT $${params.length}`,
      params,
    );
    return keysetPage(
      result.rows,
      request.limit,
      (row) => memberOf(row, this.cipher),
      (row) => [row.message_count, row.user_id],
    );
  }

  async getMember(chatId: number, userId: number): Promise<MemberSummary | undefined> {
    const result = await this.db.query<MemberRow>(
      `SELECT ${MEMBER_COLUMNS} FROM members m LEFT JOIN users u ON u.id = m.user_id WHERE m.chat_id = $1 AND m.user_id = $2`,
      [chatId, userId],
    );
    const row = result.rows[0];
    return row === undefined ? undefined : memberOf(row, this.cipher);
  }

  /**
   * Newest first. `q` is a web-search style query (words, "phrases", -not,
   * or) matched against Russian and English word forms; `from`/`to` are
   * inclusive ISO date-times.
   */
  async searchMessages(chatId: number, request: MessageSearchRequest): Promise<Page<MessageView>> {
    const params: unknown[] = [chatId];
    const where = ['g.chat_id = $1'];
    const add = (sql: (p: string) => string, value: unknown): void => {
      params.push(value);
      where.push(sql(`$${params.length}`));
    };
    if (request.q !== undefined && request.q.trim().length > 0) {
      // Plaintext rows match Postgres' own word forms, sealed rows their blind index.
      const blind = blindQuery(this.cipher, request.q);
      params.push(request.q);
      const plain = `g.search_tsv @@ ${SEARCH_QUERY(`$${params.length}`)}`;
      if (blind === null) where.push(plain);
      else {
        params.push(blind);
        where.push(`(${plain} OR g.search_tsv @@ $${params.length}::tsquery)`);
      }
    }
    if (request.from !== undefined) add((p) => `g.sent_at >= ${p}`, request.from);
    if (request.to !== undefined) add((p) => `g.sent_at <= ${p}`, request.to);
    if (request.userId !== undefined) add((p) => `g.user_id = ${p}`, request.userId);
    if (request.cursor !== undefined) {
      const [sentMs, messageId] = KeysetCursor.decode(request.cursor, ['number', 'number'], InvalidCursorError);
      const sentAt = new Date(sentMs);
      if (Number.isNaN(sentAt.getTime())) throw new InvalidCursorError();
      params.push(sentAt, messageId);
      where.push(`(g.sent_at, g.message_id) < ($${params.length - 1}, $${params.length})`);
    }
    params.push(request.limit + 1);
    const result = await this.db.query<MessageRow>(
      `SELECT ${MESSAGE_COLUMNS} FROM messages g LEFT JOIN users u ON u.id = g.user_id
       WHERE ${where.join(' AND ')} ORDER BY g.sent_at DESC, g.message_id DESC LIMIT $${params.length}`,
      params,
    );
    return keysetPage(
      result.rows,
      request.limit,
      (row) => messageOf(row, this.cipher),
      (row) => [row.sent_at.getTime(), row.message_id],
    );
  }

  /** Every matching message, by chat then oldest first, read `exportBatchRows` at a time. */
  async *streamMessages(filter: ExportFilter): AsyncIterable<MessageView> {
    let after: [number, Date, number] | undefined;
    for (;;) {
      const params: unknown[] = [];
      const where: string[] = [];
      const add = (sql: (p: string) => string, value: unknown): void => {
        params.push(value);
        where.push(sql(`$${params.length}`));
      };
      if (filter.chatId !== undefined) add((p) => `g.chat_id = ${p}`, filter.chatId);
      if (filter.from !== undefined) add((p) => `g.sent_at >= ${p}`, filter.from);
      if (filter.to !== undefined) add((p) => `g.sent_at <= ${p}`, filter.to);
      if (after !== undefined) {
        params.push(...after);
        where.push(
          `(g.chat_id, g.sent_at, g.message_id) > ($${params.length - 2}, $${params.length - 1}, $${params.length})`,
        );
      }
      params.push(this.batchRows);
      const { rows } = await this.db.query<MessageRow>(
        `SELECT ${MESSAGE_COLUMNS} FROM messages g LEFT JOIN users u ON u.id = g.user_id
         ${where.length === 0 ? '' : `WHERE ${where.join(' AND ')}`} ORDER BY g.chat_id, g.sent_at, g.message_id LIMIT $${params.length}`,
        params,
      );
      for (const row of rows) yield messageOf(row, this.cipher);
      const last = rows.at(-1);
      if (last === undefined || rows.length < this.batchRows) return;
      after = [last.chat_id, last.sent_at, last.message_id];
    }
  }

  /** Every member of the chat (or of every chat), by chat and user id, read `exportBatchRows` at a time. */
  async *streamMembers(filter: ExportFilter): AsyncIterable<MemberExportRow> {
    let after: [number, number] | undefined;
    for (;;) {
      const params: unknown[] = [];
      const where: string[] = [];
      if (filter.chatId !== undefined) {
        params.push(filter.chatId);
        where.push(`m.chat_id = $${params.length}`);
      }
      if (after !== undefined) {
        params.push(...after);
        where.push(`(m.chat_id, m.user_id) > ($${params.length - 1}, $${params.length})`);
      }
      params.push(this.batchRows);
      const { rows } = await this.db.query<MemberRow>(
        `SELECT ${MEMBER_COLUMNS} FROM members m LEFT JOIN users u ON u.id = m.user_id
         ${where.length === 0 ? '' : `WHERE ${where.join(' AND ')}`} ORDER BY m.chat_id, m.user_id LIMIT $${params.length}`,
        params,
      );
      for (const row of rows) yield { chatId: row.chat_id, ...memberOf(row, this.cipher) };
      const last = rows.at(-1);
      if (last === undefined || rows.length < this.batchRows) return;
      after = [last.chat_id, last.user_id];
    }
  }

  private todayStart(): Date {
    const now = new Date(this.clock.now());
    return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  }
}

/**
 * The text of a bytea column of a plaintext row (key id 0), '' when null.
 * `convert_from` answers in the C collation, where lower() leaves Cyrillic
 * alone; the database's own collation folds case as a text column does.
 */
function plainText(column: string): string {
  return `COALESCE(convert_from(${column}, 'UTF8') COLLATE "default", '')`;
}

/**
 * The tsquery of a search over blind-index digests: every word, as any of
 * its digests (one per configured key). Null without a key or without words.
 */
function blindQuery(cipher: FieldCipher, text: string): string | null {
  const words = cipher.queryDigests(text);
  if (words.length === 0) return null;
  return words.map((digests) => `(${digests.join(' | ')})`).join(' & ');
}

/** A user's name as shown: first and last name, else @username, else the id; and the @username. */
function namesOf(
  row: UserNames,
  userId: number | null,
  cipher: FieldCipher,
): { username: string | null; display: string } {
  const keyId = row.u_key_id ?? 0;
  const open = (bytes: Uint8Array | null): string | null => (bytes === null ? null : cipher.openText(bytes, keyId));
  const username = open(row.u_username);
  const full = `${open(row.u_first_name) ?? ''} ${open(row.u_last_name) ?? ''}`.trim();
  return { username, display: full.length > 0 ? full : (username ?? String(userId)) };
}

/** Case-folded with ё read as е, as Russian readers and search engines do. */
function folded(sql: string): string {
  return `translate(lower(${sql}), 'ё', 'е')`;
}

function likePattern(query: string): string {
  const escaped = query
    .trim()
    .toLowerCase()
    .replaceAll('ё', 'е')
    .replace(/[\\%_]/g, (c) => `\\${c}`);
  return `%${escaped}%`;
}

const CHAT_TYPES: readonly string[] = ['private', 'group', 'supergroup', 'channel'] satisfies ChatType[];
const CHAT_MODES: readonly string[] = ['silent', 'normal', 'active'] satisfies ChatMode[];

function chatOf(row: ChatRow, cipher: FieldCipher): ChatSummary {
  // The type has a check constraint; the mode is written only from the actor's settings.
  if (!CHAT_TYPES.includes(row.type)) throw new RangeError(`chat ${row.id} has stored type "${row.type}"`);
  if (!CHAT_MODES.includes(row.mode)) throw new RangeError(`chat ${row.id} has stored mode "${row.mode}"`);
  const open = (bytes: Uint8Array | null): string | null =>
    bytes === null ? null : cipher.openText(bytes, row.name_key_id);
  return {
    id: row.id,
    title: open(row.title_cipher) ?? open(row.username_cipher) ?? String(row.id),
    type: row.type as ChatType,
    mode: row.mode as ChatMode,
    members: row.members,
    messagesToday: row.messages_today,
    lastActivityAt: row.last_activity_at === null ? null : row.last_activity_at.toISOString(),
  };
}

function memberOf(row: MemberRow, cipher: FieldCipher): MemberSummary {
  const names = namesOf(row, row.user_id, cipher);
  return {
    userId: row.user_id,
    username: names.username,
    displayName: names.display,
    messages: row.message_count,
    firstSeenAt: row.first_seen_at.toISOString(),
    lastSeenAt: row.last_seen_at.toISOString(),
  };
}

function messageOf(row: MessageRow, cipher: FieldCipher): MessageView {
  return {
    chatId: row.chat_id,
    messageId: row.message_id,
    userId: row.user_id,
    displayName: namesOf(row, row.user_id, cipher).display,
    date: row.sent_at.toISOString(),
    text: row.text_cipher === null ? '' : cipher.openText(row.text_cipher, row.text_key_id),
    replyToMessageId: row.reply_to_message_id,
  };
}
