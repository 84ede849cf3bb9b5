import { randomBytes } from 'node:crypto';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Message, MessageEntity, User, UserFromGetMe } from 'grammy/types';
import { type Clock, SystemClock } from '../runtime/index.js';
import { type SendLimits, TELEGRAM_LIMITS } from '../telegram/index.js';
import { BotApiError, tooManyRequests } from './bot-api-error.js';
import { type BotApiParams, BotApiMethods, type RestrictionRecord, type SentRecord } from './bot-api-methods.js';
import { type BotRights, EmulatorChats, withoutReply } from './emulator-chats.js';
import { emulatorControlRoutes } from './emulator-control-routes.js';
import { breakConnection, type FaultKind, FaultPlan, type FaultRates, type ScriptedFault } from './emulator-fault.js';
import { EmulatorIds } from './emulator-ids.js';
import { FloodGate } from './flood-gate.js';
import { listenUrl } from './listen-url.js';
import { SeededRandom } from './seeded-random.js';
import { UpdateQueue } from './update-queue.js';
import { WebhookDelivery } from './webhook-delivery.js';

export type { RestrictionRecord, SentRecord } from './bot-api-methods.js';
export type { BotRights } from './emulator-chats.js';

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
  /** Time for message dates, flood limits, long polls, send latency and webhook retries. Default: the system clock. */
  clock?: Clock;
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

