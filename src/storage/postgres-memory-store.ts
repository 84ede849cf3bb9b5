import type {
  FeedbackUpdate,
  FieldCipher,
  IndexStamp,
  MemoryItem,
  MemoryKind,
  MemoryStore,
  NewMemory,
} from '../ports/index.js';
import type { Queryable } from './database.js';
import { PlainCipher } from './plain-cipher.js';

interface MemoryRow {
  id: number;
  kind: MemoryKind;
  text_cipher: Uint8Array | null;
  text_key_id: number;
  user_id: number | null;
  ms: number;
  feedback: number;
  message_id: number;
  recalled_ids: number[];
  revision: number;
}

const ITEM_COLUMNS = `id, kind, text_cipher, text_key_id, user_id, round(extract(epoch FROM created_at) * 1000)::bigint AS ms, feedback, message_id, recalled_ids, revision`;

/**
 * Memories in the `memories` table: text sealed by the field cipher (plain
 * UTF-8 under key id 0 without a key, like messages), the vector as little-endian float32 `bytea`, and what recall
 * and feedback need. Ids and revisions come from the `memory_ids` sequence.
 */
export class PostgresMemoryStore implements MemoryStore {
  constructor(
    private readonly db: Queryable,
    private readonly cipher: FieldCipher = new PlainCipher(),
  ) {}

  /** Stores the rows; one whose message and kind are stored already is skipped (not returned). */
  async insert(rows: readonly NewMemory[]): Promise<MemoryItem[]> {
    if (rows.length === 0) return [];
    const ids = await this.db.query<{ id: number }>(
      `SELECT nextval('memory_ids') AS id FROM generate_series(1, $1::integer)`,
      [rows.length],
    );
    const idOf = ids.rows.map((r) => Number(r.id));
    const sealed = rows.map((r) => this.cipher.sealText(r.text));
    const inserted = await this.db.query<{ id: number }>(
      `INSERT INTO memories (chat_id, id, revision, user_id, kind, text_cipher, text_key_id, embedder, dims, vector, message_id, recalled_ids, created_at)
       SELECT chat_id, id, id, user_id, kind, text_cipher, text_key_id, embedder, dims, vector, message_id, recalled_ids, to_timestamp(ms / 1000.0)
       FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::text[], $5::bytea[], $6::text[], $7::integer[], $8::bytea[], $9::bigint[], $10::jsonb[], $11::bigint[], $12::integer[])
         AS t(chat_id, id, user_id, kind, text_cipher, embedder, dims, vector, message_id, recalled_ids, ms, text_key_id)
       ON CONFLICT (chat_id, kind, message_id) WHERE message_id <> 0 DO NOTHING
       RETURNING id`,
      [
        rows.map((r) => r.chatId),
        idOf,
        rows.map((r) => r.fromId),
        rows.map((r) => r.kind),
        sealed.map((s) => asBuffer(s.bytes)),
        rows.map((r) => r.embedder),
        rows.map((r) => r.vector.length),
        rows.map((r) => Buffer.from(r.vector.buffer, r.vector.byteOffset, r.vector.byteLength)),
        rows.map((r) => r.messageId),
        rows.map((r) => JSON.stringify(r.recalledIds)),
        rows.map((r) => Math.round(r.ms)),
        sealed.map((s) => s.keyId),
      ],
    );
    const stored = new Set(inserted.rows.map((r) => Number(r.id)));
    return rows.flatMap((r, i) => {
      const id = idOf[i] as number;
      if (!stored.has(id)) return [];
      return [
        {
          id,
          kind: r.kind,
          text: r.text,
          fromId: r.fromId,
          ms: Math.round(r.ms),
          feedback: 0,
          messageId: r.messageId,
          recalledIds: [...r.recalledIds],
          revision: id,
        },
      ];
    });
  }

