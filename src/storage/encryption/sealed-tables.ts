import type { FieldCipher } from '../../ports/index.js';
import { tsvectorOf } from '../storage-chat-archive.js';

/** A value a rotation writes beside the re-sealed columns, computed from their plaintext. */
export interface DerivedColumn {
  readonly name: string;
  readonly type: string;
  value(plain: ReadonlyArray<string | null>, cipher: FieldCipher): unknown;
}

/**
 * A table with sealed columns that share one key id per row, as rotation
 * and `lekha keys status` see it. `open` says how a column's plaintext is
 * read: as text (for derived digests) or as raw bytes.
 */
export interface SealedTable {
  readonly name: string;
  /** Primary key columns and their types, in keyset order. */
  readonly key: ReadonlyArray<{ readonly name: string; readonly type: string }>;
  readonly keyIdColumn: string;
  readonly sealed: readonly string[];
  readonly derived: readonly DerivedColumn[];
}

const bigint = (name: string): { name: string; type: string } => ({ name, type: 'bigint' });

/** Every table holding sealed values, in the order rotation moves them. */
export const sealedTables: readonly SealedTable[] = [
  {
    name: 'messages',
    key: [bigint('chat_id'), bigint('message_id')],
    keyIdColumn: 'text_key_id',
    sealed: ['text_cipher'],
    derived: [
      {
        name: 'search_tsv',
        type: 'tsvector',
        value: ([text], cipher) => tsvectorOf(cipher.searchDigests(text ?? '')),
      },
    ],
  },
  {
    name: 'users',
    key: [bigint('id')],
    keyIdColumn: 'name_key_id',
    sealed: ['username_cipher', 'first_name_cipher', 'last_name_cipher'],
    derived: [
      {
        name: 'username_digest',
        type: 'text',
        value: ([username], cipher) =>
          username === null || username === undefined ? null : cipher.exactDigest(username.toLowerCase()),
      },
      {
        name: 'name_tsv',
        type: 'tsvector',
        value: ([username, first, last], cipher) =>
          tsvectorOf(cipher.searchDigests(`${first ?? ''} ${last ?? ''} ${username ?? ''}`)),
      },
    ],
  },
  {
    name: 'chats',
    key: [bigint('id')],
    keyIdColumn: 'name_key_id',
    sealed: ['title_cipher', 'username_cipher'],
    derived: [
      {
        name: 'title_tsv',
        type: 'tsvector',
        value: ([title, username], cipher) => tsvectorOf(cipher.searchDigests(`${title ?? ''} ${username ?? ''}`)),
      },
    ],
  },
  {
    name: 'memories',
    key: [bigint('chat_id'), bigint('id')],
    keyIdColumn: 'text_key_id',
    sealed: ['text_cipher'],
    derived: [],
  },
  {
    name: 'bot_replies',
    key: [bigint('chat_id'), bigint('message_id')],
    keyIdColumn: 'text_key_id',
    sealed: ['text_cipher'],
    derived: [],
  },
  { name: 'jobs', key: [bigint('id')], keyIdColumn: 'text_key_id', sealed: ['text_cipher'], derived: [] },
  {
    name: 'dead_letters',
    key: [bigint('id')],
    keyIdColumn: 'update_key_id',
    sealed: ['update_cipher'],
    derived: [],
  },
];
