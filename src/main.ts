import type { Logger } from 'pino';
import type { Config } from './config/index.js';
import { type Message, MetricsRegistry, SystemClock } from './runtime/index.js';
import { type ShutdownReport, Supervisor } from './supervisor/index.js';

/** A running Lekha process: what `lekha start` builds and what stops it. */
export interface Runtime {
  readonly supervisor: Supervisor<number, Message>;
  readonly metrics: MetricsRegistry;
  stop(): Promise<ShutdownReport>;
}

/**
 * The one place that builds the concrete pieces and wires them together.
 * The chat actor, Telegram and Groq edges, storage and the HTTP surface plug
 * in here as they land; until then the runtime starts with an empty
 * supervisor that no ingress feeds.
 */
export function startRuntime(config: Config, logger: Logger): Runtime {
  const metrics = new MetricsRegistry();
  const supervisor = new Supervisor<number, Message>({
    create: (key) => {
      throw new Error(`no actor kind is registered yet (key ${key})`);
    },
    clock: new SystemClock(),
    metrics,
    logger,
    mailboxCapacity: config.MAILBOX_CAPACITY,
    idleMs: config.ACTOR_IDLE_MS,
    maxLive: config.MAX_LIVE_ACTORS,
  });
  logger.warn('runtime started with an empty supervisor: no ingress or chat actor is wired yet');
  return {
    supervisor,
    metrics,
    stop: () => supervisor.shutdown({ deadlineMs: config.SHUTDOWN_DEADLINE_MS }),
  };
}