/**
 * A Bot API server for tests, benches and the sandbox: the subset Lekha uses
 * (getMe, getUpdates long polling, sendMessage, sendChatAction,
 * setMessageReaction, setWebhook/deleteWebhook/getWebhookInfo,
 * getChatMember, getChatAdministrators, restrictChatMember, deleteMessage), answering in the real API's JSON
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
  private readonly clock: Clock;
  private readonly random: SeededRandom;
  private readonly faults = new FaultPlan();
  private readonly chats: EmulatorChats;
  private readonly queue: UpdateQueue;
  private readonly webhook: WebhookDelivery;
  private readonly flood: FloodGate;
  private readonly methods: BotApiMethods;
  private readonly heldSockets = new Set<NodeJS.Timeout>();
  private faultCounts: Record<FaultKind, number> = { '429': 0, '5xx': 0, timeout: 0, reset: 0 };
  private baseUrl = '';

  private constructor(private readonly options: BotApiEmulatorOptions) {
    this.token =
      options.token ?? `${100_000 + Math.floor(Math.random() * 899_999)}:${randomBytes(26).toString('base64url')}`;
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
    this.clock = options.clock ?? new SystemClock();
    this.random = new SeededRandom(options.seed);
    const now = this.clock.now();
    const ids =
      options.stateDir === undefined ? EmulatorIds.fromClock(now) : EmulatorIds.persisted(options.stateDir, now);
    this.chats = new EmulatorChats(ids, options.keepMessagesPerChat ?? 200);
    this.queue = new UpdateQueue(ids, this.clock);
    this.webhook = new WebhookDelivery(this.queue, this.clock);
    this.flood = new FloodGate(options.limits ?? TELEGRAM_LIMITS, this.clock);
    this.methods = new BotApiMethods({
      botUser: this.botUser,
      chats: this.chats,
      queue: this.queue,
      webhook: this.webhook,
      flood: this.flood,
      clock: this.clock,
      sendLatencyMs: options.sendLatencyMs ?? 0,
      recordSent: (record) => {
        this.sent.push(record);
        this.onSent?.(record);
      },
    });
    this.app = Fastify({ logger: false, forceCloseConnections: true, bodyLimit: 10 << 20 });
    const handler = (
      request: FastifyRequest<{ Params: { token: string; method: string } }>,
      reply: FastifyReply,
    ): Promise<unknown> => this.handle(request, reply);
    // File uploads (sendDocument) come as multipart/form-data: taken whole here, read in `handle`.
    this.app.addContentTypeParser('multipart/form-data', { parseAs: 'buffer' }, (_request, body, done) =>
      done(null, body),
    );
    this.app.post('/bot:token/:method', handler);
    this.app.get('/bot:token/:method', handler);
    void this.app.register(emulatorControlRoutes(this));
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
    const chat = this.chats.chatFor({ ...input, firstName: input.from.firstName });
    const from: User = {
      id: input.from.id,
      is_bot: input.from.isBot ?? false,
      first_name: input.from.firstName,
      ...(input.from.username === undefined ? {} : { username: input.from.username }),
    };
    this.chats.addMember(chat.id, from);
    const replied =
      input.replyToMessageId === undefined ? undefined : this.chats.message(chat.id, input.replyToMessageId);
    const message = {
      message_id: this.chats.newMessageId(chat.id),
      date: Math.floor(this.clock.now() / 1000),
      chat,
      from,
      text: input.text,
      ...(input.entities === undefined ? {} : { entities: input.entities }),
      ...(replied === undefined ? {} : { reply_to_message: withoutReply(replied) }),
    } as Message;
    this.chats.remember(chat.id, message);
    const updateId = this.enqueue({ message });
    return { updateId, message };
  }

  /**
   * Delivers the service message Telegram sends when a user joins a group
   * (by an invite link: the joiner is both the sender and the new member).
   */
  injectJoin(input: { chatId: number; title?: string; user: { id: number; firstName: string; username?: string } }): {
    updateId: number;
    message: Message;
  } {
    const chat = this.chats.chatFor({
      chatId: input.chatId,
      ...(input.title === undefined ? {} : { title: input.title }),
      firstName: input.user.firstName,
    });
    const user: User = {
      id: input.user.id,
      is_bot: false,
      first_name: input.user.firstName,
      ...(input.user.username === undefined ? {} : { username: input.user.username }),
    };
    this.chats.addMember(chat.id, user);
    const message = {
      message_id: this.chats.newMessageId(chat.id),
      date: Math.floor(this.clock.now() / 1000),
      chat,
      from: user,
      new_chat_members: [user],
    } as Message;
    this.chats.remember(chat.id, message);
    return { updateId: this.enqueue({ message }), message };
  }

  /** The bot's standing in a group (an admin allowed to restrict members unless set otherwise). */
  setBotRights(chatId: number, rights: BotRights): void {
    this.chats.setBotRights(chatId, rights);
  }

  /** Messages the bot deleted (`deleteMessage`), in order. */
  get deletions(): readonly { chatId: number; messageId: number }[] {
    return this.methods.deletions;
  }

  /** Members the bot restricted (`restrictChatMember`), in order. */
  get restrictions(): readonly RestrictionRecord[] {
    return this.methods.restrictions;
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
    this.queue.holdConfirmations(held);
  }

  /** Messages the bot sent into `chatId`, in order. */
  sentTo(chatId: number): SentRecord[] {
    return this.sent.filter((s) => s.chatId === chatId);
  }

  /** Updates not yet confirmed by the bot. */
  get pendingCount(): number {
    return this.queue.pendingCount;
  }

  stats(): BotApiEmulatorStats {
    return {
      pendingUpdates: this.pendingCount,
      injected: this.queue.injected,
      sent: this.sent.length,
      chatActions: this.methods.chatActions,
      reactions: this.methods.reactions,
      floodRejections: this.flood.rejections,
      faults: { ...this.faultCounts },
      getUpdatesCalls: this.methods.getUpdatesCalls,
      webhookDeliveries: this.webhook.deliveries,
    };
  }

  async close(): Promise<void> {
    this.queue.close();
    this.webhook.close();
    for (const t of this.heldSockets) clearTimeout(t);
    await this.app.close();
  }

  // ---- HTTP ----

  private enqueue(body: Record<string, unknown>): number {
    const updateId = this.queue.enqueue(body);
    this.webhook.deliver();
    return updateId;
  }

  private async handle(
    request: FastifyRequest<{ Params: { token: string; method: string } }>,
    reply: FastifyReply,
  ): Promise<unknown> {
    const { token, method } = request.params;
    if (token !== this.token) return reply.code(401).send({ ok: false, error_code: 401, description: 'Unauthorized' });
    const fault = this.faults.take(method, () => this.random.next());
    if (fault !== null) return this.applyFault(fault, request, reply);
    const body = Buffer.isBuffer(request.body) ? await formFields(request) : request.body;
    const params: BotApiParams = {
      ...(request.query as BotApiParams),
      ...(typeof body === 'object' && body !== null ? (body as BotApiParams) : {}),
    };
    try {
      const result = await this.methods.call(method, params);
      return reply.send({ ok: true, result });
    } catch (error) {
      if (error instanceof BotApiError) return reply.code(error.code).send(error.toJSON());
      throw error;
    }
  }

  private async applyFault(
    fault: { kind: FaultKind; retryAfterS: number },
    request: FastifyRequest,
    reply: FastifyReply,
  ): Promise<unknown> {
    this.faultCounts[fault.kind]++;
    switch (fault.kind) {
      case '429': {
        const chatId = Number((request.body as { chat_id?: unknown } | null)?.chat_id);
        if (Number.isFinite(chatId)) this.flood.holdOff(chatId, fault.retryAfterS);
        return reply.code(429).send(tooManyRequests(fault.retryAfterS).toJSON());
      }
      case '5xx':
        return reply.code(502).send({ ok: false, error_code: 502, description: 'Bad Gateway' });
      case 'reset':
      case 'timeout':
        return breakConnection(fault.kind, request, reply, this.options.faultHoldMs ?? 120_000, this.heldSockets);
    }
  }
}

