import type {
  ErasedRows,
  ErasureRecord,
  FieldCipher,
  MemberDataStore,
  StoredMemberData,
  StoredUser,
} from '../ports/index.js';
import type { AppendWriter } from './append-writer.js';
import type { Database, Queryable } from './database.js';

const DEAD_LETTER_BATCH = 500;

interface ErasureRow {
  id: number;
  pseudonym: string;
  subject_cipher: Uint8Array | null;
  subject_key_id: number;
  step: number;
  requested_at: Date;
  finished_at: Date | null;
}

/**
 * Bot replies (alias `r`) that belong to member `$1`: those answering a
 * message they wrote, and every reply in their private chat.
 */
const REPLIES_OF_MEMBER = `r.chat_id = $1 OR EXISTS (
  SELECT 1 FROM messages m
   WHERE m.chat_id = r.chat_id AND m.message_id = r.trigger_message_id AND m.user_id = $1)`;

/**
 * One member's personal data across the tables (GDPR export and erasure)
 * and the `privacy_erasures` records that make an erasure resumable. Every
 * `*_cipher` column is opened with the storage's {@link FieldCipher}.
 */
export class PostgresMemberDataStore implements MemberDataStore {
  constructor(
    private readonly db: Database,
    private readonly appends: Pick<AppendWriter, 'afterFlush'>,
    private readonly cipher: FieldCipher,
    private readonly clock: { now(): number },
  ) {}

  async chatsOf(userId: number): Promise<number[]> {
    const result = await this.db.query<{ chat_id: number }>(
      `SELECT chat_id FROM members WHERE user_id = $1
       UNION SELECT DISTINCT chat_id FROM messages WHERE user_id = $1
       UNION SELECT DISTINCT chat_id FROM memories WHERE user_id = $1
       UNION SELECT DISTINCT chat_id FROM jobs WHERE user_id = $1 AND chat_id IS NOT NULL
       UNION SELECT id FROM chats WHERE id = $1`,
      [userId],
    );
    const chats = new Set(result.rows.map((r) => Number(r.chat_id)));
    // A private chat's id is the member's own: its state is theirs even if no row names it yet.
    chats.add(userId);
    return [...chats].sort((a, b) => a - b);
  }

  async export(userId: number): Promise<StoredMemberData> {
    const [user, memberships, messages, memories, reminders, deadLetters] = await Promise.all([
      this.db.query<{
        username_cipher: Uint8Array | null;
        first_name_cipher: Uint8Array | null;
        last_name_cipher: Uint8Array | null;
        name_key_id: number;
        language_code: string | null;
        created_at: Date;
        updated_at: Date;
      }>(
        `SELECT username_cipher, first_name_cipher, last_name_cipher, name_key_id, language_code, created_at, updated_at
         FROM users WHERE id = $1`,
        [userId],
      ),
      this.db.query<{
        chat_id: number;
        status: string;
        message_count: number;
        first_seen_at: Date;
        last_seen_at: Date;
      }>(
        `SELECT chat_id, status, message_count, first_seen_at, last_seen_at FROM members WHERE user_id = $1 ORDER BY chat_id`,
        [userId],
      ),
      this.db.query<{
        chat_id: number;
        message_id: number;
        reply_to_message_id: number | null;
        sent_at: Date;
        text_cipher: Uint8Array | null;
        text_key_id: number;
      }>(
        `SELECT chat_id, message_id, reply_to_message_id, sent_at, text_cipher, text_key_id FROM messages
         WHERE user_id = $1 ORDER BY sent_at, chat_id, message_id`,
        [userId],
      ),
      this.db.query<{
        chat_id: number;
        id: number;
        kind: string;
        text_cipher: Uint8Array | null;
        text_key_id: number;
        feedback: number;
        created_at: Date;
      }>(
        `SELECT chat_id, id, kind, text_cipher, text_key_id, feedback, created_at FROM memories
         WHERE user_id = $1 AND kind <> 'bot' ORDER BY created_at, id`,
        [userId],
      ),
      this.db.query<{
        id: number;
        chat_id: number | null;
        due_at: Date;
        status: string;
        text_cipher: Uint8Array | null;
        text_key_id: number;
      }>(
        `SELECT id, chat_id, due_at, status, text_cipher, text_key_id FROM jobs WHERE user_id = $1 AND kind = 'reminder' ORDER BY due_at, id`,
        [userId],
      ),
      this.deadLettersOf(userId),
    ]);
    const u = user.rows[0];
    const storedUser: StoredUser | null =
      u === undefined
        ? null
        : {
            username: this.openNullable(u.username_cipher, u.name_key_id),
            firstName: this.open(u.first_name_cipher, u.name_key_id),
            lastName: this.openNullable(u.last_name_cipher, u.name_key_id),
            languageCode: u.language_code,
            createdAt: u.created_at.toISOString(),
            updatedAt: u.updated_at.toISOString(),
          };
    return {
      user: storedUser,
      memberships: memberships.rows.map((r) => ({
        chatId: Number(r.chat_id),
        status: r.status,
        messageCount: Number(r.message_count),
        firstSeenAt: r.first_seen_at.toISOString(),
        lastSeenAt: r.last_seen_at.toISOString(),
      })),
      messages: messages.rows.map((r) => ({
        chatId: Number(r.chat_id),
        messageId: Number(r.message_id),
        replyToMessageId: r.reply_to_message_id === null ? null : Number(r.reply_to_message_id),
        sentAt: r.sent_at.toISOString(),
        text: this.open(r.text_cipher, r.text_key_id),
      })),
      memories: memories.rows.map((r) => ({
        chatId: Number(r.chat_id),
        id: Number(r.id),
        kind: r.kind,
        text: this.open(r.text_cipher, r.text_key_id),
        feedback: Number(r.feedback),
        createdAt: r.created_at.toISOString(),
      })),
      reminders: reminders.rows.map((r) => ({
        id: Number(r.id),
        chatId: r.chat_id === null ? null : Number(r.chat_id),
        dueAt: r.due_at.toISOString(),
        status: r.status,
        text: this.open(r.text_cipher, r.text_key_id),
      })),
      deadLetters: deadLetters.map((r) => ({
        chatId: r.chatId,
        updateId: r.updateId,
        reason: r.reason,
        failedAt: r.failedAt.toISOString(),
      })),
    };
  }

