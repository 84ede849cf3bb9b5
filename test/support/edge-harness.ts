import { createServer } from 'node:net';
import { type Config, createLogger, loadConfig } from '../../src/config/index.js';
import { type Runtime, type RuntimeOptions, startRuntime } from '../../src/main.js';
import {
  BotApiEmulator,
  type BotApiEmulatorOptions,
  GroqEmulator,
  type GroqEmulatorOptions,
} from '../../src/sandbox/index.js';

/** Limits high enough that tests measure behaviour, not Telegram's pacing. */
export const RELAXED_LIMITS = { globalPerS: 100_000, privatePerS: 10_000, groupPerMin: 1_000_000 };

export interface Harness {
  botApi: BotApiEmulator;
  groq: GroqEmulator;
  config: Config;
  runtime: Runtime;
  /** Starts a fresh runtime against the same emulators (a restart). */
  restart(): Promise<Runtime>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  botApi?: BotApiEmulatorOptions;
  groq?: GroqEmulatorOptions;
  env?: Record<string, string>;
  runtime?: RuntimeOptions;
  /** Use the storage the environment configures (DATABASE_URL, DATA_DIR) instead of keeping chat state in memory. */
  storage?: boolean;
}

/** The environment that points a runtime at the emulators, with the Groq account's limits out of the way. */
export function emulatorEnv(botApi: BotApiEmulator, groq: GroqEmulator): Record<string, string> {
  return {
    TELEGRAM_BOT_TOKEN: botApi.token,
    TELEGRAM_API_ROOT: botApi.apiRoot,
    GROQ_API_KEY: groq.apiKey,
    GROQ_BASE_URL: groq.baseURL,
    GROQ_RPM: '1000000',
    GROQ_TPM: '1000000000',
    GROQ_MAX_CONCURRENCY: '64',
  };
}

/** The Bot API and Groq emulators with a real runtime (real grammY, real groq-sdk) wired to them as `lekha start` does. */
export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const botApi = await BotApiEmulator.start({ limits: false, ...options.botApi });
  const groq = await GroqEmulator.start({ latency: 5, ...options.groq });
  const config = loadConfig({
    ...emulatorEnv(botApi, groq),
    LOG_LEVEL: 'silent',
    HTTP_PORT: '0',
    ...options.env,
  });
  const logger = createLogger(config, { pretty: false });
  const runtimeOptions: RuntimeOptions = {
    ...(options.storage === true ? {} : { persistence: null }),
    // No unasked replies: tests count the replies they asked for.
    random: () => 0.999,
    telegramLimits: RELAXED_LIMITS,
    polling: { timeoutS: 1, retryMinMs: 50 },
    ...options.runtime,
  };
  let runtime = await startRuntime(config, logger, runtimeOptions);
  let stopped = false;
  const harness: Harness = {
    botApi,
    groq,
    config,
    get runtime() {
      return runtime;
    },
    async restart() {
      if (!stopped) await runtime.stop();
      runtime = await startRuntime(config, logger, runtimeOptions);
      stopped = false;
      return runtime;
    },
    async close() {
      if (!stopped) await runtime.stop();
      stopped = true;
      await Promise.all([botApi.close(), groq.close()]);
    },
  };
  return harness;
}

/** Polls `check` until it holds; fails with `what` after `timeoutMs`. */
export async function waitFor(
  what: string,
  check: () => boolean | Promise<boolean>,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
