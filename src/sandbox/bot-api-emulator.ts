import { randomBytes } from 'node:crypto';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Chat, ChatMember, Message, MessageEntity, Update, User, UserFromGetMe } from 'grammy/types';

/** What Telegram nests as `reply_to_message`: a message without its own reply. */
type ReplyMessage = NonNullable<Message['reply_to_message']>;
import { type SendLimits, SlidingWindow, TELEGRAM_LIMITS } from '../telegram/index.js';
import { EmulatorIds } from './emulator-ids.js';
import { breakConnection, type FaultKind, FaultPlan, type FaultRates, parseFaultRequest, type ScriptedFault } from './emulator-fault.js';
import { listenUrl } from './listen-url.js';
import { SeededRandom } from './seeded-random.js';

export interface BotApiEmulatorOptions {
  /** The only token the emulator accepts; a random valid-looking one by default. */
  token?: string;
  bot?: { id?: number; username?: string; firstName?: string; canReadAllGroupMessages?: boolean };
  /** Flood limits answered with 429 `retry_after`; `false` turns them off. Default: Telegram's. */
  limits?: SendLimits | false;
  /** Delay before answering sendMessage, to look like a real network. */
  sendLatencyMs?: number;
  /** How long a "timeout" fault holds a call before dropping the connection. */
  faultHoldMs?: number;
  /** Messages kept per chat for `reply_to_message` lookups. */
  keepMessagesPerChat?: number;
  seed?: number;
  /**
   * Where the update and message id counters are kept between runs
   * (`emulator-ids.json`), so a bot that keeps its state sees ids above the
   * ones it already handled. Without it they start from the clock.
   */
  stateDir?: string;
  host?: string;
  /** 0: any free port. */
  port?: number;
}

/** A message to inject as if a user had sent it. */
export interface InjectedMessage {
  chatId: number;
  /** Default: private for positive ids, supergroup for negative ones. */
  chatType?: 'private' | 'group' | 'supergroup';
  title?: string;
  from: { id: number; firstName: string; username?: string; isBot?: boolean };
  text: string;
  replyToMessageId?: number;
  entities?: MessageEntity[];
}

/** What the bot sent, as recorded by the emulator. */
export interface SentRecord {
  chatId: number;
  messageId: number;
  text: string;
  replyToMessageId: number | undefined;
  atMs: number;
}

export interface BotApiEmulatorStats {
  pendingUpdates: number;
  injected: number;
  sent: number;
  chatActions: number;
  reactions: number;
  floodRejections: number;
  faults: Record<FaultKind, number>;
  getUpdatesCalls: number;
  webhookDeliveries: number;
}

interface Waiter {
  wake: () => void;
  conflict: () => void;
}

type Params = Record<string, unknown>;

class ApiError extends Error {
  constructor(readonly code: number, readonly description: string, readonly parameters?: { retry_after: number }) {
    super(description);
  }
}

const CHAT_ACTIONS = new Set([
  'typing', 'upload_photo', 'record_video', 'upload_video', 'record_voice', 'upload_voice', 'upload_document',
  'choose_sticker', 'find_location', 'record_video_note', 'upload_video_note',
]);

/**
 * A Bot API server for tests, benches and the sandbox: the subset Lekha uses
 * (getMe, getUpdates long polling, sendMessage, sendChatAction,
 * setMessageReaction, setWebhook/deleteWebhook/getWebhookInfo,
 * getChatMember, getChatAdministrators), answering in the real API's JSON
 * shapes and error formats. It lets a test inject user messages into any
 * number of chats, records what the bot sent, enforces Telegram's flood
 * limits with 429 `retry_after`, and injects faults (5xx, timeouts,
 * connection resets). Updates stay pending until a getUpdates offset (or a
 * 2xx webhook answer) confirms them, as on Telegram, so a bot restarted after
 * a crash is handed its unconfirmed updates again.
 */
export class BotApiEmulator {
  readonly token: string;
  readonly botUser: UserFromGetMe;
  /** Everything the bot sent, in order. */
  readonly sent: SentRecord[] = [];
  /** Called for every message the bot sends. */
  onSent: ((record: SentRecord) => void) | null = null;

