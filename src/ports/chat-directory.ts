import type { Page, PageRequest } from './page.js';

export type ChatType = 'private' | 'group' | 'supergroup' | 'channel';

/** How talkative the bot is in a chat: `silent` only answers when addressed, `normal` sometimes joins in, `active` often. */
export type ChatMode = 'silent' | 'normal' | 'active';

/** A chat as the admin API lists it. */
export interface ChatSummary {
  /** Telegram chat id (negative for groups). */
  id: number;
  title: string;
  type: ChatType;
  mode: ChatMode;
  members: number;
  /** Messages since 00:00 UTC. */
  messagesToday: number;
  /** ISO date-time of the latest message. */
  lastActivityAt: string | null;
}

/** A member of a chat as stored: who they are and how much they talk. */
export interface MemberSummary {
  userId: number;
  username: string | null;
  displayName: string;
  messages: number;
  /** ISO date-times. */
  firstSeenAt: string | null;
  lastSeenAt: string | null;
}

/** One stored chat message. */
export interface MessageView {
  chatId: number;
  messageId: number;
  userId: number | null;
  displayName: string;
  /** ISO date-time. */
  date: string;
  text: string;
  replyToMessageId: number | null;
}

export interface ChatListRequest extends PageRequest {
  /** Case-insensitive match on the title (or the exact chat id). */
  query: string | undefined;
}

export interface MemberListRequest extends PageRequest {
  /** Case-insensitive match on display name or username. */
  query: string | undefined;
}

export interface MessageSearchRequest extends PageRequest {
  /** Full-text query (Russian and English word forms); undefined lists every message. */
  q: string | undefined;
  /** ISO date-times, inclusive. */
  from: string | undefined;
  to: string | undefined;
  userId: number | undefined;
}

export interface ExportFilter {
  /** One chat, or every chat when undefined. */
  chatId: number | undefined;
  /** ISO date-times, inclusive. */
  from?: string | undefined;
  to?: string | undefined;
}

/** A member row of an export, which can span chats. */
export type MemberExportRow = MemberSummary & { chatId: number };

/**
 * The stored side of chats, members and messages: what the admin API lists,
 * searches and exports. Reads never touch actors, so listing ten thousand
 * chats activates none of them.
 *
 * Cursors are opaque strings the implementation makes and reads back; a
 * cursor it cannot read is refused with an error coded `INVALID_CURSOR`.
 * Lists are ordered newest first (chats by last activity, messages by
 * date), with a unique tie-breaker so pages never repeat or skip a row of a
 * stable list.
 *
 * Storage implements it on Postgres (full-text search over the `russian` and
 * `english` configurations); the admin API's `MemoryChatDirectory` keeps the
 * same contract in memory.
 */
export interface ChatDirectory {
  /** How many chats are stored: every chat the bot has seen a message in, active or not. */
  countChats(): Promise<number>;
  listChats(request: ChatListRequest): Promise<Page<ChatSummary>>;
  getChat(chatId: number): Promise<ChatSummary | undefined>;
  listMembers(chatId: number, request: MemberListRequest): Promise<Page<MemberSummary>>;
  getMember(chatId: number, userId: number): Promise<MemberSummary | undefined>;
  searchMessages(chatId: number, request: MessageSearchRequest): Promise<Page<MessageView>>;
  /** Every matching message, oldest first, read in batches: an export never holds a whole table. */
  streamMessages(filter: ExportFilter): AsyncIterable<MessageView>;
  /** Every member of the chat (or of every chat), read in batches. */
  streamMembers(filter: ExportFilter): AsyncIterable<MemberExportRow>;
}
