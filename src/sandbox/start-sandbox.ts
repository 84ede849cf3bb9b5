import type { Logger } from '../runtime/index.js';
import { BotApiEmulator } from './bot-api-emulator.js';
import { GroqEmulator } from './groq-emulator.js';
import { SandboxConversation } from './sandbox-conversation.js';
import { UPSTREAM_APIS, UpstreamEmulator } from './upstreams/index.js';

export interface Sandbox {
  botApi: BotApiEmulator;
  /** Absent when a real Groq key is configured. */
  groq: GroqEmulator | null;
  /** The public APIs the integration plugins call (weather, prices, films…), emulated. */
  upstreams: UpstreamEmulator;
  conversation: SandboxConversation;
  close(): Promise<void>;
}

export interface SandboxOptions {
  withGroq: boolean;
  logger?: Logger;
  /**
   * Where the Bot API emulator keeps its update and message id counters, so
   * chats restored from storage on the next start see ids above the ones
   * they remember (`DATA_DIR/sandbox`). Without it the ids start from the clock.
   */
  stateDir?: string;
}

/**
 * What `lekha start` runs with no bot token: the Bot API emulator (with
 * Telegram's real flood limits), the Groq emulator unless a real key is set,
 * emulators of the integrations' public APIs, and simulated group chats that start talking once `conversation.start()` is
 * called.
 */
export async function startSandbox(options: SandboxOptions): Promise<Sandbox> {
  const botApi = await BotApiEmulator.start({
    bot: { username: 'lekha_sandbox_bot', firstName: 'Лёха' },
    ...(options.stateDir === undefined ? {} : { stateDir: options.stateDir }),
  });
  const groq = options.withGroq ? await GroqEmulator.start({ latency: { medianMs: 400, p99Ms: 1500 } }) : null;
  const upstreams = await UpstreamEmulator.start({ apis: UPSTREAM_APIS, latency: { medianMs: 80, p99Ms: 400 } });
  const conversation = new SandboxConversation(botApi, options.logger === undefined ? {} : { logger: options.logger });
  return {
    botApi,
    groq,
    upstreams,
    conversation,
    async close() {
      conversation.stop();
      await Promise.all([botApi.close(), groq?.close(), upstreams.close()]);
    },
  };
}