  private readonly app: FastifyInstance;
  private readonly random: SeededRandom;
  private readonly faults = new FaultPlan();
  private readonly pending: Update[] = [];
  private pendingHead = 0;
  private readonly ids: EmulatorIds;
  private readonly chats = new Map<number, Chat>();
  private readonly members = new Map<number, Map<number, User>>();
  private readonly messages = new Map<number, Map<number, Message>>();
  /** The last message id of each chat in this run. */
  private readonly lastMessageId = new Map<number, number>();
  private readonly chatWindows = new Map<number, SlidingWindow>();
  /** Chats told to wait, and until when: Telegram keeps answering 429 until retry_after has passed. */
  private readonly floodPenalty = new Map<number, number>();
  private readonly globalWindow: SlidingWindow | null;
  private readonly limits: SendLimits | false;
  private waiter: Waiter | null = null;
  private allowedUpdates: string[] = [];
  private confirmationsHeld = false;
  private webhook: { url: string; secret: string | undefined; maxConnections: number } | null = null;
  private webhookInFlight = new Set<number>();
  private webhookBusyChats = new Set<number>();
  private webhookRetry: NodeJS.Timeout | null = null;
  private readonly heldSockets = new Set<NodeJS.Timeout>();
  private counters = { injected: 0, chatActions: 0, reactions: 0, floodRejections: 0, getUpdatesCalls: 0, webhookDeliveries: 0 };
  private faultCounts: Record<FaultKind, number> = { '429': 0, '5xx': 0, timeout: 0, reset: 0 };
  private baseUrl = '';
  private closed = false;

  private constructor(private readonly options: BotApiEmulatorOptions) {
    this.token = options.token ?? `${100_000 + Math.floor(Math.random() * 899_999)}:${randomBytes(26).toString('base64url')}`;
    const botId = options.bot?.id ?? Number(this.token.split(':')[0]);
    this.botUser = {
      id: botId,
      is_bot: true,
      first_name: options.bot?.firstName ?? 'Лёха',
      username: options.bot?.username ?? 'lekha_sandbox_bot',
      can_join_groups: true,
      can_read_all_group_messages: options.bot?.canReadAllGroupMessages ?? true,
      supports_inline_queries: false,
      can_connect_to_business: false,
      has_main_web_app: false,
      has_topics_enabled: false,
      allows_users_to_create_topics: false,
      can_manage_bots: false,
      supports_join_request_queries: false,
    };
    this.random = new SeededRandom(options.seed);
    this.ids = options.stateDir === undefined ? EmulatorIds.fromClock(Date.now()) : EmulatorIds.persisted(options.stateDir, Date.now());
    this.limits = options.limits ?? TELEGRAM_LIMITS;
    this.globalWindow = this.limits === false ? null : new SlidingWindow(Math.max(1, Math.floor(this.limits.globalPerS)), 1000);
    this.app = Fastify({ logger: false, forceCloseConnections: true, bodyLimit: 10 << 20 });
    this.routes();
  }

  /** Starts an emulator listening on `host:port` (any free port by default). */
  static async start(options: BotApiEmulatorOptions = {}): Promise<BotApiEmulator> {
    const emulator = new BotApiEmulator(options);
    emulator.baseUrl = await listenUrl(emulator.app, options);
    return emulator;
  }

  /** The Bot API root to give the bot (`TELEGRAM_API_ROOT`). */
  get apiRoot(): string {
    return this.baseUrl;
  }

  // ---- driving it ----

  /** Delivers a message as if a user had sent it; returns the message and its update id. */
  injectMessage(input: InjectedMessage): { updateId: number; message: Message } {
    const chat = this.chatFor(input);
    const from: User = {
      id: input.from.id,
      is_bot: input.from.isBot ?? false,
      first_name: input.from.firstName,
      ...(input.from.username === undefined ? {} : { username: input.from.username }),
    };
    this.memberMap(chat.id).set(from.id, from);
    const replied = input.replyToMessageId === undefined ? undefined : this.messages.get(chat.id)?.get(input.replyToMessageId);
    const message = {
      message_id: this.newMessageId(chat.id),
      date: Math.floor(Date.now() / 1000),
      chat,
      from,
      text: input.text,
      ...(input.entities === undefined ? {} : { entities: input.entities }),
      ...(replied === undefined ? {} : { reply_to_message: withoutReply(replied) }),
    } as Message;
    this.remember(chat.id, message);
    const updateId = this.enqueue({ message } as Omit<Update, 'update_id'>);
    return { updateId, message };
  }

