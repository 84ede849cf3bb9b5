import type { DeadLetter, DeadLetterStore, FieldCipher, NewDeadLetter } from '../ports/index.js';
import type { Queryable } from './database.js';
import { PlainCipher } from './plain-cipher.js';

interface DeadLetterRow {
  id: string;
  chat_id: string;
  update_id: string;
  reason: string;
  update_cipher: Uint8Array;
  update_key_id: number;
  failed_at: Date;
}

const COLUMNS = 'id, chat_id, update_id, reason, update_cipher, update_key_id, failed_at';

/**
 * Dead letters in the `dead_letters` table. The update is UTF-8 JSON sealed
 * by the field cipher (key id 0: stored plain, no key configured).
 */
export class PostgresDeadLetterStore implements DeadLetterStore {
  constructor(
    private readonly db: Queryable,
    private readonly cipher: FieldCipher = new PlainCipher(),
  ) {}

  async add(letter: NewDeadLetter): Promise<void> {
    const sealed = this.cipher.sealText(JSON.stringify(letter.update));
    await this.db.query(
      `INSERT INTO dead_letters (chat_id, update_id, reason, update_cipher, update_key_id, failed_at)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (chat_id, update_id) DO UPDATE SET reason = EXCLUDED.reason, update_cipher = EXCLUDED.update_cipher,
         update_key_id = EXCLUDED.update_key_id, failed_at = EXCLUDED.failed_at`,
      [letter.chatId, letter.updateId, letter.reason, sealed.bytes, sealed.keyId, new Date(letter.failedAtMs)],
    );
  }

  async list(query: { chatId?: number; afterId?: number; limit: number }): Promise<DeadLetter[]> {
    const params: unknown[] = [query.afterId ?? 0];
    let where = 'id > $1';
    if (query.chatId !== undefined) {
      params.push(query.chatId);
      where += ` AND chat_id = $${params.length}`;
    }
    params.push(query.limit);
    const result = await this.db.query<DeadLetterRow>(
      `SELECT ${COLUMNS} FROM dead_letters WHERE ${where} ORDER BY id LIMIT $${params.length}`,
      params,
    );
    return result.rows.map((row) => letterOf(row, this.cipher));
  }

  async get(id: number): Promise<DeadLetter | undefined> {
    const result = await this.db.query<DeadLetterRow>(`SELECT ${COLUMNS} FROM dead_letters WHERE id = $1`, [id]);
    const row = result.rows[0];
    return row === undefined ? undefined : letterOf(row, this.cipher);
  }

  async remove(id: number): Promise<boolean> {
    const result = await this.db.query('DELETE FROM dead_letters WHERE id = $1', [id]);
    return (result.rowCount ?? 0) > 0;
  }

  async count(): Promise<number> {
    const result = await this.db.query<{ n: number }>('SELECT count(*)::int AS n FROM dead_letters');
    return result.rows[0]?.n ?? 0;
  }
}

function letterOf(row: DeadLetterRow, cipher: FieldCipher): DeadLetter {
  return {
    id: Number(row.id),
    chatId: Number(row.chat_id),
    updateId: Number(row.update_id),
    reason: row.reason,
    update: JSON.parse(cipher.openText(row.update_cipher, row.update_key_id)) as unknown,
    failedAtMs: row.failed_at.getTime(),
  };
}
