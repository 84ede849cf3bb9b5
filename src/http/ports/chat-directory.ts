import type { ChatSummary } from '../schemas/chat.js';
import type { MemberSummary } from '../schemas/member.js';
import type { MessageView } from '../schemas/message.js';
import type { Page, PageRequest } from '../schemas/pagination.js';

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
 * cursor it cannot read is answered with `InvalidCursorError`. Lists are
 * ordered newest first (chats by last activity, messages by date), with a
 * unique tie-breaker so pages never repeat or skip a row of a stable list.
 *
 * Storage implements it on Postgres (full-text search over the `russian` and
 * `english` configurations); `MemoryChatDirectory` keeps the same contract in
 * memory.
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