  /**
   * Queues any JSON as an update (for malformed-update tests). `update_id` is
   * assigned unless the object carries one; returns the id used.
   */
  injectRawUpdate(body: Record<string, unknown>): number {
    return this.enqueue(body);
  }

  /** Queues a fault for the next matching call(s); see {@link ScriptedFault}. */
  injectFault(fault: ScriptedFault): void {
    this.faults.add(fault);
  }

  /** Random faults for every call from now on (probability per kind). */
  setFaultRates(rates: FaultRates): void {
    this.faults.setRates(rates);
  }

  clearFaults(): void {
    this.faults.clear();
  }

  /**
   * While held, getUpdates offsets fetch onward but confirm nothing, as if
   * every confirming request had been lost: a bot crashed now is handed
   * again, after its restart, updates it had already handled.
   */
  holdConfirmations(held: boolean): void {
    this.confirmationsHeld = held;
  }

  /** Messages the bot sent into `chatId`, in order. */
  sentTo(chatId: number): SentRecord[] {
    return this.sent.filter((s) => s.chatId === chatId);
  }

  /** Updates not yet confirmed by the bot. */
  get pendingCount(): number {
    return this.pending.length - this.pendingHead;
  }

  stats(): BotApiEmulatorStats {
    return { pendingUpdates: this.pendingCount, sent: this.sent.length, ...this.counters, faults: { ...this.faultCounts } };
  }

  async close(): Promise<void> {
    this.closed = true;
    this.waiter?.wake();
    if (this.webhookRetry !== null) clearTimeout(this.webhookRetry);
    for (const t of this.heldSockets) clearTimeout(t);
    await this.app.close();
  }

  // ---- HTTP ----

  private routes(): void {
    const handler = (request: FastifyRequest<{ Params: { token: string; method: string } }>, reply: FastifyReply): Promise<unknown> =>
      this.handle(request, reply);
    this.app.post('/bot:token/:method', handler);
    this.app.get('/bot:token/:method', handler);

    // Control endpoints for manual use (`lekha emulator`) and the sandbox.
    this.app.post('/_emulator/messages', async (request, reply) => {
      const body = (request.body ?? {}) as { chat_id?: unknown; text?: unknown; from_id?: unknown; first_name?: unknown; chat_type?: unknown; title?: unknown };
      if (typeof body.chat_id !== 'number' || typeof body.text !== 'string' || body.text.length === 0) {
        return reply.code(400).send({ ok: false, description: 'expected {"chat_id": number, "text": string, "from_id"?: number, "first_name"?: string}' });
      }
      const fromId = typeof body.from_id === 'number' ? body.from_id : body.chat_id > 0 ? body.chat_id : 1000;
      const injected = this.injectMessage({
        chatId: body.chat_id,
        text: body.text,
        from: { id: fromId, firstName: typeof body.first_name === 'string' ? body.first_name : `user${fromId}` },
        ...(body.chat_type === 'group' || body.chat_type === 'supergroup' || body.chat_type === 'private' ? { chatType: body.chat_type } : {}),
        ...(typeof body.title === 'string' ? { title: body.title } : {}),
      });
      return { ok: true, result: { update_id: injected.updateId, message_id: injected.message.message_id } };
    });
    this.app.get('/_emulator/sent', async (request) => {
      const chatId = Number((request.query as { chat_id?: string }).chat_id);
      return { ok: true, result: Number.isFinite(chatId) ? this.sentTo(chatId) : this.sent.slice(-200) };
    });
    this.app.post('/_emulator/faults', async (request, reply) => {
      const fault = parseFaultRequest(request.body, 'method');
      if (fault === null) return reply.code(400).send({ ok: false, description: 'expected {"kind": "429"|"5xx"|"timeout"|"reset", "count"?: n, "method"?: name, "retry_after"?: s}' });
      this.injectFault(fault);
      return { ok: true };
    });
    this.app.get('/_emulator/stats', async () => ({ ok: true, result: this.stats() }));
  }