/**
 * The fields of a multipart/form-data call, read by the platform's own
 * parser (undici's `Response.formData`): text fields as strings (numbers as
 * the Bot API would read them), files as `{ fileName, bytes }`. A field
 * holding `attach://<name>` is the file sent under that name, as grammY
 * uploads them.
 */
async function formFields(request: FastifyRequest): Promise<BotApiParams> {
  const contentType = String(request.headers['content-type']);
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/.exec(contentType);
  const body =
    boundary === null
      ? (request.body as Buffer)
      : spacedPartHeaders(request.body as Buffer, boundary[1] ?? boundary[2] ?? '');
  const form = await new Response(body, { headers: { 'content-type': contentType } }).formData();
  const fields: BotApiParams = {};
  for (const [name, value] of form.entries()) {
    if (typeof value === 'string') fields[name] = /^-?\d+$/.test(value) ? Number(value) : value;
    else fields[name] = { fileName: value.name, bytes: new Uint8Array(await value.arrayBuffer()) };
  }
  for (const [name, value] of Object.entries(fields)) {
    if (typeof value === 'string' && value.startsWith('attach://'))
      fields[name] = fields[value.slice('attach://'.length)];
  }
  return fields;
}

/**
 * grammY writes part headers without the blank after `;`
 * (`content-disposition:form-data;name="x";filename=y`), which RFC 7578
 * allows and Node 20's form-data parser refuses: the headers of each part
 * are rewritten to the spaced, quoted form before it parses the body. Only
 * header bytes change; file contents are copied untouched.
 */
function spacedPartHeaders(body: Buffer, boundary: string): Buffer {
  const delimiter = Buffer.from(`--${boundary}\r\n`);
  const chunks: Buffer[] = [];
  let at = 0;
  for (;;) {
    const start = body.indexOf(delimiter, at);
    if (start === -1) break;
    const headersAt = start + delimiter.length;
    const headersEnd = body.indexOf('\r\n\r\n', headersAt);
    if (headersEnd === -1) break;
    chunks.push(body.subarray(at, headersAt));
    const headers = body
      .subarray(headersAt, headersEnd)
      .toString('latin1')
      .replace(
        /;\s*(name|filename)=("([^"]*)"|[^;\r\n]*)/g,
        (_all, key: string, raw: string, quoted?: string) => `; ${key}="${quoted ?? raw.trim()}"`,
      );
    chunks.push(Buffer.from(headers, 'latin1'));
    at = headersEnd;
  }
  chunks.push(body.subarray(at));
  return Buffer.concat(chunks);
}
