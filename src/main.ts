import path from 'node:path';
import type { Logger } from 'pino';
import type { Config } from './config/index.js';
import {
  type ErrorFeed,
  FileTokenStore,
  type HttpServer,
  MemoryAuditLog,
  MemoryChatDirectory,
  startHttpServer,
  type TokenStore,
  UnwiredChatActors,
} from './http/index.js';
import { type Message, MetricsRegistry, SystemClock } from './runtime/index.js';
import { type ShutdownReport, Supervisor } from './supervisor/index.js';

/** A running Lekha process: what `lekha start` builds and what stops it. */
export interface Runtime {
  readonly supervisor: Supervisor<number, Message>;
  readonly metrics: MetricsRegistry;
  readonly http: HttpServer;
  stop(): Promise<ShutdownReport>;
}

/** Where admin API tokens live: shared by `lekha start` and `lekha token`. */
export function openTokenStore(config: Pick<Config, 'DATA_DIR'>): TokenStore {
  return new FileTokenStore(path.join(config.DATA_DIR, 'admin-tokens.jsonl'));
}

/**
 * The one place that builds the concrete pieces and wires them together.
 * The chat actor, Telegram and Groq edges, storage and the HTTP surface plug
 * in here as they land; until then the runtime starts with an empty
 * supervisor that no ingress feeds.
 */
export async function startRuntime(config: Config, logger: Logger, extras: { errors?: ErrorFeed } = {}): Promise<Runtime> {
  const clock = new SystemClock();
  const metrics = new MetricsRegistry();
  const supervisor = new Supervisor<number, Message>({
    create: (key) => {
      throw new Error(`no actor kind is registered yet (key ${key})`);
    },
    clock,
    metrics,
    logger,
    mailboxCapacity: config.MAILBOX_CAPACITY,
    idleMs: config.ACTOR_IDLE_MS,
    maxLive: config.MAX_LIVE_ACTORS,
  });
  logger.warn('runtime started with an empty supervisor: no ingress or chat actor is wired yet');

  // Until storage and the chat actor land, chats are read from an in-memory
  // directory nothing feeds yet, chat state has no source and the audit log
  // lives in memory (each row is also logged).
  const chatActors = new UnwiredChatActors(supervisor);
  const http = await startHttpServer(
    {
      logger,
      metrics,
      runtime: supervisor,
      tokens: openTokenStore(config),
      adminToken: config.ADMIN_TOKEN,
      audit: new MemoryAuditLog(),
      directory: new MemoryChatDirectory(clock),
      insights: chatActors,
      control: chatActors,
      clock,
      ...(extras.errors === undefined ? {} : { errors: extras.errors }),
    },
    { host: config.HTTP_HOST, port: config.HTTP_PORT },
  );
  logger.info({ url: http.url }, 'admin dashboard and API listening');
  if (config.ADMIN_TOKEN === undefined) {
    logger.warn('ADMIN_TOKEN is not set: create an API token with `lekha token create --role admin`');
  }
  return {
    supervisor,
    metrics,
    http,
    stop: async () => {
      await http.close();
      return supervisor.shutdown({ deadlineMs: config.SHUTDOWN_DEADLINE_MS });
    },
  };
}