  private async handle(request: FastifyRequest<{ Params: { token: string; method: string } }>, reply: FastifyReply): Promise<unknown> {
    const { token, method } = request.params;
    if (token !== this.token) return reply.code(401).send({ ok: false, error_code: 401, description: 'Unauthorized' });
    const fault = this.faults.take(method, () => this.random.next());
    if (fault !== null) return this.applyFault(fault, request, reply);
    const params: Params = { ...(request.query as Params), ...(typeof request.body === 'object' && request.body !== null ? (request.body as Params) : {}) };
    try {
      const result = await this.call(method, params);
      return reply.send({ ok: true, result });
    } catch (error) {
      if (error instanceof ApiError) {
        return reply
          .code(error.code)
          .send({ ok: false, error_code: error.code, description: error.description, ...(error.parameters === undefined ? {} : { parameters: error.parameters }) });
      }
      throw error;
    }
  }

  private async applyFault(fault: { kind: FaultKind; retryAfterS: number }, request: FastifyRequest, reply: FastifyReply): Promise<unknown> {
    this.faultCounts[fault.kind]++;
    switch (fault.kind) {
      case '429': {
        const chatId = Number((request.body as { chat_id?: unknown } | null)?.chat_id);
        if (Number.isFinite(chatId)) this.floodPenalty.set(chatId, Date.now() + fault.retryAfterS * 1000);
        return reply.code(429).send({
          ok: false,
          error_code: 429,
          description: `Too Many Requests: retry after ${fault.retryAfterS}`,
          parameters: { retry_after: fault.retryAfterS },
        });
      }
      case '5xx':
        return reply.code(502).send({ ok: false, error_code: 502, description: 'Bad Gateway' });
      case 'reset':
      case 'timeout':
        return breakConnection(fault.kind, request, reply, this.options.faultHoldMs ?? 120_000, this.heldSockets);
    }
  }

  private async call(method: string, p: Params): Promise<unknown> {
    switch (method) {
      case 'getMe':
        return this.botUser;
      case 'getUpdates':
        return this.getUpdates(p);
      case 'sendMessage':
        return this.sendMessage(p);
      case 'sendChatAction': {
        this.chatOf(p.chat_id);
        if (typeof p.action !== 'string' || !CHAT_ACTIONS.has(p.action)) throw new ApiError(400, 'Bad Request: wrong parameter action in request');
        this.counters.chatActions++;
        return true;
      }
      case 'setMessageReaction': {
        const chat = this.chatOf(p.chat_id);
        if (typeof p.message_id !== 'number' || !this.messages.get(chat.id)?.has(p.message_id)) throw new ApiError(400, 'Bad Request: message to react not found');
        this.counters.reactions++;
        return true;
      }
      case 'getChatMember':
        return this.getChatMember(p);
      case 'getChatAdministrators':
        return this.getChatAdministrators(p);
      case 'setWebhook':
        return this.setWebhook(p);
      case 'deleteWebhook':
        this.webhook = null;
        if (p.drop_pending_updates === true) this.dropPending();
        return true;
      case 'getWebhookInfo':
        return {
          url: this.webhook?.url ?? '',
          has_custom_certificate: false,
          pending_update_count: this.pendingCount,
          ...(this.webhook === null ? {} : { max_connections: this.webhook.maxConnections, allowed_updates: this.allowedUpdates }),
        };
      default:
        throw new ApiError(404, 'Not Found');
    }
  }

  // ---- methods ----

