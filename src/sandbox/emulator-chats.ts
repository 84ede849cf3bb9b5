import type { Chat, Message, User } from 'grammy/types';
import { BotApiError } from './bot-api-error.js';
import type { EmulatorIds } from './emulator-ids.js';

/** What Telegram nests as `reply_to_message`: a message without its own reply. */
export type ReplyMessage = NonNullable<Message['reply_to_message']>;

/**
 * The chats the Bot API emulator knows: made when a message is injected into
 * them, with the users seen there (the first one owns a group) and the last
 * `keepMessagesPerChat` messages for `reply_to_message` lookups.
 */
export class EmulatorChats {
  private readonly chats = new Map<number, Chat>();
  private readonly members = new Map<number, Map<number, User>>();
  private readonly messages = new Map<number, Map<number, Message>>();
  /** The bot's standing per chat where a test changed it; an admin allowed to restrict members otherwise. */
  private readonly botRights = new Map<number, BotRights>();
  /** The last message id of each chat in this run. */
  private readonly lastMessageId = new Map<number, number>();

  constructor(
    private readonly ids: EmulatorIds,
    private readonly keepMessagesPerChat: number,
  ) {}

  /** The chat `chatId`, made on first use: private for positive ids, supergroup for negative ones unless `type` says. */
  chatFor(input: {
    chatId: number;
    chatType?: 'private' | 'group' | 'supergroup';
    title?: string;
    firstName: string;
  }): Chat {
    const existing = this.chats.get(input.chatId);
    if (existing !== undefined) return existing;
    const type = input.chatType ?? (input.chatId > 0 ? 'private' : 'supergroup');
    const chat: Chat =
      type === 'private'
        ? { id: input.chatId, type, first_name: input.firstName }
        : { id: input.chatId, type, title: input.title ?? `Chat ${input.chatId}` };
    this.chats.set(chat.id, chat);
    return chat;
  }

  /** The chat a Bot API call names in `chat_id`; 400 as Telegram answers when it is empty or unknown. */
  chatOf(raw: unknown): Chat {
    const chatId = typeof raw === 'string' && /^-?\d+$/.test(raw) ? Number(raw) : raw;
    if (chatId === undefined || chatId === '') throw new BotApiError(400, 'Bad Request: chat_id is empty');
    const chat = typeof chatId === 'number' ? this.chats.get(chatId) : undefined;
    if (chat === undefined) throw new BotApiError(400, 'Bad Request: chat not found');
    return chat;
  }

  has(chatId: number): boolean {
    return this.chats.has(chatId);
  }

  /** Whether `userId` is a member of any chat the emulator knows. */
  knowsUser(userId: number): boolean {
    for (const members of this.members.values()) if (members.has(userId)) return true;
    return false;
  }

  addMember(chatId: number, user: User): void {
    let map = this.members.get(chatId);
    if (map === undefined) {
      map = new Map();
      this.members.set(chatId, map);
    }
    map.set(user.id, user);
  }

  member(chatId: number, userId: number): User | undefined {
    return this.members.get(chatId)?.get(userId);
  }

  /** The first user seen in a chat: its owner. */
  firstMember(chatId: number): User | undefined {
    return this.members.get(chatId)?.values().next().value;
  }

  botRightsIn(chatId: number): BotRights {
    return this.botRights.get(chatId) ?? 'admin';
  }

  setBotRights(chatId: number, rights: BotRights): void {
    this.botRights.set(chatId, rights);
  }

  newMessageId(chatId: number): number {
    const id = this.ids.nextMessageId(this.lastMessageId.get(chatId));
    this.lastMessageId.set(chatId, id);
    return id;
  }

  /** True when `messageId` was handed out in the chat (in this run or, below the floor, an earlier one). */
  wasIssued(chatId: number, messageId: number): boolean {
    return messageId > 0 && messageId <= (this.lastMessageId.get(chatId) ?? this.ids.messageFloor);
  }

  message(chatId: number, messageId: number): Message | undefined {
    return this.messages.get(chatId)?.get(messageId);
  }

  remember(chatId: number, message: Message): void {
    let map = this.messages.get(chatId);
    if (map === undefined) {
      map = new Map();
      this.messages.set(chatId, map);
    }
    map.set(message.message_id, message);
    if (map.size > this.keepMessagesPerChat) map.delete(map.keys().next().value as number);
  }
}

/** The bot in a group: an admin allowed to restrict members, an admin without that right, or a plain member. */
export type BotRights = 'admin' | 'admin_without_restrict' | 'member';

/** Telegram nests the replied-to message one level deep only. */
export function withoutReply(message: Message): ReplyMessage {
  const { reply_to_message: _dropped, ...rest } = message;
  return rest as ReplyMessage;
}
