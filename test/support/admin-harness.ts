import { rm } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type Logger, pino } from 'pino';
import type { LightMyRequestResponse } from 'fastify';
import {
  ActorChatControl,
  buildHttpApp,
  type ChatType,
  FileSessionStore,
  FileTelegramAdminStore,
  type HttpApp,
  type HttpDeps,
  type HttpOptions,
  issueToken,
  LiveFirstChatInsights,
  MemoryAuditLog,
  MemoryChatDirectory,
  MemoryTokenStore,
  type Role,
} from '../../src/http/index.js';
import {
  type Clock,
  type Counter,
  HeadlineMetric,
  type Histogram,
  LekhaError,
  MetricsRegistry,
  SystemClock,
} from '../../src/runtime/index.js';
import { MemoryDeadLetterStore } from '../../src/storage/index.js';
import { Supervisor } from '../../src/supervisor/index.js';
import { DeadLetterOffice } from '../../src/telegram/index.js';
import { setUpAudit } from './set-up-audit.js';
import {
  allAnalyticsOf,
  analyticsOf,
  type ChatMsg,
  type ChatState,
  ReportingChatActor,
  reportOf,
} from './reporting-chat-actor.js';

export interface AdminHarnessOptions {
  clock?: Clock;
  /** The reply generator; default answers at once. */
  llm?: (text: string) => Promise<string>;
  logger?: Logger;
  idleMs?: number;
  http?: Partial<HttpDeps>;
  options?: HttpOptions;
}

/**
 * A complete admin surface over a real Supervisor of `ReportingChatActor`s
 * and the in-memory ports: what the route tests, the browser test and the
 * bench drive. Snapshots persisted by the supervisor are the "storage" the
 * insights fall back to for passivated chats.
 */
export class AdminHarness {
  readonly clock: Clock;
  readonly metrics = new MetricsRegistry();
  readonly directory: MemoryChatDirectory;
  readonly audit = new MemoryAuditLog();
  readonly tokens = new MemoryTokenStore(this.audit);
  /** Where dashboard sessions and Telegram admins are kept, as without storage (removed by `close`). */
  readonly stateDir = path.join(tmpdir(), `lekha-admin-${randomBytes(6).toString('hex')}`);
  readonly sessions = new FileSessionStore(path.join(this.stateDir, 'admin-sessions.jsonl'), this.audit);
  readonly telegramAdmins = new FileTelegramAdminStore(path.join(this.stateDir, 'telegram-admins.jsonl'), this.audit);
  readonly snapshots = new Map<number, ChatState>();
  /** Chats whose stored state cannot be read: loading them quarantines the chat at once. */
  readonly unreadable = new Set<number>();
  readonly supervisor: Supervisor<number, ChatMsg, ChatState>;
  readonly updates: Counter;
  readonly replies: Counter;
  readonly llmLatency: Histogram;
  readonly logger: Logger;
  /** Dead letters the admin API lists, replays (a replay succeeds at once here) and discards. */
  readonly deadLetters = new MemoryDeadLetterStore();
  /** Members whose memories the API asked to forget, as (chat, user). */
  readonly forgotten: Array<{ chatId: number; userId: number }> = [];
  /** A working token for each role. */
  readonly tokenFor: Record<Role, string> = { viewer: '', operator: '', admin: '' };
  private nextMessageId = 1;

  private constructor(private readonly opts: AdminHarnessOptions) {
    this.clock = opts.clock ?? new SystemClock();
    this.logger = opts.logger ?? pino({ level: 'silent' });
    this.directory = new MemoryChatDirectory(this.clock);
    this.updates = this.metrics.counter(HeadlineMetric.updatesReceived, 'Telegram updates received');
    this.replies = this.metrics.counter(HeadlineMetric.repliesSent, 'Replies sent');
    this.llmLatency = this.metrics.histogram(HeadlineMetric.llmLatency, 'LLM request latency');
    const llm = opts.llm ?? (async (text: string) => `ответ на: ${text}`);
    const effects = {
      now: () => this.clock.now(),
      llm,
      replied: (latencyMs: number) => {
        this.replies.inc();
        this.llmLatency.recordMs(latencyMs);
      },
    };
    this.supervisor = new Supervisor<number, ChatMsg, ChatState>({
      create: (key, state) => new ReportingChatActor(key, state, effects),
      load: (key) => {
        if (this.unreadable.has(key))
          throw new LekhaError('SNAPSHOT_CORRUPT', `snapshot of ${key} cannot be decoded`, { retryable: false });
        const state = this.snapshots.get(key);
        return state === undefined ? undefined : structuredClone(state);
      },
      persist: (key, state) => {
        this.snapshots.set(key, structuredClone(state));
      },
      clock: this.clock,
      metrics: this.metrics,
      idleMs: opts.idleMs ?? 0,
    });
  }

