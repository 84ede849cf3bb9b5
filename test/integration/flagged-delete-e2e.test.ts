import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness, waitFor } from '../support/edge-harness.js';
import { createTestSchema, type TestSchema } from '../support/test-services.js';

// `onViolation: delete` through the real runtime: set with the admin API,
// the flagged message deleted with Telegram's deleteMessage, or the refusal
// logged and counted when the bot is not an admin.

const ADMIN_TOKEN = 'flagged-delete-admin-token-0123456789abc';

let h: Harness;
let schema: TestSchema;
let dataDir: string;

beforeAll(async () => {
  schema = await createTestSchema('flagged_delete');
  dataDir = mkdtempSync(path.join(tmpdir(), 'lekha-flagged-delete-'));
  h = await startHarness({ env: { ADMIN_TOKEN, DATABASE_URL: schema.url, DATA_DIR: dataDir }, storage: true });
}, 60_000);

afterAll(async () => {
  await h?.close();
  await schema?.drop();
  rmSync(dataDir, { recursive: true, force: true });
});

async function api(method: string, route: string, body?: unknown): Promise<Response> {
  return fetch(`${h.runtime.http!.url}${route}`, {
    method,
    headers: {
      authorization: `Bearer ${ADMIN_TOKEN}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

/** A group the bot has seen, with `казино` banned and `onViolation` set through the API. */
async function groupWith(chatId: number, onViolation: 'warn' | 'delete'): Promise<void> {
  h.botApi.injectMessage({ chatId, from: { id: 1, firstName: 'Хозяин' }, text: 'всем привет' });
  await waitFor('the chat in the archive', async () => (await api('GET', `/api/chats/${chatId}`)).status === 200);
  const set = await api('PATCH', `/api/chats/${chatId}/settings`, { bannedWords: ['казино'], onViolation });
  expect(set.status).toBe(200);
  expect(((await set.json()) as { settings: { onViolation: string } }).settings.onViolation).toBe(onViolation);
}

async function failedDeletes(): Promise<number> {
  const text = await (await api('GET', '/metrics')).text();
  return Number(/^lekha_flagged_deletes_failed_total (\d+)/m.exec(text)?.[1] ?? 'NaN');
}

describe('a flagged message in a chat whose onViolation is delete', () => {
  it('is deleted at Telegram, and the member is warned', async () => {
    const chatId = -100_9101;
    await groupWith(chatId, 'delete');
    const flagged = h.botApi.injectMessage({ chatId, from: { id: 2, firstName: 'Спамер' }, text: 'заходи в казино' });
    await waitFor('the deletion', () => h.botApi.deletions.some((d) => d.chatId === chatId));
    expect(h.botApi.deletions.filter((d) => d.chatId === chatId)).toEqual([
      { chatId, messageId: flagged.message.message_id },
    ]);
    await waitFor('the warning', () => h.botApi.sentTo(chatId).length >= 1);
  });

  it('stays when the bot is not an admin: the refusal is counted, the warning still goes out', async () => {
    const chatId = -100_9102;
    await groupWith(chatId, 'delete');
    h.botApi.setBotRights(chatId, 'member');
    const before = await failedDeletes();
    h.botApi.injectMessage({ chatId, from: { id: 3, firstName: 'Спамер' }, text: 'казино тут' });
    await waitFor('the refusal counted', async () => (await failedDeletes()) === before + 1);
    await waitFor('the warning', () => h.botApi.sentTo(chatId).length >= 1);
    expect(h.botApi.deletions.filter((d) => d.chatId === chatId)).toEqual([]);
  });

  it('is only warned about with onViolation warn', async () => {
    const chatId = -100_9103;
    await groupWith(chatId, 'warn');
    h.botApi.injectMessage({ chatId, from: { id: 4, firstName: 'Спамер' }, text: 'казино, казино' });
    await waitFor('the warning', () => h.botApi.sentTo(chatId).length >= 1);
    expect(h.botApi.deletions.filter((d) => d.chatId === chatId)).toEqual([]);
  });
});
