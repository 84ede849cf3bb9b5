import type {
  ExperimentVariant,
  FieldCipher,
  FinetuneMember,
  FinetuneQuery,
  FinetuneReply,
  FinetuneSource,
  FinetuneTurn,
  ReplySignalKind,
} from '../ports/index.js';
import type { Database } from './database.js';

/** Replies read per statement: a page is held in memory while its examples are built. */
const PAGE = 200;
/** Chats whose member names are kept while streaming; an export walks chats in time order, so few recur from far back. */
const CHATS_KEPT = 500;
/** The window of a reply outside any experiment: the experiments' default. */
export const DEFAULT_SCORE_WINDOW_MS = 600_000;

interface ReplyRow {
  chat_id: number;
  message_id: number;
  trigger_message_id: number;
  sent_at: Date;
  persona: string;
  template: string;
  experiment_id: number | null;
  variant: string | null;
  text_cipher: Uint8Array | null;
  text_key_id: number;
  score_window_ms: number | null;
  variants: ExperimentVariant[] | null;
}

interface TurnRow {
  message_id: number;
  user_id: number | null;
  text_cipher: Uint8Array | null;
  text_key_id: number;
}

/**
 * Bot replies of a date range for fine-tune exports (Postgres or PGlite:
 * same SQL), decrypted with the storage's {@link FieldCipher}. Replies are
 * paged by (sent_at, chat, message id); each comes with its signals, its
 * trigger and the chat's messages before the trigger — members' messages
 * and the bot's earlier replies, ordered by Telegram's per-chat message id.
 * Messages of bot accounts in `messages` are left out: the bot's own words
 * are those of `bot_replies`. So are earlier replies whose trigger is gone:
 * they answered an erased member and may well name them.
 */
export class PostgresFinetuneSource implements FinetuneSource {
  constructor(
    private readonly db: Database,
    private readonly cipher: FieldCipher,
    /** Replies read per statement (default 200). */
    private readonly pageSize = PAGE,
  ) {}

  async *replies(query: FinetuneQuery): AsyncGenerator<FinetuneReply> {
    const members = new Map<number, FinetuneMember[]>();
    let after: { sentAt: Date; chatId: number; messageId: number } | null = null;
    for (;;) {
      const page: ReplyRow[] = await this.page(query, after);
      if (page.length === 0) return;
      const [signals, triggers] = await Promise.all([this.signalsOf(page), this.triggersOf(page)]);
      const histories = await this.historiesOf(page, triggers, query.historySize);
      for (const [i, row] of page.entries()) {
        const chatId = Number(row.chat_id);
        const messageId = Number(row.message_id);
        let chatMembers = members.get(chatId);
        if (chatMembers === undefined) {
          if (members.size >= CHATS_KEPT) members.clear();
          chatMembers = await this.membersOf(chatId);
          members.set(chatId, chatMembers);
        }
        yield {
          chatId,
          messageId,
          sentAtMs: row.sent_at.getTime(),
          persona: row.persona,
          template: row.template,
          experimentId: row.experiment_id === null ? null : Number(row.experiment_id),
          variant: row.variant,
          overrides: row.variants?.find((v) => v.name === row.variant)?.overrides,
          scoreWindowMs: row.score_window_ms ?? DEFAULT_SCORE_WINDOW_MS,
          text: this.open(row.text_cipher, row.text_key_id),
          signals: signals.get(`${chatId}:${messageId}`) ?? [],
          trigger: triggers[i] ?? null,
          history: histories[i] ?? [],
          members: chatMembers,
        };
      }
      const last = page[page.length - 1] as ReplyRow;
      after = { sentAt: last.sent_at, chatId: Number(last.chat_id), messageId: Number(last.message_id) };
    }
  }

  private async page(
    query: FinetuneQuery,
    after: { sentAt: Date; chatId: number; messageId: number } | null,
  ): Promise<ReplyRow[]> {
    const params: unknown[] = [new Date(query.sinceMs), new Date(query.untilMs), this.pageSize];
    let keyset = '';
    if (after !== null) {
      params.push(after.sentAt, after.chatId, after.messageId);
      keyset = 'AND (b.sent_at, b.chat_id, b.message_id) > ($4, $5, $6)';
    }
    const result = await this.db.query<ReplyRow>(
      `SELECT b.chat_id, b.message_id, b.trigger_message_id, b.sent_at, b.persona, b.template, b.experiment_id,
              b.variant, b.text_cipher, b.text_key_id, e.score_window_ms, e.variants
       FROM bot_replies b LEFT JOIN experiments e ON e.id = b.experiment_id
       WHERE b.sent_at >= $1 AND b.sent_at < $2 ${keyset}
       ORDER BY b.sent_at, b.chat_id, b.message_id
       LIMIT $3`,
      params,
    );
    return result.rows;
  }

