import type { FastifyInstance } from 'fastify';
import type { Api } from 'grammy';
import type { DeadLetterStore } from '../ports/index.js';
import { type Clock, InvalidOptionError, type Logger, type MetricsRegistry } from '../runtime/index.js';
import type { BotIdentity } from './bot-identity.js';
import type { ChatEgress } from './chat-egress.js';
import { type Durability, immediateDurability } from './durability.js';
import { LongPolling } from './long-polling.js';
import { OffsetTracker } from './offset-tracker.js';
import { telegramApi } from './telegram-api.js';
import { type SendLimits, type SenderStats, TelegramSender, type TelegramSenderOptions } from './telegram-sender.js';
import type { UpdateAcks } from './update-acks.js';
import { type DeliverUpdate, UpdateRouter } from './update-router.js';
import { ALLOWED_UPDATES, type TelegramUpdate } from './update-schema.js';
import { registerTelegramWebhook } from './webhook-route.js';

export interface TelegramEdgeOptions {
  token: string;
  /** Bot API server root: Telegram's, a local Bot API server, or the emulator. */
  apiRoot: string;
  mode: 'polling' | 'webhook';
  /** Required in webhook mode. */
  webhook?: { url: string; secret: string };
  clock: Clock;
  metrics: MetricsRegistry;
  /**
   * Where the ingress counts updates (received, malformed, completed…);
   * default `metrics`. In cluster mode the members count the updates they
   * process instead, so the leader's intake counts elsewhere.
   */
  ingressMetrics?: MetricsRegistry;
  logger?: Logger;
  /** When a chat's effects are durable; default: at once (no storage). */
  durability?: Durability<number>;
  /** Where updates of quarantined chats are kept, so the offset can move past them. */
  deadLetters: DeadLetterStore;
  /** Updates waiting this long without the offset moving make the ingress "stalled" (default 60 s). */
  stallMs?: number;
  limits?: SendLimits;
  sender?: Omit<TelegramSenderOptions, 'api' | 'clock' | 'metrics' | 'logger' | 'limits'>;
  polling?: { limit?: number; timeoutS?: number; retryMinMs?: number };
  /** Timeout of one outgoing call. */
  requestTimeoutS?: number;
}

export interface TelegramStatus {
  mode: 'polling' | 'webhook';
  botId: number;
  username: string;
  /** On: in groups the bot sees only commands, mentions and replies to it. */
  privacyMode: boolean;
  ingressRunning: boolean;
  lastPollError: string | null;
  updatesInFlight: number;
  /** How long updates have waited without the confirmed offset moving (0: nothing waits). */
  stalledForMs: number;
  /** `stalledForMs` passed the stall threshold: no chat is being served in order. */
  stalled: boolean;
  confirmableOffset: number | null;
  ignoredByKind: Record<string, number>;
  sender: SenderStats;
}

/**
 * The Telegram edge: who the bot is (getMe, privacy mode), the ingress
 * (long polling or webhook) feeding the runtime, and the one sender all
 * outgoing calls go through. Built with {@link TelegramEdge.connect}, fed to
 * the runtime with {@link TelegramEdge.start}.
 */
export class TelegramEdge implements UpdateAcks {
  readonly sender: TelegramSender;
  private readonly tracker: OffsetTracker;
  private readonly stallMs: number;
  private router: UpdateRouter | null = null;
  private polling: LongPolling | null = null;

