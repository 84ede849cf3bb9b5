import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import { type Runtime, startRuntime } from '../../src/main.js';
import type { Counter } from '../../src/runtime/index.js';
import { EMULATOR_IDS_FILE, type SentRecord } from '../../src/sandbox/index.js';
import { waitFor } from '../support/edge-harness.js';

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** What a user typing into the sandbox does: `POST /_emulator/messages`. */
async function say(runtime: Runtime, chatId: number, text: string): Promise<{ update_id: number; message_id: number }> {
  const response = await fetch(`${sandboxOf(runtime).botApi.apiRoot}/_emulator/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ chat_id: chatId, text, first_name: 'Тестер' }),
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { result: { update_id: number; message_id: number } }).result;
}

/** The sandbox transcript: `GET /_emulator/sent?chat_id=…`. */
async function sentTo(runtime: Runtime, chatId: number): Promise<SentRecord[]> {
  const response = await fetch(`${sandboxOf(runtime).botApi.apiRoot}/_emulator/sent?chat_id=${chatId}`);
  return ((await response.json()) as { result: SentRecord[] }).result;
}

function sandboxOf(runtime: Runtime) {
  if (runtime.sandbox === null) throw new Error('expected sandbox mode (no TELEGRAM_BOT_TOKEN)');
  return runtime.sandbox;
}

function skipped(runtime: Runtime): number {
  const count = (name: string): number => (runtime.metrics.get(name) as Counter | undefined)?.value ?? 0;
  return count('lekha_chat_redelivered_updates_total') + count('lekha_chat_duplicate_messages_total');
}

describe('sandbox mode started again on the same DATA_DIR', () => {
  it(
    'answers in the second run: update and message ids continue above the ones the restored chats remember',
    { timeout: 180_000 /* embedded PGlite, twice */ },
    async () => {
      const dataDir = await mkdtemp(path.join(os.tmpdir(), 'lekha-sandbox-restart-'));
      cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
      // No TELEGRAM_BOT_TOKEN and no GROQ_API_KEY: `lekha start` in sandbox mode.
      const config = loadConfig({
        DATA_DIR: dataDir,
        HTTP_PORT: '0',
        LOG_LEVEL: 'silent',
        EMBED_THREADS: '1',
        MEMORY_SHARDS: '1',
      });
      const logger = pino({ level: 'silent' });
      const chatId = 4242;

      const first = await startRuntime(config, logger);
      let running: Runtime | null = first;
      cleanups.push(async () => running?.stop());
      const before = [await say(first, chatId, 'Лёха, привет!')];
      await waitFor('the first reply of the first run', async () => (await sentTo(first, chatId)).length >= 1, 60_000);
      before.push(await say(first, chatId, 'Лёха, как дела?'));
      await waitFor('the second reply of the first run', async () => (await sentTo(first, chatId)).length >= 2, 60_000);
      await first.stop();
      running = null;
      expect(existsSync(path.join(dataDir, 'sandbox', EMULATOR_IDS_FILE))).toBe(true);

      const second = await startRuntime(config, logger);
      running = second;
      const again = await say(second, chatId, 'Лёха, я снова тут');
      await waitFor('a reply in the second run', async () => (await sentTo(second, chatId)).length >= 1, 60_000);
      expect(again.update_id).toBeGreaterThan(Math.max(...before.map((m) => m.update_id)));
      expect(again.message_id).toBeGreaterThan(Math.max(...before.map((m) => m.message_id)));
      expect(skipped(second)).toBe(0);
      expect(
        (
          await second.supervisor.ask<{ processedMessages: number }>(chatId, (reply) => ({
            type: 'GetChatState',
            reply,
          }))
        ).processedMessages,
      ).toBe(3);
    },
  );
});
