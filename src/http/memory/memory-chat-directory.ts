import { type Clock, KeysetCursor, keysetPage } from '../../runtime/index.js';
import { InvalidCursorError } from '../errors.js';
import type {
  ChatDirectory,
  ChatListRequest,
  ExportFilter,
  MemberExportRow,
  MemberListRequest,
  MessageSearchRequest,
} from '../ports/chat-directory.js';
import type { ChatMode, ChatSummary, ChatType } from '../schemas/chat.js';
import type { MemberSummary } from '../schemas/member.js';
import type { MessageView } from '../schemas/message.js';
import type { Page } from '../schemas/pagination.js';

interface StoredChat {
  id: number;
  title: string;
  type: ChatType;
  mode: ChatMode;
  lastActivityMs: number | null;
  messagesByDay: Map<string, number>;
  members: Map<number, StoredMember>;
  /** In arrival order, which is date order for one chat. */
  messages: Array<MessageView & { dateMs: number }>;
}

interface StoredMember {
  userId: number;
  username: string | null;
  displayName: string;
  messages: number;
  firstSeenMs: number | null;
  lastSeenMs: number | null;
}

/** A message as it arrives to be recorded. */
export interface IncomingMessage {
  chatId: number;
  messageId: number;
  userId: number | null;
  username?: string | null;
  displayName: string;
  dateMs: number;
  text: string;
  replyToMessageId?: number | null;
}

const day = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());
/** Case-folded, with ё read as е, as Russian readers and search engines do. */
const fold = (text: string): string => text.toLocaleLowerCase('ru').replaceAll('ё', 'е');

/**
 * Chats, members and messages held in memory with the `ChatDirectory`
 * contract: for tests, benches and a process without storage. Message
 * search matches every query word as a case-insensitive substring (the
 * Postgres directory does real full-text search instead).
 */
export class MemoryChatDirectory implements ChatDirectory {
  private readonly chats = new Map<number, StoredChat>();

  constructor(private readonly clock: Pick<Clock, 'now'>) {}

  /** Creates or renames a chat. */
  upsertChat(chat: { id: number; title: string; type: ChatType; mode?: ChatMode }): void {
    const existing = this.chats.get(chat.id);
    if (existing !== undefined) {
      existing.title = chat.title;
      existing.type = chat.type;
      if (chat.mode !== undefined) existing.mode = chat.mode;
      return;
    }
    this.chats.set(chat.id, {
      id: chat.id,
      title: chat.title,
      type: chat.type,
      mode: chat.mode ?? 'normal',
      lastActivityMs: null,
      messagesByDay: new Map(),
      members: new Map(),
      messages: [],
    });
  }

  /** Records the mode the chat's actor now holds (storage learns it from snapshots). */
  recordMode(chatId: number, mode: ChatMode): void {
    const chat = this.chats.get(chatId);
    if (chat !== undefined) chat.mode = mode;
  }

  /** Stores a message and updates the chat's and the member's counters. */
  recordMessage(message: IncomingMessage): void {
    const chat = this.chats.get(message.chatId);
    if (chat === undefined) throw new Error(`chat ${message.chatId} is not known; upsertChat first`);
    chat.messages.push({
      chatId: message.chatId,
      messageId: message.messageId,
      userId: message.userId,
      displayName: message.displayName,
      date: new Date(message.dateMs).toISOString(),
      dateMs: message.dateMs,
      text: message.text,
      replyToMessageId: message.replyToMessageId ?? null,
    });
    chat.lastActivityMs = Math.max(chat.lastActivityMs ?? 0, message.dateMs);
    const d = day(message.dateMs);
    chat.messagesByDay.set(d, (chat.messagesByDay.get(d) ?? 0) + 1);
    if (message.userId === null) return;
    let member = chat.members.get(message.userId);
    if (member === undefined) {
      member = {
        userId: message.userId,
        username: null,
        displayName: message.displayName,
        messages: 0,
        firstSeenMs: message.dateMs,
        lastSeenMs: null,
      };
      chat.members.set(message.userId, member);
    }
    member.messages++;
    member.displayName = message.displayName;
    if (message.username !== undefined) member.username = message.username;
    member.lastSeenMs = Math.max(member.lastSeenMs ?? 0, message.dateMs);
  }

  async countChats(): Promise<number> {
    return this.chats.size;
  }

  async listChats(request: ChatListRequest): Promise<Page<ChatSummary>> {
    const query = request.query === undefined ? undefined : fold(request.query);
    const after =
      request.cursor === undefined
        ? undefined
        : KeysetCursor.decode(request.cursor, ['number', 'number'], InvalidCursorError);
    const rows = [...this.chats.values()]
      .filter((c) => query === undefined || fold(c.title).includes(query) || String(c.id) === query)
      .map((c) => ({ chat: c, key: [c.lastActivityMs ?? -1, c.id] as [number, number] }))
      .sort((a, b) => b.key[0] - a.key[0] || a.key[1] - b.key[1])
      .filter(({ key }) => after === undefined || key[0] < after[0] || (key[0] === after[0] && key[1] > after[1]));
    return keysetPage(
      rows,
      request.limit,
      (r) => this.summary(r.chat),
      (r) => r.key,
    );
  }

