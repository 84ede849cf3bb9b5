import type { ChatMember, Message, Update, User, UserFromGetMe } from 'grammy/types';
import type { Clock } from '../runtime/index.js';
import { BotApiError } from './bot-api-error.js';
import { type BotRights, type EmulatorChats, withoutReply } from './emulator-chats.js';
import type { FloodGate } from './flood-gate.js';
import type { UpdateQueue } from './update-queue.js';
import type { WebhookDelivery } from './webhook-delivery.js';

/** What the bot sent, as recorded by the emulator. */
export interface SentRecord {
  chatId: number;
  messageId: number;
  text: string;
  replyToMessageId: number | undefined;
  atMs: number;
  /** A file sent with sendDocument (`text` is then its caption). */
  document?: { fileName: string; bytes: Uint8Array };
}

/** A member the bot restricted (`restrictChatMember`), as recorded by the emulator. */
export interface RestrictionRecord {
  chatId: number;
  userId: number;
  /** Whether the member may still send messages. */
  canSendMessages: boolean;
  /** Unix seconds; 0 for ever. */
  untilDate: number;
  atMs: number;
}

/** The parameters of a Bot API call: query and JSON body merged. */
export type BotApiParams = Record<string, unknown>;

export interface BotApiMethodsDeps {
  botUser: UserFromGetMe;
  chats: EmulatorChats;
  queue: UpdateQueue;
  webhook: WebhookDelivery;
  flood: FloodGate;
  clock: Clock;
  /** Delay before answering sendMessage, on `clock`. */
  sendLatencyMs: number;
  /** Told about every message the bot sends. */
  recordSent: (record: SentRecord) => void;
}

const CHAT_ACTIONS = new Set([
  'typing',
  'upload_photo',
  'record_video',
  'upload_video',
  'record_voice',
  'upload_voice',
  'upload_document',
  'choose_sticker',
  'find_location',
  'record_video_note',
  'upload_video_note',
]);

/**
 * The Bot API methods the emulator answers (the subset Lekha uses), in the
 * real API's result shapes; a refused call throws a {@link BotApiError} with
 * Telegram's description.
 */
export class BotApiMethods {
  chatActions = 0;
  reactions = 0;
  getUpdatesCalls = 0;
  /** Members the bot restricted, in order. */
  readonly restrictions: RestrictionRecord[] = [];
  /** Messages the bot deleted (`deleteMessage`), in order. */
  readonly deletions: { chatId: number; messageId: number }[] = [];

  constructor(private readonly deps: BotApiMethodsDeps) {}

  /** The result of calling `method`; 404 for a method the emulator does not know. */
  async call(method: string, p: BotApiParams): Promise<unknown> {
    const { chats, queue, webhook } = this.deps;
    switch (method) {
      case 'getMe':
        return this.deps.botUser;
      case 'getUpdates':
        return this.getUpdates(p);
      case 'sendMessage':
        return this.sendMessage(p);
      case 'sendDocument':
        return this.sendDocument(p);
      case 'sendChatAction': {
        chats.chatOf(p.chat_id);
        if (typeof p.action !== 'string' || !CHAT_ACTIONS.has(p.action))
          throw new BotApiError(400, 'Bad Request: wrong parameter action in request');
        this.chatActions++;
        return true;
      }
      case 'setMessageReaction': {
        const chat = chats.chatOf(p.chat_id);
        if (typeof p.message_id !== 'number' || chats.message(chat.id, p.message_id) === undefined)
          throw new BotApiError(400, 'Bad Request: message to react not found');
        this.reactions++;
        return true;
      }
      case 'getChatMember':
        return this.getChatMember(p);
      case 'getChatAdministrators':
        return this.getChatAdministrators(p);
      case 'restrictChatMember':
        return this.restrictChatMember(p);
      case 'deleteMessage':
        return this.deleteMessage(p);
      case 'setWebhook':
        return this.setWebhook(p);
      case 'deleteWebhook':
        webhook.set(null);
        if (p.drop_pending_updates === true) queue.drop();
        return true;
      case 'getWebhookInfo': {
        const current = webhook.current;
        return {
          url: current?.url ?? '',
          has_custom_certificate: false,
          pending_update_count: queue.pendingCount,
          ...(current === null
            ? {}
            : { max_connections: current.maxConnections, allowed_updates: queue.allowedUpdates }),
        };
      }
      default:
        throw new BotApiError(404, 'Not Found');
    }
  }

