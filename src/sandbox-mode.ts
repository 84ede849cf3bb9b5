import path from 'node:path';
import type { Logger } from 'pino';
import type { Config } from './config/index.js';
import { type Sandbox, startSandbox } from './sandbox/index.js';

/**
 * Sandbox mode: without a bot token the runtime talks to a Bot API emulator
 * (and to a Groq emulator unless GROQ_API_KEY is set) with simulated chats.
 * `null` when a bot token is configured.
 */
export async function startSandboxMode(config: Config, logger: Logger): Promise<Sandbox | null> {
  if (config.TELEGRAM_BOT_TOKEN !== undefined) return null;
  return startSandbox({
    withGroq: config.GROQ_API_KEY === undefined,
    logger,
    stateDir: path.join(config.DATA_DIR, 'sandbox'),
  });
}

/** Tells the operator where the emulators are and starts the simulated conversation. */
export function announceSandbox(sandbox: Sandbox, config: Config, logger: Logger): void {
  const root = sandbox.botApi.apiRoot;
  logger.info(
    {
      botApi: root,
      groq: sandbox.groq?.baseURL ?? 'real Groq (GROQ_API_KEY is set)',
      upstreams: `${sandbox.upstreams.url} (weather, prices, films… emulated)`,
      transcript: `${root}/_emulator/sent`,
      stats: `http://${config.HTTP_HOST}:${config.HTTP_PORT}/api/stats`,
      adminToken:
        config.ADMIN_TOKEN === undefined ? 'set ADMIN_TOKEN to use the admin API' : 'ADMIN_TOKEN from your environment',
    },
    'SANDBOX MODE (no TELEGRAM_BOT_TOKEN): a Bot API emulator and simulated group chats drive the real runtime. ' +
      `Talk to the bot yourself: curl -X POST ${root}/_emulator/messages -H 'content-type: application/json' -d '{"chat_id": 42, "text": "Лёха, привет!"}'. Ctrl-C stops.`,
  );
  sandbox.conversation.start();
}