  private async getUpdates(p: Params): Promise<Update[]> {
    this.counters.getUpdatesCalls++;
    if (this.webhook !== null) throw new ApiError(409, "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first");
    const offset = optionalInt(p.offset, 'offset');
    const limit = Math.min(100, Math.max(1, optionalInt(p.limit, 'limit') ?? 100));
    const timeoutS = Math.max(0, optionalInt(p.timeout, 'timeout') ?? 0);
    if (Array.isArray(p.allowed_updates)) this.allowedUpdates = p.allowed_updates.filter((u): u is string => typeof u === 'string');
    if (offset !== undefined && !this.confirmationsHeld) this.confirmBelow(offset);
    const from = offset !== undefined && offset > 0 ? offset : 0;
    // A newer poll ends an older one, as on Telegram.
    this.waiter?.conflict();
    this.waiter = null;
    let batch = this.takeBatch(limit, from);
    if (batch.length === 0 && timeoutS > 0 && !this.closed) {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(done, timeoutS * 1000);
        const waiter: Waiter = {
          wake: done,
          conflict: () => {
            clearTimeout(timer);
            reject(new ApiError(409, 'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running'));
          },
        };
        function done(): void {
          clearTimeout(timer);
          resolve();
        }
        this.waiter = waiter;
      });
      this.waiter = null;
      batch = this.takeBatch(limit, from);
    }
    return batch;
  }

  private sendMessage(p: Params): Promise<Message> | Message {
    const chat = this.chatOf(p.chat_id);
    const text = p.text;
    if (typeof text !== 'string' || text.trim().length === 0) throw new ApiError(400, 'Bad Request: message text is empty');
    if (text.length > 4096) throw new ApiError(400, 'Bad Request: message is too long');
    this.checkFlood(chat.id);
    const replyTo = replyTarget(p);
    const replied = replyTo === undefined ? undefined : this.messages.get(chat.id)?.get(replyTo);
    // Only the last messages of a chat are kept; an older id was real, so only a never-issued one is "not found".
    const issued = replyTo !== undefined && replyTo > 0 && replyTo <= (this.lastMessageId.get(chat.id) ?? this.ids.messageFloor);
    if (replyTo !== undefined && !issued && !allowsNoReply(p)) throw new ApiError(400, 'Bad Request: message to be replied not found');
    const message = {
      message_id: this.newMessageId(chat.id),
      date: Math.floor(Date.now() / 1000),
      chat,
      from: this.botUser,
      text,
      ...(replied === undefined ? {} : { reply_to_message: withoutReply(replied) }),
    } as Message;
    this.remember(chat.id, message);
    const record: SentRecord = { chatId: chat.id, messageId: message.message_id, text, replyToMessageId: issued ? replyTo : undefined, atMs: Date.now() };
    this.sent.push(record);
    this.onSent?.(record);
    const latency = this.options.sendLatencyMs ?? 0;
    return latency > 0 ? new Promise((resolve) => setTimeout(() => resolve(message), latency)) : message;
  }

  private getChatMember(p: Params): ChatMember {
    const chat = this.chatOf(p.chat_id);
    const userId = optionalInt(p.user_id, 'user_id');
    if (userId === undefined) throw new ApiError(400, 'Bad Request: user_id is empty');
    if (userId === this.botUser.id) return adminMember(this.botUser);
    const user = this.members.get(chat.id)?.get(userId);
    if (user === undefined) return { status: 'left', user: { id: userId, is_bot: false, first_name: 'Deleted Account' } };
    return this.firstMember(chat.id)?.id === userId ? { status: 'creator', user, is_anonymous: false } : { status: 'member', user };
  }

  private getChatAdministrators(p: Params): ChatMember[] {
    const chat = this.chatOf(p.chat_id);
    if (chat.type === 'private') throw new ApiError(400, 'Bad Request: there are no administrators in the private chat');
    const owner = this.firstMember(chat.id);
    return [...(owner === undefined ? [] : [{ status: 'creator', user: owner, is_anonymous: false } as ChatMember]), adminMember(this.botUser)];
  }

  private setWebhook(p: Params): true {
    if (typeof p.url !== 'string' || p.url === '') {
      this.webhook = null;
      return true;
    }
    if (!/^https?:\/\//.test(p.url)) throw new ApiError(400, 'Bad Request: bad webhook: An HTTPS URL must be provided for webhook');
    if (p.secret_token !== undefined && (typeof p.secret_token !== 'string' || !/^[A-Za-z0-9_-]{1,256}$/.test(p.secret_token))) {
      throw new ApiError(400, 'Bad Request: secret token contains unallowed characters');
    }
    if (Array.isArray(p.allowed_updates)) this.allowedUpdates = p.allowed_updates.filter((u): u is string => typeof u === 'string');
    if (p.drop_pending_updates === true) this.dropPending();
    this.waiter?.conflict();
    this.waiter = null;
    this.webhook = { url: p.url, secret: p.secret_token as string | undefined, maxConnections: optionalInt(p.max_connections, 'max_connections') ?? 40 };
    this.deliverWebhooks();
    return true;
  }

  // ---- updates ----

  private enqueue(body: Record<string, unknown>): number {
    const given = body.update_id;
    const updateId = typeof given === 'number' ? given : this.ids.nextUpdateId();
    if (typeof given === 'number') this.ids.skipUpdateIdsTo(given);
    this.pending.push({ ...body, update_id: updateId } as Update);
    this.counters.injected++;
    this.waiter?.wake();
    if (this.webhook !== null) this.deliverWebhooks();
    return updateId;
  }

  private takeBatch(limit: number, fromId: number): Update[] {
    const out: Update[] = [];
    for (let i = this.pendingHead; i < this.pending.length && out.length < limit; i++) {
      const update = this.pending[i] as Update;
      if (update.update_id >= fromId && this.isAllowed(update)) out.push(update);
    }
    return out;
  }

  private isAllowed(update: Update): boolean {
    if (this.allowedUpdates.length === 0) return true;
    const kind = Object.keys(update).find((k) => k !== 'update_id');
    // Updates that are not objects of a known kind (malformed on purpose) are always delivered.
    return kind === undefined || this.allowedUpdates.includes(kind) || !KNOWN_KINDS.has(kind);
  }

  private confirmBelow(offset: number): void {
    if (offset < 0) {
      const keep = -offset;
      this.pendingHead = Math.max(this.pendingHead, this.pending.length - keep);
    } else {
      while (this.pendingHead < this.pending.length && (this.pending[this.pendingHead] as Update).update_id < offset) this.pendingHead++;
    }
    if (this.pendingHead > 4096 && this.pendingHead * 2 > this.pending.length) {
      this.pending.splice(0, this.pendingHead);
      this.pendingHead = 0;
    }
  }

  private dropPending(): void {
    this.pendingHead = this.pending.length;
  }

  /**
   * Posts pending updates to the webhook: several at once, but one at a time
   * per chat; a 2xx answer confirms an update, anything else retries it later.
   */
  private deliverWebhooks(): void {
    const webhook = this.webhook;
    if (webhook === null || this.closed) return;
    for (let i = this.pendingHead; i < this.pending.length && this.webhookInFlight.size < webhook.maxConnections; i++) {
      const update = this.pending[i] as Update;
      if (this.webhookInFlight.has(update.update_id)) continue;
      const chatId = chatIdOf(update);
      if (chatId !== undefined && this.webhookBusyChats.has(chatId)) continue;
      this.webhookInFlight.add(update.update_id);
      if (chatId !== undefined) this.webhookBusyChats.add(chatId);
      this.counters.webhookDeliveries++;
      void this.postWebhook(webhook, update).then((ok) => {
        this.webhookInFlight.delete(update.update_id);
        if (chatId !== undefined) this.webhookBusyChats.delete(chatId);
        if (ok) this.removePending(update.update_id);
        if (ok) this.deliverWebhooks();
        else this.webhookRetry ??= setTimeout(() => {
          this.webhookRetry = null;
          this.deliverWebhooks();
        }, 500);
      });
    }
  }

  private async postWebhook(webhook: { url: string; secret: string | undefined }, update: Update): Promise<boolean> {
    try {
      const response = await fetch(webhook.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(webhook.secret === undefined ? {} : { 'x-telegram-bot-api-secret-token': webhook.secret }) },
        body: JSON.stringify(update),
        signal: AbortSignal.timeout(60_000),
      });
      await response.arrayBuffer();
      return response.ok;
    } catch {
      // The bot is down or slow: Telegram keeps the update and tries again, and so do we.
      return false;
    }
  }

  private removePending(updateId: number): void {
    const i = this.pending.findIndex((u, idx) => idx >= this.pendingHead && u.update_id === updateId);
    if (i < 0) return;
    if (i === this.pendingHead) this.pendingHead++;
    else this.pending.splice(i, 1);
  }

  // ---- chats and messages ----

  private chatFor(input: InjectedMessage): Chat {
    const existing = this.chats.get(input.chatId);
    if (existing !== undefined) return existing;
    const type = input.chatType ?? (input.chatId > 0 ? 'private' : 'supergroup');
    const chat: Chat =
      type === 'private'
        ? { id: input.chatId, type, first_name: input.from.firstName }
        : { id: input.chatId, type, title: input.title ?? `Chat ${input.chatId}` };
    this.chats.set(chat.id, chat);
    return chat;
  }

  private chatOf(raw: unknown): Chat {
    const chatId = typeof raw === 'string' && /^-?\d+$/.test(raw) ? Number(raw) : raw;
    if (chatId === undefined || chatId === '') throw new ApiError(400, 'Bad Request: chat_id is empty');
    const chat = typeof chatId === 'number' ? this.chats.get(chatId) : undefined;
    if (chat === undefined) throw new ApiError(400, 'Bad Request: chat not found');
    return chat;
  }

  private memberMap(chatId: number): Map<number, User> {
    let map = this.members.get(chatId);
    if (map === undefined) {
      map = new Map();
      this.members.set(chatId, map);
    }
    return map;
  }

  private firstMember(chatId: number): User | undefined {
    return this.members.get(chatId)?.values().next().value;
  }

  private newMessageId(chatId: number): number {
    const id = this.ids.nextMessageId(this.lastMessageId.get(chatId));
    this.lastMessageId.set(chatId, id);
    return id;
  }

  private remember(chatId: number, message: Message): void {
    let map = this.messages.get(chatId);
    if (map === undefined) {
      map = new Map();
      this.messages.set(chatId, map);
    }
    map.set(message.message_id, message);
    const keep = this.options.keepMessagesPerChat ?? 200;
    if (map.size > keep) map.delete(map.keys().next().value as number);
  }

  private checkFlood(chatId: number): void {
    const now = Date.now();
    const penalty = this.floodPenalty.get(chatId);
    if (penalty !== undefined) {
      if (penalty > now) throw this.tooManyRequests(penalty - now);
      this.floodPenalty.delete(chatId);
    }
    if (this.limits === false || this.globalWindow === null) return;
    let window = this.chatWindows.get(chatId);
    if (window === undefined) {
      window = chatId > 0 ? new SlidingWindow(Math.max(1, Math.floor(this.limits.privatePerS)), 1000) : new SlidingWindow(Math.max(1, Math.floor(this.limits.groupPerMin)), 60_000);
      this.chatWindows.set(chatId, window);
    }
    const chatAt = window.nextAllowedAt(now);
    if (chatAt > now) {
      this.floodPenalty.set(chatId, chatAt);
      throw this.tooManyRequests(chatAt - now);
    }
    const globalAt = this.globalWindow.nextAllowedAt(now);
    if (globalAt > now) throw this.tooManyRequests(globalAt - now);
    window.record(now);
    this.globalWindow.record(now);
  }

  private tooManyRequests(waitMs: number): ApiError {
    this.counters.floodRejections++;
    const retryAfter = Math.max(1, Math.ceil(waitMs / 1000));
    return new ApiError(429, `Too Many Requests: retry after ${retryAfter}`, { retry_after: retryAfter });
  }
}