  private async getUpdates(p: BotApiParams): Promise<Update[]> {
    this.getUpdatesCalls++;
    if (this.deps.webhook.current !== null) {
      throw new BotApiError(
        409,
        "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
      );
    }
    const offset = optionalInt(p.offset, 'offset');
    const limit = Math.min(100, Math.max(1, optionalInt(p.limit, 'limit') ?? 100));
    const timeoutS = Math.max(0, optionalInt(p.timeout, 'timeout') ?? 0);
    this.deps.queue.setAllowedUpdates(p.allowed_updates);
    return this.deps.queue.poll({ offset, limit, timeoutS });
  }

  private sendMessage(p: BotApiParams): Promise<Message> | Message {
    const { chats, clock } = this.deps;
    const chat = chats.chatOf(p.chat_id);
    const text = p.text;
    if (typeof text !== 'string' || text.trim().length === 0)
      throw new BotApiError(400, 'Bad Request: message text is empty');
    if (text.length > 4096) throw new BotApiError(400, 'Bad Request: message is too long');
    this.deps.flood.admit(chat.id);
    const replyTo = replyTarget(p);
    const replied = replyTo === undefined ? undefined : chats.message(chat.id, replyTo);
    // Only the last messages of a chat are kept; an older id was real, so only a never-issued one is "not found".
    const issued = replyTo !== undefined && chats.wasIssued(chat.id, replyTo);
    if (replyTo !== undefined && !issued && !allowsNoReply(p))
      throw new BotApiError(400, 'Bad Request: message to be replied not found');
    const message = {
      message_id: chats.newMessageId(chat.id),
      date: Math.floor(clock.now() / 1000),
      chat,
      from: this.deps.botUser,
      text,
      ...(replied === undefined ? {} : { reply_to_message: withoutReply(replied) }),
    } as Message;
    chats.remember(chat.id, message);
    this.deps.recordSent({
      chatId: chat.id,
      messageId: message.message_id,
      text,
      replyToMessageId: issued ? replyTo : undefined,
      atMs: clock.now(),
    });
    const latency = this.deps.sendLatencyMs;
    return latency > 0 ? new Promise((resolve) => clock.setTimer(() => resolve(message), latency)) : message;
  }

  /**
   * A file upload. As Telegram does, a user who never opened a private chat
   * with the bot cannot be sent one: 403 when the id is a user the emulator
   * knows from a group, 400 "chat not found" for an id it has never seen.
   */
  private sendDocument(p: BotApiParams): Message {
    const { chats, clock } = this.deps;
    const chatId = typeof p.chat_id === 'number' ? p.chat_id : Number(p.chat_id);
    if (chatId > 0 && !chats.has(chatId) && chats.knowsUser(chatId))
      throw new BotApiError(403, "Forbidden: bot can't initiate conversation with a user");
    const chat = chats.chatOf(p.chat_id);
    const file = p.document as { fileName?: unknown; bytes?: unknown } | undefined;
    if (file === undefined || typeof file !== 'object' || !(file.bytes instanceof Uint8Array))
      throw new BotApiError(400, 'Bad Request: there is no document in the request');
    const caption = typeof p.caption === 'string' ? p.caption : '';
    if (caption.length > 1024) throw new BotApiError(400, 'Bad Request: message caption is too long');
    this.deps.flood.admit(chat.id);
    const fileName = typeof file.fileName === 'string' ? file.fileName : 'document';
    const message = {
      message_id: chats.newMessageId(chat.id),
      date: Math.floor(clock.now() / 1000),
      chat,
      from: this.deps.botUser,
      document: { file_id: `doc-${chat.id}-${Date.now()}`, file_unique_id: 'doc', file_name: fileName },
      ...(caption === '' ? {} : { caption }),
    } as Message;
    chats.remember(chat.id, message);
    this.deps.recordSent({
      chatId: chat.id,
      messageId: message.message_id,
      text: caption,
      replyToMessageId: undefined,
      atMs: clock.now(),
      document: { fileName, bytes: file.bytes },
    });
    return message;
  }