  async stamp(chatId: number, embedder: string): Promise<IndexStamp> {
    const result = await this.db.query<{ max_revision: number | null; live: number }>(
      `SELECT max(revision) AS max_revision, count(*) AS live FROM memories WHERE chat_id = $1 AND embedder = $2`,
      [chatId, embedder],
    );
    const row = result.rows[0];
    return { maxRevision: Number(row?.max_revision ?? 0), live: Number(row?.live ?? 0) };
  }

  async load(chatId: number, embedder: string): Promise<{ items: MemoryItem[]; vectors: Float32Array }> {
    const result = await this.db.query<MemoryRow & { dims: number; vector: Uint8Array }>(
      `SELECT ${ITEM_COLUMNS}, dims, vector FROM memories WHERE chat_id = $1 AND embedder = $2 ORDER BY id`,
      [chatId, embedder],
    );
    const dims = result.rows[0]?.dims ?? 0;
    const vectors = new Float32Array(result.rows.length * dims);
    const bytes = new Uint8Array(vectors.buffer);
    result.rows.forEach((row, i) => {
      if (row.vector.byteLength !== dims * 4)
        throw new RangeError(
          `memory ${row.id} of chat ${chatId} has ${row.vector.byteLength / 4} dims, expected ${dims}`,
        );
      bytes.set(row.vector, i * dims * 4);
    });
    return { items: result.rows.map((row) => itemOf(row, this.cipher)), vectors };
  }

  async prune(chatId: number, maxCount: number, beforeMs: number): Promise<number[]> {
    const result = await this.db.query<{ id: number }>(
      `DELETE FROM memories WHERE chat_id = $1 AND (
         created_at < to_timestamp($3 / 1000.0)
         OR id IN (SELECT id FROM memories WHERE chat_id = $1 ORDER BY created_at DESC, id DESC OFFSET $2)
       ) RETURNING id`,
      [chatId, maxCount, beforeMs],
    );
    return result.rows.map((r) => Number(r.id));
  }

  async forgetUser(userId: number, chatId?: number): Promise<Map<number, number[]>> {
    const result = await this.db.query<{ chat_id: number; id: number }>(
      `DELETE FROM memories WHERE user_id = $1 AND kind <> 'bot' AND ($2::bigint IS NULL OR chat_id = $2) RETURNING chat_id, id`,
      [userId, chatId ?? null],
    );
    const byChat = new Map<number, number[]>();
    for (const row of result.rows) {
      const chat = Number(row.chat_id);
      let ids = byChat.get(chat);
      if (ids === undefined) byChat.set(chat, (ids = []));
      ids.push(Number(row.id));
    }
    return byChat;
  }

  async addFeedback(chatId: number, messageId: number, delta: number): Promise<FeedbackUpdate[]> {
    if (delta === 0) return [];
    const result = await this.db.query<{ id: number; feedback: number; revision: number }>(
      `WITH reply AS (
         SELECT id, recalled_ids FROM memories WHERE chat_id = $1 AND kind = 'bot' AND message_id = $2 ORDER BY id DESC LIMIT 1
       )
       UPDATE memories m SET feedback = m.feedback + $3, revision = nextval('memory_ids')
       FROM reply
       WHERE m.chat_id = $1 AND (m.id = reply.id OR m.id IN (SELECT jsonb_array_elements_text(reply.recalled_ids)::bigint))
       RETURNING m.id, m.feedback, m.revision`,
      [chatId, messageId, delta],
    );
    return result.rows.map((r) => ({ id: Number(r.id), feedback: Number(r.feedback), revision: Number(r.revision) }));
  }
}

function itemOf(row: MemoryRow, cipher: FieldCipher): MemoryItem {
  return {
    id: Number(row.id),
    kind: row.kind,
    text: row.text_cipher === null ? '' : cipher.openText(row.text_cipher, row.text_key_id),
    fromId: Number(row.user_id ?? 0),
    ms: Number(row.ms),
    feedback: Number(row.feedback),
    messageId: Number(row.message_id),
    recalledIds: (row.recalled_ids ?? []).map(Number),
    revision: Number(row.revision),
  };
}

// node-postgres encodes only Buffers as bytea inside arrays.
function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