const KNOWN_KINDS = new Set([
  'message', 'edited_message', 'channel_post', 'edited_channel_post', 'business_connection', 'business_message',
  'edited_business_message', 'deleted_business_messages', 'message_reaction', 'message_reaction_count', 'inline_query',
  'chosen_inline_result', 'callback_query', 'shipping_query', 'pre_checkout_query', 'purchased_paid_media', 'poll',
  'poll_answer', 'my_chat_member', 'chat_member', 'chat_join_request', 'chat_boost', 'removed_chat_boost',
]);

function optionalInt(value: unknown, name: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  const n = typeof value === 'string' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n)) throw new ApiError(400, `Bad Request: wrong parameter ${name} in request`);
  return n;
}

function replyTarget(p: Params): number | undefined {
  const params = p.reply_parameters as { message_id?: unknown } | undefined;
  const id = params?.message_id ?? p.reply_to_message_id;
  return typeof id === 'number' ? id : undefined;
}

function allowsNoReply(p: Params): boolean {
  return (p.reply_parameters as { allow_sending_without_reply?: unknown } | undefined)?.allow_sending_without_reply === true || p.allow_sending_without_reply === true;
}

/** Telegram nests the replied-to message one level deep only. */
function withoutReply(message: Message): ReplyMessage {
  const { reply_to_message: _dropped, ...rest } = message;
  return rest as ReplyMessage;
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

function chatIdOf(update: Update): number | undefined {
  const carrier = (update as { message?: { chat?: { id?: unknown } } }).message;
  return typeof carrier?.chat?.id === 'number' ? carrier.chat.id : undefined;
}
