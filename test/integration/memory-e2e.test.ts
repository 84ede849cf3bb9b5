import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { DebugPrompt } from '../../src/http/index.js';
import { type Harness, type HarnessOptions, startHarness, waitFor } from '../support/edge-harness.js';
import { createTestSchema } from '../support/test-services.js';

const cleanups: Array<() => Promise<void> | void> = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** The runtime with real storage (a Postgres schema of its own), so chats reach the admin API's directory. */
async function start(): Promise<Harness> {
  const schema = await createTestSchema('memory_e2e');
  const dataDir = mkdtempSync(path.join(tmpdir(), 'lekha-memory-e2e-'));
  cleanups.push(
    () => schema.drop(),
    () => rmSync(dataDir, { recursive: true, force: true }),
  );
  // RECALL_TIMEOUT_MS: these tests check what is recalled; at the default 250 ms a busy machine makes a reply go on without its memories.
  const options: HarnessOptions = {
    env: { ADMIN_TOKEN, DATABASE_URL: schema.url, DATA_DIR: dataDir, RECALL_TIMEOUT_MS: '10000' },
    storage: true,
  };
  const h = await startHarness(options);
  cleanups.push(() => h.close());
  return h;
}

const TOPICS = ['матч', 'отпуск', 'ремонт', 'сериал', 'рецепт', 'погоду', 'машину', 'кота', 'концерт', 'дачу'];
const PLACES = ['вчера вечером', 'на выходных', 'после работы', 'с утра пораньше'];

const ADMIN_TOKEN = 'memory-e2e-admin-token-0123456789';

async function lastPrompt(h: Harness, chatId: number): Promise<DebugPrompt | null> {
  const response = await fetch(`${h.runtime.http?.url}/api/chats/${chatId}/prompt`, {
    headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { prompt: DebugPrompt | null }).prompt;
}

describe('long-term memory end to end', () => {
  // Two bounded waits of up to 20 s each: the test's own budget must hold both.
  it(
    'recalls what a member said long before into the reply’s prompt, visible in the debug view',
    { timeout: 60_000 },
    async () => {
      const h = await start();
      const chatId = -9100;
      const vasya = { id: 77, firstName: 'Вася' };
      h.botApi.injectMessage({ chatId, from: vasya, text: 'Кстати, я работаю пожарным в Самаре уже пять лет' });
      // Enough chatter that the fact leaves the recent history the prompt shows: only memory can bring it back.
      for (let i = 0; i < 36; i++) {
        const member = i % 10;
        h.botApi.injectMessage({
          chatId,
          from: { id: 200 + member, firstName: `Участник${member}` },
          text: `${PLACES[i % 4]} обсуждали ${TOPICS[member]} и ещё кое-что номер ${i}`,
        });
      }
      await waitFor(
        'the chatter to be processed and the fact remembered',
        () => h.botApi.pendingCount === 0 && (h.runtime.memory?.remembered.value ?? 0) >= 30,
        20_000,
      );

      const { message } = h.botApi.injectMessage({
        chatId,
        from: vasya,
        text: 'Лёха, ты помнишь, что я работаю пожарным?',
      });
      await waitFor(
        'the reply to the question',
        () => h.botApi.sentTo(chatId).some((s) => s.replyToMessageId === message.message_id),
        20_000,
      );

      const prompt = await lastPrompt(h, chatId);
      expect(prompt?.triggerId).toBe(message.message_id);
      expect(prompt?.recall).toBe('answered');
      const fact = prompt?.memories.find((m) => m.text.includes('пожарным в Самаре'));
      expect(fact).toMatchObject({ kind: 'fact', fromId: 77 });
      expect(prompt?.messages[0]?.content).toContain('я работаю пожарным в Самаре');
      // The transcript no longer holds it: the fact reached the model through memory.
      expect(prompt?.messages[1]?.content).not.toContain('пожарным в Самаре');
      expect(prompt?.description).toMatch(/memories: [1-9]/);
    },
  );

  it('forgets a member through the admin API: their memories leave the database and the chat’s index, and the call is audited', async () => {
    const h = await start();
    const chatId = -9300;
    h.botApi.injectMessage({
      chatId,
      from: { id: 31, firstName: 'Оля' },
      text: 'я работаю архитектором и живу в Казани',
    });
    h.botApi.injectMessage({
      chatId,
      from: { id: 32, firstName: 'Дима' },
      text: 'я работаю архитектором в Самаре уже давно',
    });
    await waitFor('both facts to be remembered', () => (h.runtime.memory?.remembered.value ?? 0) >= 2, 20_000);
    const memory = h.runtime.memory;
    if (memory === null) throw new Error('the runtime has no memory service');
    expect((await memory.recall({ chatId, text: 'работаю архитектором', k: 5 })).map((m) => m.fromId).sort()).toEqual([
      31, 32,
    ]);

    // The admin directory learns of the chat when the archive's rows are written behind.
    const auth = { authorization: `Bearer ${ADMIN_TOKEN}` };
    await waitFor(
      'the chat in the admin directory',
      async () => (await fetch(`${h.runtime.http?.url}/api/chats/${chatId}`, { headers: auth })).status === 200,
      10_000,
    );
    const response = await fetch(`${h.runtime.http?.url}/api/chats/${chatId}/users/31/memories`, {
      method: 'DELETE',
      headers: auth,
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ deleted: 1 });
    expect((await memory.recall({ chatId, text: 'работаю архитектором', k: 5 })).map((m) => m.fromId)).toEqual([32]);
    const rows = await h.runtime.storage?.db.query<{ user_id: number }>(
      'SELECT user_id FROM memories WHERE chat_id = $1',
      [chatId],
    );
    expect(rows?.rows.map((r) => Number(r.user_id))).toEqual([32]);
    const audit = await fetch(`${h.runtime.http?.url}/api/audit?action=member.memories.forget`, { headers: auth });
    expect(JSON.stringify(await audit.json())).toContain(`chat:${chatId}:user:31`);
  });

  it('shows no prompt for a chat that has not replied since its actor started', async () => {
    const h = await start();
    h.botApi.injectMessage({ chatId: -9200, from: { id: 5, firstName: 'Маша' }, text: 'просто привет всем' });
    await waitFor(
      'the message to be processed',
      () => h.botApi.pendingCount === 0 && h.runtime.supervisor.isLive(-9200),
    );
    expect(await lastPrompt(h, -9200)).toBeNull();
  });
});