  private async signalsOf(page: readonly ReplyRow[]): Promise<Map<string, FinetuneReply['signals']>> {
    const result = await this.db.query<{
      chat_id: number;
      message_id: number;
      kind: ReplySignalKind;
      value: number;
      at: Date;
    }>(
      `SELECT s.chat_id, s.message_id, s.kind, s.value, s.at
       FROM reply_signals s JOIN unnest($1::bigint[], $2::bigint[]) AS r(chat_id, message_id)
         ON s.chat_id = r.chat_id AND s.message_id = r.message_id
       ORDER BY s.at`,
      [page.map((r) => r.chat_id), page.map((r) => r.message_id)],
    );
    const byReply = new Map<string, FinetuneReply['signals']>();
    for (const s of result.rows) {
      const key = `${Number(s.chat_id)}:${Number(s.message_id)}`;
      const list = byReply.get(key) ?? [];
      list.push({ kind: s.kind, value: Number(s.value), atMs: s.at.getTime() });
      byReply.set(key, list);
    }
    return byReply;
  }

  /** The trigger of each reply of the page, by position; `null` where it is gone. */
  private async triggersOf(page: readonly ReplyRow[]): Promise<Array<FinetuneTurn | null>> {
    const result = await this.db.query<TurnRow & { idx: number }>(
      `SELECT r.idx, m.message_id, m.user_id, m.text_cipher, m.text_key_id
       FROM unnest($1::bigint[], $2::bigint[]) WITH ORDINALITY AS r(chat_id, message_id, idx)
       JOIN messages m ON m.chat_id = r.chat_id AND m.message_id = r.message_id`,
      [page.map((r) => r.chat_id), page.map((r) => r.trigger_message_id)],
    );
    const triggers: Array<FinetuneTurn | null> = page.map(() => null);
    for (const row of result.rows) triggers[Number(row.idx) - 1] = this.turn(row);
    return triggers;
  }

  /**
   * Up to `size` messages before each found trigger, oldest first, by
   * position. Each side of the union is cut to `size` on its own, newest
   * first, so both read their primary key backwards from the trigger.
   */
  private async historiesOf(
    page: readonly ReplyRow[],
    triggers: ReadonlyArray<FinetuneTurn | null>,
    size: number,
  ): Promise<FinetuneTurn[][]> {
    const histories: FinetuneTurn[][] = page.map(() => []);
    const found = page.flatMap((row, i) => (triggers[i] === null || size <= 0 ? [] : [{ row, i }]));
    if (found.length === 0) return histories;
    const result = await this.db.query<TurnRow & { idx: number }>(
      `SELECT r.idx, h.message_id, h.user_id, h.text_cipher, h.text_key_id
       FROM unnest($1::bigint[], $2::bigint[], $3::integer[]) AS r(chat_id, before_id, idx)
       CROSS JOIN LATERAL (
         SELECT * FROM (
           (SELECT m.message_id, m.user_id, m.text_cipher, m.text_key_id FROM messages m
            WHERE m.chat_id = r.chat_id AND m.message_id < r.before_id AND m.user_id IS NOT NULL
              AND NOT EXISTS (SELECT 1 FROM users u WHERE u.id = m.user_id AND u.is_bot)
              AND NOT EXISTS (SELECT 1 FROM bot_replies o WHERE o.chat_id = m.chat_id AND o.message_id = m.message_id)
            ORDER BY m.message_id DESC LIMIT $4)
           UNION ALL
           (SELECT b.message_id, NULL::bigint, b.text_cipher, b.text_key_id FROM bot_replies b
            WHERE b.chat_id = r.chat_id AND b.message_id < r.before_id
              AND EXISTS (SELECT 1 FROM messages t WHERE t.chat_id = b.chat_id AND t.message_id = b.trigger_message_id)
            ORDER BY b.message_id DESC LIMIT $4)
         ) u ORDER BY message_id DESC LIMIT $4
       ) h
       ORDER BY r.idx, h.message_id`,
      [
        found.map(({ row }) => row.chat_id),
        found.map(({ row }) => row.trigger_message_id),
        found.map(({ i }) => i),
        size,
      ],
    );
    for (const row of result.rows) histories[Number(row.idx)]?.push(this.turn(row));
    return histories;
  }

  private async membersOf(chatId: number): Promise<FinetuneMember[]> {
    const result = await this.db.query<{
      id: number;
      username_cipher: Uint8Array | null;
      first_name_cipher: Uint8Array | null;
      last_name_cipher: Uint8Array | null;
      name_key_id: number;
    }>(
      `SELECT u.id, u.username_cipher, u.first_name_cipher, u.last_name_cipher, u.name_key_id FROM users u
       WHERE NOT u.is_bot AND u.id IN (
         SELECT user_id FROM members WHERE chat_id = $1
         UNION SELECT user_id FROM messages WHERE chat_id = $1 AND user_id IS NOT NULL)
       ORDER BY u.id`,
      [chatId],
    );
    return result.rows.map((u) => {
      const first = this.open(u.first_name_cipher, u.name_key_id).trim();
      const last = this.open(u.last_name_cipher, u.name_key_id).trim();
      const username = this.open(u.username_cipher, u.name_key_id).trim();
      const names = [first, last, first !== '' && last !== '' ? `${first} ${last}` : '', username];
      return { userId: Number(u.id), names: [...new Set(names.filter((n) => n !== ''))] };
    });
  }

  private turn(row: TurnRow): FinetuneTurn {
    return {
      userId: row.user_id === null ? null : Number(row.user_id),
      messageId: Number(row.message_id),
      text: this.open(row.text_cipher, row.text_key_id),
    };
  }

  private open(bytes: Uint8Array | null, keyId: number): string {
    return bytes === null ? '' : this.cipher.openText(bytes, keyId);
  }
}