  flushAppends(): Promise<void> {
    return this.appends.afterFlush();
  }

  async eraseRows(userId: number, pseudonym: string): Promise<ErasedRows> {
    const letters = (await this.deadLettersOf(userId)).map((l) => l.id);
    return this.db.transaction(async (tx) => {
      const count = async (sql: string, params: readonly unknown[]): Promise<number> =>
        (await tx.query(sql, params)).rowCount;
      return {
        // The replies go first: the member's messages say which replies answered them.
        reply_signals: await count(
          `DELETE FROM reply_signals s USING bot_replies r
            WHERE s.chat_id = r.chat_id AND s.message_id = r.message_id AND (${REPLIES_OF_MEMBER})`,
          [userId],
        ),
        bot_replies: await count(`DELETE FROM bot_replies r WHERE ${REPLIES_OF_MEMBER}`, [userId]),
        messages: await count('DELETE FROM messages WHERE user_id = $1 OR chat_id = $1', [userId]),
        members: await count('DELETE FROM members WHERE user_id = $1 OR chat_id = $1', [userId]),
        users: await count('DELETE FROM users WHERE id = $1', [userId]),
        chats: await count('DELETE FROM chats WHERE id = $1', [userId]),
        jobs: await count('DELETE FROM jobs WHERE user_id = $1 OR chat_id = $1', [userId]),
        dead_letters: await count('DELETE FROM dead_letters WHERE id = ANY($1::bigint[])', [letters]),
        snapshot_hot_stale: await count('DELETE FROM snapshot_hot_stale WHERE key = $1', [`chat:${userId}`]),
        audit_log: await count(
          // The id as a whole number only (user:12 must not touch user:123); the pseudonym keeps the rows of one member together.
          `UPDATE audit_log SET target = regexp_replace(target, '(^|[^0-9])' || $1 || '(?![0-9])', '\\1~' || $2, 'g')
           WHERE target ~ ('(^|[^0-9])' || $1 || '(?![0-9])')`,
          [String(userId), pseudonym],
        ),
      };
    });
  }

  async openErasure(userId: number, pseudonym: string): Promise<ErasureRecord> {
    const sealed = this.cipher.sealText(String(userId));
    const result = await this.db.query<ErasureRow>(
      `INSERT INTO privacy_erasures (pseudonym, subject_cipher, subject_key_id, requested_at)
       VALUES ($1, $2, $3, $4) RETURNING *`,
      [pseudonym, sealed.bytes, sealed.keyId, new Date(this.clock.now())],
    );
    return this.recordOf(result.rows[0] as ErasureRow);
  }

  async erasure(id: number): Promise<ErasureRecord | undefined> {
    const row = (await this.db.query<ErasureRow>('SELECT * FROM privacy_erasures WHERE id = $1', [id])).rows[0];
    return row === undefined ? undefined : this.recordOf(row);
  }

  async unfinishedErasures(): Promise<ErasureRecord[]> {
    const result = await this.db.query<ErasureRow>(
      'SELECT * FROM privacy_erasures WHERE finished_at IS NULL ORDER BY id',
    );
    return result.rows.map((row) => this.recordOf(row));
  }

