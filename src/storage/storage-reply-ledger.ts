import type { FieldCipher, ReplyLedger, ReplyRecord, ReplySignal } from '../ports/index.js';
import type { Logger, MetricsRegistry } from '../runtime/index.js';
import type { AppendTable, AppendWriter } from './append-writer.js';
import { asBuffer } from './messages-table.js';
import { PlainCipher } from './plain-cipher.js';
import { DroppingAppends, LazyRow, lazily } from './read-model-appends.js';

/** A bot reply as its row holds it: the text sealed like a message's. */
export interface SealedReplyRow {
  reply: ReplyRecord;
  textCipher: Uint8Array;
  textKeyId: number;
}

/** A Postgres array literal of `values` (`{"a","b"}`), each element quoted. */
export function textArrayLiteral(values: readonly string[]): string {
  return `{${values.map((v) => `"${v.replace(/[\\"]/g, '\\$&')}"`).join(',')}}`;
}

/** `bot_replies`, appended; a reply recorded twice (a retried batch) is skipped. */
export const botRepliesTable: AppendTable<SealedReplyRow> = {
  name: 'bot_replies',
  conflict: ['chat_id', 'message_id'],
  columns: [
    { name: 'chat_id', type: 'bigint', value: (r) => r.reply.chatId },
    { name: 'message_id', type: 'bigint', value: (r) => r.reply.messageId },
    { name: 'trigger_message_id', type: 'bigint', value: (r) => r.reply.triggerMessageId },
    { name: 'sent_at', type: 'timestamptz', value: (r) => new Date(r.reply.sentAtMs) },
    { name: 'persona', type: 'text', value: (r) => r.reply.persona },
    { name: 'template', type: 'text', value: (r) => r.reply.template },
    { name: 'experiment_id', type: 'bigint', value: (r) => r.reply.experimentId },
    { name: 'variant', type: 'text', value: (r) => r.reply.variant },
    { name: 'style_rules', type: 'text', cast: 'text[]', value: (r) => textArrayLiteral(r.reply.styleRules) },
    { name: 'text_cipher', type: 'bytea', value: (r) => asBuffer(r.textCipher) },
    { name: 'text_key_id', type: 'integer', value: (r) => r.textKeyId },
  ],
};

/**
 * `reply_signals`, appended. The table has no key: the same reaction twice
 * is two signals, and a batch whose commit was lost with its connection and
 * then retried may store its signals twice (rare, and a signal's weight in
 * a readout is small).
 */
export const replySignalsTable: AppendTable<ReplySignal> = {
  name: 'reply_signals',
  conflict: [],
  columns: [
    { name: 'chat_id', type: 'bigint', value: (r) => r.chatId },
    { name: 'message_id', type: 'bigint', value: (r) => r.messageId },
    { name: 'kind', type: 'text', value: (r) => r.kind },
    { name: 'value', type: 'real', value: (r) => r.value },
    { name: 'at', type: 'timestamptz', value: (r) => new Date(r.atMs) },
  ],
};

const lazyReplies = lazily<ReplyRecord, SealedReplyRow>(botRepliesTable);

/**
 * The bot's replies and members' signals on them, written behind through
 * the batched append writer, never awaited by the actor's turn. The reply
 * text is sealed by the field cipher exactly as a message's text is (key
 * id 0: plain UTF-8). When the database has fallen so far behind that the
 * writer's queue is full, rows are dropped (counted and logged) rather
 * than failing the turn: the ledger feeds readouts, not the chat.
 */
export class StorageReplyLedger implements ReplyLedger {
  private readonly appends: DroppingAppends;
  private readonly cipher: FieldCipher;

  constructor(
    appends: AppendWriter,
    options: { metrics?: MetricsRegistry; logger?: Logger; cipher?: FieldCipher } = {},
  ) {
    this.cipher = options.cipher ?? new PlainCipher();
    this.appends = new DroppingAppends(
      appends,
      {
        metric: 'lekha_reply_ledger_rows_dropped_total',
        help: 'Bot replies and reply signals dropped because the append queue was full',
        what: 'reply ledger rows',
      },
      options,
    );
  }

  reply(row: ReplyRecord): void {
    this.appends.append(lazyReplies, new LazyRow(row, this.sealReply));
  }

  signal(row: ReplySignal): void {
    this.appends.append(replySignalsTable, row);
  }

  // At the flush, not in the actor's turn; once, however often a batch is retried.
  private readonly sealReply = (reply: ReplyRecord): SealedReplyRow => {
    const text = this.cipher.sealText(reply.text);
    return { reply, textCipher: text.bytes, textKeyId: text.keyId };
  };
}