  async getChat(chatId: number): Promise<ChatSummary | undefined> {
    const chat = this.chats.get(chatId);
    return chat === undefined ? undefined : this.summary(chat);
  }

  async listMembers(chatId: number, request: MemberListRequest): Promise<Page<MemberSummary>> {
    const chat = this.chats.get(chatId);
    if (chat === undefined) return { items: [], nextCursor: null };
    const query = request.query === undefined ? undefined : fold(request.query);
    const after =
      request.cursor === undefined
        ? undefined
        : KeysetCursor.decode(request.cursor, ['number', 'number'], InvalidCursorError);
    const rows = [...chat.members.values()]
      .filter(
        (m) =>
          query === undefined ||
          fold(m.displayName).includes(query) ||
          (m.username !== null && fold(m.username).includes(query)),
      )
      .sort((a, b) => b.messages - a.messages || a.userId - b.userId)
      .filter((m) => after === undefined || m.messages < after[0] || (m.messages === after[0] && m.userId > after[1]));
    return keysetPage(rows, request.limit, memberView, (m) => [m.messages, m.userId]);
  }

  async getMember(chatId: number, userId: number): Promise<MemberSummary | undefined> {
    const member = this.chats.get(chatId)?.members.get(userId);
    return member === undefined ? undefined : memberView(member);
  }

  async searchMessages(chatId: number, request: MessageSearchRequest): Promise<Page<MessageView>> {
    const chat = this.chats.get(chatId);
    if (chat === undefined) return { items: [], nextCursor: null };
    const terms =
      request.q === undefined
        ? []
        : fold(request.q)
            .split(/\s+/)
            .filter((t) => t.length > 0);
    const fromMs = request.from === undefined ? Number.NEGATIVE_INFINITY : Date.parse(request.from);
    const toMs = request.to === undefined ? Number.POSITIVE_INFINITY : Date.parse(request.to);
    const after =
      request.cursor === undefined
        ? undefined
        : KeysetCursor.decode(request.cursor, ['number', 'number'], InvalidCursorError);
    const items: MessageView[] = [];
    let last: [number, number] | undefined;
    let more = false;
    for (let i = chat.messages.length - 1; i >= 0; i--) {
      const m = chat.messages[i] as MessageView & { dateMs: number };
      if (after !== undefined && !(m.dateMs < after[0] || (m.dateMs === after[0] && m.messageId < after[1]))) continue;
      if (m.dateMs < fromMs || m.dateMs > toMs) continue;
      if (request.userId !== undefined && m.userId !== request.userId) continue;
      if (terms.length > 0) {
        const text = fold(m.text);
        if (!terms.every((t) => text.includes(t))) continue;
      }
      if (items.length === request.limit) {
        more = true;
        break;
      }
      items.push(messageView(m));
      last = [m.dateMs, m.messageId];
    }
    return { items, nextCursor: more && last !== undefined ? KeysetCursor.encode(last) : null };
  }

  async *streamMessages(filter: ExportFilter): AsyncIterable<MessageView> {
    const fromMs = filter.from === undefined ? Number.NEGATIVE_INFINITY : Date.parse(filter.from);
    const toMs = filter.to === undefined ? Number.POSITIVE_INFINITY : Date.parse(filter.to);
    for (const chat of this.selected(filter)) {
      for (const m of chat.messages) if (m.dateMs >= fromMs && m.dateMs <= toMs) yield messageView(m);
    }
  }

  async *streamMembers(filter: ExportFilter): AsyncIterable<MemberExportRow> {
    for (const chat of this.selected(filter)) {
      for (const m of [...chat.members.values()].sort((a, b) => a.userId - b.userId))
        yield { chatId: chat.id, ...memberView(m) };
    }
  }

  private selected(filter: ExportFilter): StoredChat[] {
    if (filter.chatId !== undefined) {
      const chat = this.chats.get(filter.chatId);
      return chat === undefined ? [] : [chat];
    }
    return [...this.chats.values()].sort((a, b) => a.id - b.id);
  }

  private summary(chat: StoredChat): ChatSummary {
    return {
      id: chat.id,
      title: chat.title,
      type: chat.type,
      mode: chat.mode,
      members: chat.members.size,
      messagesToday: chat.messagesByDay.get(day(this.clock.now())) ?? 0,
      lastActivityAt: iso(chat.lastActivityMs),
    };
  }
}

function memberView(m: StoredMember): MemberSummary {
  return {
    userId: m.userId,
    username: m.username,
    displayName: m.displayName,
    messages: m.messages,
    firstSeenAt: iso(m.firstSeenMs),
    lastSeenAt: iso(m.lastSeenMs),
  };
}

function messageView(m: MessageView & { dateMs: number }): MessageView {
  return {
    chatId: m.chatId,
    messageId: m.messageId,
    userId: m.userId,
    displayName: m.displayName,
    date: m.date,
    text: m.text,
    replyToMessageId: m.replyToMessageId,
  };
}