  async markStep(id: number, step: number): Promise<void> {
    await this.db.query('UPDATE privacy_erasures SET step = GREATEST(step, $2) WHERE id = $1', [id, step]);
  }

  async finishErasure(id: number): Promise<void> {
    await this.db.query(
      `UPDATE privacy_erasures SET subject_cipher = NULL, finished_at = $2 WHERE id = $1 AND finished_at IS NULL`,
      [id, new Date(this.clock.now())],
    );
  }

  async pruneMessages(beforeMs: number, limit: number): Promise<number> {
    const result = await this.db.query(
      `DELETE FROM messages WHERE (chat_id, message_id) IN (
         SELECT chat_id, message_id FROM messages WHERE sent_at < $1 LIMIT $2)`,
      [new Date(beforeMs), limit],
    );
    return result.rowCount;
  }

  async pruneReplies(beforeMs: number, limit: number): Promise<number> {
    return this.db.transaction(async (tx) => {
      const replies = await tx.query<{ chat_id: number; message_id: number }>(
        `DELETE FROM bot_replies WHERE (chat_id, message_id) IN (
           SELECT chat_id, message_id FROM bot_replies WHERE sent_at < $1 LIMIT $2)
         RETURNING chat_id, message_id`,
        [new Date(beforeMs), limit],
      );
      // Signals of the replies just deleted (some came after the cutoff), and any older signal left without its reply.
      await tx.query(
        `DELETE FROM reply_signals s USING unnest($1::bigint[], $2::bigint[]) AS gone(chat_id, message_id)
          WHERE s.chat_id = gone.chat_id AND s.message_id = gone.message_id`,
        [replies.rows.map((r) => r.chat_id), replies.rows.map((r) => r.message_id)],
      );
      await tx.query(
        `DELETE FROM reply_signals WHERE ctid IN (SELECT ctid FROM reply_signals WHERE at < $1 LIMIT $2)`,
        [new Date(beforeMs), limit],
      );
      return replies.rowCount;
    });
  }

  async pruneAudit(beforeMs: number, limit: number): Promise<number> {
    const result = await this.db.query(
      `DELETE FROM audit_log WHERE id IN (SELECT id FROM audit_log WHERE at < $1 ORDER BY at LIMIT $2)`,
      [new Date(beforeMs), limit],
    );
    return result.rowCount;
  }

  /**
   * Dead letters holding an update of the member. The table has no user
   * column (an update's sender is inside the sealed update), so each letter
   * is opened and its JSON searched for the id as a whole number — the
   * sender, a member joining or a reaction's author alike.
   */
  private async deadLettersOf(
    userId: number,
  ): Promise<Array<{ id: number; chatId: number; updateId: number; reason: string; failedAt: Date }>> {
    const pattern = new RegExp(`"id":${userId}(?![0-9])`);
    const found: Array<{ id: number; chatId: number; updateId: number; reason: string; failedAt: Date }> = [];
    let afterId = 0;
    for (;;) {
      const batch = await (this.db as Queryable).query<{
        id: number;
        chat_id: number;
        update_id: number;
        reason: string;
        update_cipher: Uint8Array;
        update_key_id: number;
        failed_at: Date;
      }>(
        `SELECT id, chat_id, update_id, reason, update_cipher, update_key_id, failed_at FROM dead_letters
         WHERE id > $1 ORDER BY id LIMIT $2`,
        [afterId, DEAD_LETTER_BATCH],
      );
      for (const row of batch.rows) {
        const mine = Number(row.chat_id) === userId || pattern.test(this.open(row.update_cipher, row.update_key_id));
        if (mine)
          found.push({
            id: Number(row.id),
            chatId: Number(row.chat_id),
            updateId: Number(row.update_id),
            reason: row.reason,
            failedAt: row.failed_at,
          });
      }
      if (batch.rows.length < DEAD_LETTER_BATCH) return found;
      afterId = Number((batch.rows.at(-1) as { id: number }).id);
    }
  }

  private open(bytes: Uint8Array | null, keyId: number): string {
    return bytes === null ? '' : this.cipher.openText(bytes, keyId);
  }

  private openNullable(bytes: Uint8Array | null, keyId: number): string | null {
    return bytes === null ? null : this.cipher.openText(bytes, keyId);
  }

  private recordOf(row: ErasureRow): ErasureRecord {
    return {
      id: Number(row.id),
      userId: row.subject_cipher === null ? null : Number(this.cipher.openText(row.subject_cipher, row.subject_key_id)),
      pseudonym: row.pseudonym,
      step: row.step,
      requestedAtMs: row.requested_at.getTime(),
      finishedAtMs: row.finished_at === null ? null : row.finished_at.getTime(),
    };
  }
}