  private constructor(
    private readonly options: TelegramEdgeOptions,
    private readonly pollApi: Api,
    readonly identity: BotIdentity,
    sendApi: Api,
  ) {
    this.tracker = new OffsetTracker(() => options.clock.now());
    this.stallMs = options.stallMs ?? 60_000;
    options.metrics.gauge(
      'lekha_telegram_offset_stalled_seconds',
      'How long updates have waited without the confirmed offset moving',
      () => this.tracker.stalledForMs() / 1000,
    );
    options.metrics.gauge(
      'lekha_telegram_offset',
      'The offset confirmed to Telegram with the next call: every update below it is finished (0 before the first)',
      () => this.tracker.confirmableOffset ?? 0,
    );
    options.metrics.gauge(
      'lekha_telegram_update_id_highest',
      'The highest update id received (-1 before the first)',
      () => this.tracker.highest,
    );
    this.sender = new TelegramSender({
      ...options.sender,
      api: sendApi,
      clock: options.clock,
      metrics: options.metrics,
      ...(options.logger === undefined ? {} : { logger: options.logger }),
      ...(options.limits === undefined ? {} : { limits: options.limits }),
    });
    options.metrics.gauge(
      'lekha_telegram_privacy_mode',
      '1 when privacy mode is on (the bot sees only part of group traffic)',
      () => (identity.canReadAllGroupMessages ? 0 : 1),
    );
  }

  /**
   * Reads the bot's identity with getMe, warns loudly when privacy mode is
   * on, and points Telegram at the chosen ingress (removes a webhook for
   * polling, sets it with its secret for webhook mode).
   */
  static async connect(options: TelegramEdgeOptions): Promise<TelegramEdge> {
    if (options.mode === 'webhook' && options.webhook === undefined)
      throw new InvalidOptionError('webhook', 'webhook mode needs webhook.url and webhook.secret');
    const timeoutS = options.polling?.timeoutS ?? 30;
    // Long polls hold the connection for timeoutS; sends should fail fast and be retried.
    const pollApi = telegramApi(options.token, { apiRoot: options.apiRoot, timeoutSeconds: timeoutS + 15 });
    const sendApi = telegramApi(options.token, {
      apiRoot: options.apiRoot,
      timeoutSeconds: options.requestTimeoutS ?? 15,
    });
    const me = await pollApi.getMe();
    const identity: BotIdentity = {
      id: me.id,
      username: me.username,
      firstName: me.first_name,
      canReadAllGroupMessages: me.can_read_all_group_messages,
    };
    if (!identity.canReadAllGroupMessages) {
      options.logger?.warn(
        { username: identity.username },
        'PRIVACY MODE IS ON: in groups the bot only sees commands, mentions and replies to it; group analytics will be partial. ' +
          'Turn it off with @BotFather (/setprivacy → Disable) and re-add the bot to its groups.',
      );
    }
    if (options.mode === 'webhook') {
      const webhook = options.webhook as { url: string; secret: string };
      await pollApi.setWebhook(webhook.url, {
        secret_token: webhook.secret,
        allowed_updates: [...ALLOWED_UPDATES],
        max_connections: 40,
      });
    } else {
      // getUpdates is refused while a webhook is set; pending updates are kept.
      await pollApi.deleteWebhook({ drop_pending_updates: false });
    }
    options.logger?.info(
      { username: identity.username, mode: options.mode, apiRoot: options.apiRoot },
      'connected to Telegram',
    );
    return new TelegramEdge(options, pollApi, identity, sendApi);
  }

  /** The outgoing side for chat actors. */
  get egress(): ChatEgress {
    return this.sender;
  }

  /**
   * Starts feeding updates to `deliver` (long polling starts here unless
   * `poll` is false; in webhook mode, also call
   * {@link TelegramEdge.registerWebhook} on the HTTP app). In cluster mode
   * only the member holding the ingress lock polls: it starts with
   * `poll: false` and toggles with {@link startPolling} / {@link stopPolling}.
   */
  start(deliver: DeliverUpdate, options: { poll?: boolean } = {}): void {
    if (this.router !== null) throw new Error('the Telegram ingress is already started');
    const { clock, metrics, logger } = this.options;
    this.router = new UpdateRouter({
      tracker: this.tracker,
      durability: this.options.durability ?? immediateDurability,
      deliver,
      deadLetters: this.options.deadLetters,
      clock,
      metrics: this.options.ingressMetrics ?? metrics,
      ...(logger === undefined ? {} : { logger }),
    });
    if (options.poll !== false) this.startPolling();
  }