  private getChatMember(p: BotApiParams): ChatMember {
    const { chats, botUser } = this.deps;
    const chat = chats.chatOf(p.chat_id);
    const userId = optionalInt(p.user_id, 'user_id');
    if (userId === undefined) throw new BotApiError(400, 'Bad Request: user_id is empty');
    if (userId === botUser.id)
      return botMember(botUser, chat.type === 'private' ? 'admin' : chats.botRightsIn(chat.id));
    const user = chats.member(chat.id, userId);
    if (user === undefined)
      return { status: 'left', user: { id: userId, is_bot: false, first_name: 'Deleted Account' } };
    if (chats.firstMember(chat.id)?.id === userId) return { status: 'creator', user, is_anonymous: false };
    const restricted = this.restrictionOf(chat.id, userId);
    return restricted === undefined ? { status: 'member', user } : restrictedMember(user, restricted);
  }

  private restrictionOf(chatId: number, userId: number): RestrictionRecord | undefined {
    const nowS = Math.floor(this.deps.clock.now() / 1000);
    for (let i = this.restrictions.length - 1; i >= 0; i--) {
      const r = this.restrictions[i]!;
      if (r.chatId === chatId && r.userId === userId) return r.untilDate === 0 || r.untilDate > nowS ? r : undefined;
    }
    return undefined;
  }

  /** As Telegram: a bot deletes others' messages in a group only as an admin; a message goes once. */
  private deleteMessage(p: BotApiParams): true {
    const { chats } = this.deps;
    const chat = chats.chatOf(p.chat_id);
    const messageId = optionalInt(p.message_id, 'message_id');
    if (messageId === undefined) throw new BotApiError(400, 'Bad Request: message identifier is not specified');
    if (
      chats.message(chat.id, messageId) === undefined ||
      this.deletions.some((d) => d.chatId === chat.id && d.messageId === messageId)
    )
      throw new BotApiError(400, 'Bad Request: message to delete not found');
    if (chat.type !== 'private' && chats.botRightsIn(chat.id) === 'member')
      throw new BotApiError(400, "Bad Request: message can't be deleted");
    this.deletions.push({ chatId: chat.id, messageId });
    return true;
  }

  private restrictChatMember(p: BotApiParams): true {
    const { chats, botUser, clock } = this.deps;
    const chat = chats.chatOf(p.chat_id);
    if (chat.type === 'private') throw new BotApiError(400, 'Bad Request: method is available only for supergroups');
    const userId = optionalInt(p.user_id, 'user_id');
    if (userId === undefined) throw new BotApiError(400, 'Bad Request: user_id is empty');
    const permissions = p.permissions;
    if (typeof permissions !== 'object' || permissions === null || Array.isArray(permissions))
      throw new BotApiError(400, "Bad Request: can't parse permissions JSON object");
    if (chats.botRightsIn(chat.id) !== 'admin')
      throw new BotApiError(400, 'Bad Request: not enough rights to restrict/unrestrict chat member');
    if (userId === botUser.id) throw new BotApiError(400, "Bad Request: can't restrict self");
    if (chats.firstMember(chat.id)?.id === userId) throw new BotApiError(400, "Bad Request: can't remove chat owner");
    const untilDate = optionalInt(p.until_date, 'until_date') ?? 0;
    this.restrictions.push({
      chatId: chat.id,
      userId,
      canSendMessages: (permissions as { can_send_messages?: unknown }).can_send_messages === true,
      untilDate,
      atMs: clock.now(),
    });
    return true;
  }