  static async create(opts: AdminHarnessOptions = {}): Promise<AdminHarness> {
    const harness = new AdminHarness(opts);
    for (const role of ['viewer', 'operator', 'admin'] as const) {
      const issued = await issueToken(
        harness.tokens,
        { role, label: `${role} token`, createdBy: 'test' },
        harness.clock,
        setUpAudit,
      );
      harness.tokenFor[role] = issued.token;
    }
    return harness;
  }

  /** The ports wired the way `src/main.ts` wires the real ones. */
  deps(): HttpDeps {
    const actors = this.supervisor;
    return {
      logger: this.logger,
      metrics: this.metrics,
      runtime: this.supervisor,
      tokens: this.tokens,
      sessions: this.sessions,
      telegramAdmins: this.telegramAdmins,
      audit: this.audit,
      directory: this.directory,
      insights: new LiveFirstChatInsights<ChatMsg, ChatState>({
        actors,
        requests: {
          report: (reply) => ({ type: 'GetReport', reply }),
          userAnalytics: (userId, reply) => ({ type: 'GetUserAnalytics', userId, reply }),
          allUserAnalytics: (reply) => ({ type: 'GetAllAnalytics', reply }),
          settings: (reply) => ({ type: 'GetSettings', reply }),
          lastPrompt: (reply) => ({ type: 'GetLastPrompt', reply }),
        },
        loadSnapshot: async (chatId) => this.snapshots.get(chatId),
        readers: {
          report: (chatId, state) => reportOf(chatId, state, this.clock.now()),
          userAnalytics: analyticsOf,
          allUserAnalytics: allAnalyticsOf,
          settings: (state) => state.settings,
        },
      }),
      memories: {
        forget: async (chatId, userId) => {
          this.forgotten.push({ chatId, userId });
          return 2;
        },
      },
      deadLetters: new DeadLetterOffice({ store: this.deadLetters, replay: async () => undefined, clock: this.clock }),
      control: new ActorChatControl<ChatMsg>(actors, {
        setMode: (mode, reply) => ({ type: 'SetMode', mode, reply }),
        updateSettings: (patch, reply) => ({ type: 'UpdateSettings', patch, reply }),
      }),
      clock: this.clock,
      ...(this.opts.options === undefined ? {} : { options: this.opts.options }),
      ...this.opts.http,
    };
  }

  /** The admin app on these ports (closed by the caller). */
  app(): Promise<HttpApp> {
    return buildHttpApp(this.deps());
  }

  /** One request to `app`, with the token of `role` when given. */
  request(
    app: HttpApp,
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    url: string,
    options: { role?: Role; body?: unknown; headers?: Record<string, string> } = {},
  ): Promise<LightMyRequestResponse> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.role !== undefined) headers.authorization = `Bearer ${this.tokenFor[options.role]}`;
    return app.inject({
      method,
      url,
      headers,
      ...(options.body === undefined ? {} : { payload: options.body as object }),
    });
  }

  /** Lets queued turns and side effects run (they are real promises, not timers). */
  async settle(): Promise<void> {
    for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
  }

  addChat(id: number, title: string, type: ChatType = 'supergroup'): void {
    this.directory.upsertChat({ id, title, type });
  }

  /** A user message: stored (as the ingress would) and handed to the chat's actor. */
  say(
    chatId: number,
    userId: number,
    name: string,
    text: string,
    extra: { replyToUserId?: number; username?: string } = {},
  ): void {
    const dateMs = this.clock.now();
    this.updates.inc();
    this.directory.recordMessage({
      chatId,
      messageId: this.nextMessageId++,
      userId,
      displayName: name,
      username: extra.username ?? null,
      dateMs,
      text,
    });
    this.supervisor.tell(chatId, {
      type: 'Said',
      userId,
      name,
      text,
      dateMs,
      ...(extra.replyToUserId === undefined ? {} : { replyToUserId: extra.replyToUserId }),
    });
  }

  /** Write-behind: persists changed actors and lets the directory learn their mode, as storage would. */
  flush(): void {
    for (const [chatId, state] of this.supervisor.takeDirty()) {
      this.snapshots.set(chatId, state);
      this.directory.recordMode(chatId, state.settings.mode);
    }
  }

  async close(): Promise<void> {
    await this.supervisor.shutdown({ deadlineMs: 1000 });
    await rm(this.stateDir, { recursive: true, force: true });
  }
}