  /** Starts (or resumes) long polling; nothing in webhook mode or while it runs. */
  startPolling(): void {
    if (this.options.mode !== 'polling') return;
    const router = this.ingress();
    const { clock, metrics, logger } = this.options;
    if (this.polling === null) {
      const pollApi = this.pollApi;
      this.polling = new LongPolling({
        api: {
          // grammY types the signal as its abort-controller shim's; at run time it takes Node's own AbortSignal.
          getUpdates: (other, signal) => pollApi.getUpdates(other, signal as Parameters<Api['getUpdates']>[1]),
        },
        router,
        tracker: this.tracker,
        clock,
        metrics,
        ...(logger === undefined ? {} : { logger }),
        ...this.options.polling,
      });
    }
    this.polling.start();
  }

  /** Stops long polling; it can be started again. Updates already handed over keep going. */
  async stopPolling(): Promise<void> {
    await this.polling?.stop();
  }

  /** Registers the webhook route (path of `WEBHOOK_URL`) on the HTTP app. Webhook mode only. */
  async registerWebhook(app: FastifyInstance): Promise<void> {
    const webhook = this.options.webhook;
    if (this.options.mode !== 'webhook' || webhook === undefined) throw new Error('registerWebhook needs webhook mode');
    if (this.router === null) throw new Error('start the Telegram ingress before registering the webhook');
    await registerTelegramWebhook(app, {
      path: new URL(webhook.url).pathname,
      secret: webhook.secret,
      router: this.router,
      tracker: this.tracker,
      metrics: this.options.metrics,
    });
  }

  processed(chatId: number, updateId: number): void {
    this.router?.processed(chatId, updateId);
  }

  /** Keeps an update its quarantined chat could not take (see {@link UpdateRouter.deadLetter}). */
  deadLetter(chatId: number, updateId: number, update: TelegramUpdate, reason: string): void {
    this.ingress().deadLetter(chatId, updateId, update, reason);
  }

  /** Hands a dead letter to its chat again (see {@link UpdateRouter.replay}). */
  replay(chatId: number, updateId: number, update: TelegramUpdate): Promise<void> {
    return this.ingress().replay(chatId, updateId, update);
  }

  status(): TelegramStatus {
    const stalledForMs = this.tracker.stalledForMs();
    return {
      mode: this.options.mode,
      botId: this.identity.id,
      username: this.identity.username,
      privacyMode: !this.identity.canReadAllGroupMessages,
      ingressRunning: this.options.mode === 'webhook' ? this.router !== null : this.polling?.running === true,
      lastPollError: this.polling?.error ?? null,
      updatesInFlight: this.tracker.inFlight,
      stalledForMs,
      stalled: stalledForMs >= this.stallMs,
      confirmableOffset: this.tracker.confirmableOffset ?? null,
      ignoredByKind: this.router?.ignoredKinds() ?? {},
      sender: this.sender.stats(),
    };
  }

  private ingress(): UpdateRouter {
    if (this.router === null) throw new Error('the Telegram ingress is not started');
    return this.router;
  }

  /** Stops fetching updates (polling). Updates already handed over keep going. */
  async stopIntake(): Promise<void> {
    await this.polling?.stop();
  }

  /**
   * Confirms every finished update to Telegram and closes the sender. Call
   * after the runtime has drained and persisted.
   */
  async close(options: { deadlineMs?: number } = {}): Promise<void> {
    try {
      await this.polling?.confirmFinished();
    } catch (error) {
      // Not fatal: unconfirmed updates come back after a restart and are recognised as seen.
      this.options.logger?.warn({ err: error }, 'could not confirm finished updates to Telegram');
    }
    await this.sender.close(options);
  }
}
