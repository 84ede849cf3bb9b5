/*
 * A bot process for the crash test: the real runtime against emulators run
 * by the parent test, persisting chat state to a file. Prints "ready" once
 * polling; SIGTERM stops it gracefully, SIGKILL is the crash.
 */
import { createLogger, loadConfig } from '../../src/config/index.js';
import { startRuntime } from '../../src/main.js';
import type { Counter } from '../../src/runtime/index.js';
import { RELAXED_LIMITS } from './edge-harness.js';
import { FilePersistence } from './file-persistence.js';

const stateFile = process.env.CRASH_STATE_FILE;
if (stateFile === undefined) throw new Error('CRASH_STATE_FILE is required');
const config = loadConfig({ ...process.env, LOG_LEVEL: 'silent' });
const runtime = await startRuntime(config, createLogger(config, { pretty: false }), {
  persistence: new FilePersistence(stateFile),
  telegramLimits: RELAXED_LIMITS,
  polling: { timeoutS: 1, retryMinMs: 50 },
});
const keepAlive = setInterval(() => undefined, 1 << 30);
process.once('SIGTERM', () => {
  void runtime.stop().then(() => {
    clearInterval(keepAlive);
    const count = (name: string): number => (runtime.metrics.get(name) as Counter | undefined)?.value ?? 0;
    const counts = {
      received: count('lekha_telegram_updates_received_total'),
      redelivered: count('lekha_chat_redelivered_updates_total'),
      inDoubt: count('lekha_chat_replies_in_doubt_total'),
    };
    process.stdout.write(`stopped ${JSON.stringify(counts)}\n`);
  });
});
process.stdout.write('ready\n');