  private getChatAdministrators(p: BotApiParams): ChatMember[] {
    const { chats, botUser } = this.deps;
    const chat = chats.chatOf(p.chat_id);
    if (chat.type === 'private')
      throw new BotApiError(400, 'Bad Request: there are no administrators in the private chat');
    const owner = chats.firstMember(chat.id);
    return [
      ...(owner === undefined ? [] : [{ status: 'creator', user: owner, is_anonymous: false } as ChatMember]),
      adminMember(botUser),
    ];
  }

  private setWebhook(p: BotApiParams): true {
    const { queue, webhook } = this.deps;
    if (typeof p.url !== 'string' || p.url === '') {
      webhook.set(null);
      return true;
    }
    if (!/^https?:\/\//.test(p.url))
      throw new BotApiError(400, 'Bad Request: bad webhook: An HTTPS URL must be provided for webhook');
    if (
      p.secret_token !== undefined &&
      (typeof p.secret_token !== 'string' || !/^[A-Za-z0-9_-]{1,256}$/.test(p.secret_token))
    ) {
      throw new BotApiError(400, 'Bad Request: secret token contains unallowed characters');
    }
    queue.setAllowedUpdates(p.allowed_updates);
    if (p.drop_pending_updates === true) queue.drop();
    queue.endPoll();
    webhook.set({
      url: p.url,
      secret: p.secret_token as string | undefined,
      maxConnections: optionalInt(p.max_connections, 'max_connections') ?? 40,
    });
    return true;
  }
}

function optionalInt(value: unknown, name: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  const n = typeof value === 'string' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n))
    throw new BotApiError(400, `Bad Request: wrong parameter ${name} in request`);
  return n;
}

function replyTarget(p: BotApiParams): number | undefined {
  const params = p.reply_parameters as { message_id?: unknown } | undefined;
  const id = params?.message_id ?? p.reply_to_message_id;
  return typeof id === 'number' ? id : undefined;
}

function allowsNoReply(p: BotApiParams): boolean {
  return (
    (p.reply_parameters as { allow_sending_without_reply?: unknown } | undefined)?.allow_sending_without_reply ===
      true || p.allow_sending_without_reply === true
  );
}

function botMember(user: User, rights: BotRights): ChatMember {
  if (rights === 'member') return { status: 'member', user };
  return { ...adminMember(user), can_restrict_members: rights === 'admin' } as ChatMember;
}

function restrictedMember(user: User, r: RestrictionRecord): ChatMember {
  return {
    status: 'restricted',
    user,
    is_member: true,
    can_send_messages: r.canSendMessages,
    can_send_audios: false,
    can_send_documents: false,
    can_send_photos: false,
    can_send_videos: false,
    can_send_video_notes: false,
    can_send_voice_notes: false,
    can_send_polls: false,
    can_send_other_messages: false,
    can_add_web_page_previews: false,
    can_change_info: false,
    can_invite_users: false,
    can_pin_messages: false,
    can_manage_topics: false,
    until_date: r.untilDate,
  } as ChatMember;
}

function adminMember(user: User): ChatMember {
  return {
    status: 'administrator',
    user,
    can_be_edited: false,
    is_anonymous: false,
    can_manage_chat: true,
    can_delete_messages: true,
    can_manage_video_chats: false,
    can_restrict_members: true,
    can_promote_members: false,
    can_change_info: false,
    can_invite_users: true,
    can_post_stories: false,
    can_edit_stories: false,
    can_delete_stories: false,
  } as ChatMember;
}
