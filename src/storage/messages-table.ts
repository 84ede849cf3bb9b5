import type { AppendTable } from './append-writer.js';

/** One chat message as stored. */
export interface MessageRow {
  chatId: number;
  messageId: number;
  userId: number | null;
  replyToMessageId: number | null;
  sentAt: Date;
  /** `text`, `photo`, `sticker`, … */
  kind: string;
  /** The text as encrypted by the encryption layer, or UTF-8 bytes with `textKeyId` 0. */
  textCipher: Uint8Array | null;
  textKeyId: number;
  /** Blind-index digests of the text's words as a tsvector (encrypted text only; Postgres indexes plain text itself). */
  searchTsv?: string | null;
}

/** `messages`, append-only; a message stored twice (redelivered update) is skipped. */
export const messagesTable: AppendTable<MessageRow> = {
  name: 'messages',
  conflict: ['chat_id', 'message_id'],
  columns: [
    { name: 'chat_id', type: 'bigint', value: (r) => r.chatId },
    { name: 'message_id', type: 'bigint', value: (r) => r.messageId },
    { name: 'user_id', type: 'bigint', value: (r) => r.userId },
    { name: 'reply_to_message_id', type: 'bigint', value: (r) => r.replyToMessageId },
    { name: 'sent_at', type: 'timestamptz', value: (r) => r.sentAt },
    { name: 'kind', type: 'text', value: (r) => r.kind },
    { name: 'text_cipher', type: 'bytea', value: (r) => asBuffer(r.textCipher) },
    { name: 'text_key_id', type: 'integer', value: (r) => r.textKeyId },
    { name: 'search_tsv', type: 'tsvector', value: (r) => r.searchTsv ?? null },
  ],
};

/** node-postgres encodes only Buffers as bytea inside arrays. */
export function asBuffer(bytes: Uint8Array): Buffer;
export function asBuffer(bytes: Uint8Array | null): Buffer | null;
export function asBuffer(bytes: Uint8Array | null): Buffer | null {
  if (bytes === null) return null;
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
