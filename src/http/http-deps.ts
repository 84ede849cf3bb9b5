import type { FastifyPluginAsync } from 'fastify';
import type { Logger } from 'pino';
import type { AnomalyAlerts, ClusterView, ExperimentStore } from '../ports/index.js';
import type { Clock, MetricsRegistry } from '../runtime/index.js';
import type { AuditLog } from './ports/audit-log.js';
import type { BreakerSource } from './ports/breaker-source.js';
import type { ChatControl } from './ports/chat-control.js';
import type { MemberMemories } from './ports/member-memories.js';
import type { MemberPrivacy } from './ports/member-privacy.js';
import type { PluginAdmin } from './ports/plugin-admin.js';
import type { SchedulerAdmin } from './ports/scheduler-admin.js';
import type { ChatDirectory } from './ports/chat-directory.js';
import type { ChatInsights } from './ports/chat-insights.js';
import type { ChatStyles } from './ports/chat-styles.js';
import type { DatabaseBackup } from './ports/database-backup.js';
import type { DeadLetterAdmin } from './ports/dead-letter-admin.js';
import type { FinetuneExports } from './ports/finetune-exports.js';
import type { IngressStatusSource } from './ports/ingress-status.js';
import type { ErrorFeed } from './ports/error-feed.js';
import type { PersonaDirectory, PersonaEditor } from './ports/persona-directory.js';
import type { ReadinessProbe } from './ports/readiness-probe.js';
import type { RuntimeStatsSource } from './ports/runtime-stats-source.js';
import type { TokenStore } from './ports/token-store.js';
import type { AdminSessionStore, TelegramAdminStore } from './ports/admin-session.js';
import type { LoginSettings } from './auth/login-settings.js';

/** Tunables of the admin surface; every one has a production default. */
export interface HttpOptions {
  /** Requests per client IP and window on `/api`; `false` turns the limiter off. Default 1200 per minute. */
  rateLimit?: { max: number; timeWindowMs: number } | false;
  /** How long one `/metrics` rendering is served (default 1000 ms). */
  metricsCacheMs?: number;
  /** Chart sampling interval (default 2000 ms; `/api/stats` is rebuilt once per interval) and history kept (default one hour). */
  sampleMs?: number;
  historyMs?: number;
  /** Passed to Fastify: trust `X-Forwarded-For` from a reverse proxy so audit rows show the real client. */
  trustProxy?: boolean | string;
  /** A readiness probe slower than this counts as not ready (default 2000 ms). */
  probeTimeoutMs?: number;
  /** How long a verified token is trusted without a store lookup (default 10 s). */
  tokenCacheMs?: number;
  /** How long a plugin's admin route may take before the call answers 504 and its signal aborts (default 10 s). */
  pluginRouteTimeoutMs?: number;
  /** Process metrics on `/metrics` (default on). */
  defaultMetrics?: boolean;
  /** How long another member may take to answer a forwarded chat call before it fails with 502 (default 5000 ms). */
  clusterForwardTimeoutMs?: number;
  /**
   * The key CSRF tokens are signed with (at least 32 bytes). Default: random
   * per process. Members of a cluster need one shared key, so a token one
   * member handed the dashboard is accepted by the member a call reaches.
   */
  csrfKey?: Buffer;
}

/**
 * What the admin surface is built from: the runtime's metrics and stats, and
 * one implementation of each port. `src/main.ts` passes the real ones.
 */
export interface HttpDeps {
  logger: Logger;
  metrics: MetricsRegistry;
  runtime: RuntimeStatsSource;
  tokens: TokenStore;
  /** Dashboard sessions; without it no login method can be offered and the session list is empty. */
  sessions?: AdminSessionStore;
  /** Roles granted to Telegram users for the login widget; without it the Telegram admin routes answer 503. */
  telegramAdmins?: TelegramAdminStore;
  /** Login methods (OpenID Connect, Telegram) and session lifetimes; absent: bearer tokens only. */
  login?: LoginSettings | undefined;
  /** `ADMIN_TOKEN`, the admin that exists before any token is created. */
  adminToken?: string | undefined;
  audit: AuditLog;
  directory: ChatDirectory;
  insights: ChatInsights;
  control: ChatControl;
  /** The bot's personas; without it `GET /api/personas` lists none and a settings change naming one is refused. */
  personas?: PersonaDirectory;
  /** Defining personas from the dashboard; without it those routes answer 503 PERSONAS_UNAVAILABLE. */
  personaEditor?: PersonaEditor;
  /** Long-term memory; without it the forget route answers 503. */
  memories?: MemberMemories;
  /** What feedback taught each chat about style; without it the style routes answer 503. */
  styles?: ChatStyles;
  /** GDPR export and erasure of a member; without it those routes answer 503. */
  privacy?: MemberPrivacy;
  readiness?: readonly ReadinessProbe[];
  /** Updates of quarantined chats; without it the dead-letter routes answer 503. */
  deadLetters?: DeadLetterAdmin;
  /**
   * The bot's plugin host; without it the plugin routes answer 503. Its
   * plugins' own admin routes are mounted once, when the app is built.
   */
  pluginAdmin?: PluginAdmin;
  /** The embedded database's backup; without it (a Postgres server, or no database) `GET /api/backup` answers 409. */
  backup?: DatabaseBackup;
  /** Bot replies as training data; without it (no database) `GET /api/export/finetune` answers 503. */
  finetune?: FinetuneExports;
  /** Durable jobs and reminders; without it the scheduler routes answer 503. */
  scheduler?: SchedulerAdmin;
  /**
   * A/B experiments: the store, which also tells chats about a change (the
   * wiring passes the live holder); without it the experiment routes answer 503.
   */
  experiments?: ExperimentStore;
  /** Whether the Telegram ingress is stalled, for the alerts panel. */
  ingress?: IngressStatusSource;
  breakers?: BreakerSource;
  errors?: ErrorFeed;
  /**
   * Cluster mode: `GET /api/cluster` shows it, `/readyz` gets a `cluster`
   * check, and calls about one chat are served by the member that owns it.
   * Absent: a single process, which serves every chat.
   */
  cluster?: ClusterView;
  /** Raids and account takeovers the chats detected, for the alerts panel. */
  anomalies?: AnomalyAlerts;
  /**
   * Plugins mounted at the root, outside `/api` and its token check — the
   * Telegram webhook route, which checks its own secret header.
   */
  plugins?: ReadonlyArray<FastifyPluginAsync>;
  clock?: Clock;
  options?: HttpOptions;
}
