/** A chat as the archive keeps it (the `chats` table). */
export interface ArchivedChat {
  chatId: number;
  type: 'private' | 'group' | 'supergroup' | 'channel';
  title: string | null;
  username: string | null;
  mode: string;
  /** Unix milliseconds of the latest message. */
  lastActivityMs: number;
}

/** A Telegram user (the `users` table). Identified by id; names are labels that can change. */
export interface ArchivedUser {
  userId: number;
  username: string | null;
  firstName: string;
  lastName: string | null;
  languageCode: string | null;
  isBot: boolean;
}

/** One message seen in a chat (the `messages` table). */
export interface ArchivedMessage {
  chatId: number;
  messageId: number;
  userId: number | null;
  replyToMessageId: number | null;
  /** Unix milliseconds. */
  sentAtMs: number;
  /** PII-redacted before it gets here. */
  text: string;
}

/**
 * Where a chat actor records what it saw, for the admin API's chat list,
 * message search and exports. Calls never block and never fail the turn:
 * the implementation batches writes behind (storage's `StorageChatArchive`
 * on its append writer; without storage, the actors' discarding archive).
 */
export interface ChatArchive {
  chat(row: ArchivedChat): void;
  user(row: ArchivedUser): void;
  message(row: ArchivedMessage): void;
}
