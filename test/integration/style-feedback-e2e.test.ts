import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness, waitFor } from '../support/edge-harness.js';
import { createTestSchema } from '../support/test-services.js';

const ADMIN_TOKEN = 'style-e2e-admin-token-0123456789abcdef';
const auth = { authorization: `Bearer ${ADMIN_TOKEN}` };
const chatId = -9500;
let h: Harness;
const cleanups: Array<() => Promise<void> | void> = [];

beforeAll(async () => {
  const schema = await createTestSchema('style_e2e');
  const dataDir = mkdtempSync(path.join(tmpdir(), 'lekha-style-e2e-'));
  cleanups.push(
    () => schema.drop(),
    () => rmSync(dataDir, { recursive: true, force: true }),
  );
  h = await startHarness({ env: { ADMIN_TOKEN, DATABASE_URL: schema.url, DATA_DIR: dataDir }, storage: true });
  cleanups.push(() => h.close());
});

afterAll(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

interface StyleAnswer {
  source?: string;
  style: { rules: Array<{ key: string; weight: number; muted: boolean }> };
}

async function api<T = StyleAnswer>(method: 'GET' | 'DELETE', url: string): Promise<{ status: number; json: T }> {
  const response = await fetch(`${h.runtime.http?.url}${url}`, { method, headers: auth });
  return { status: response.status, json: (await response.json()) as T };
}

describe('style learned from feedback, end to end', () => {
  it(
    'five 👎 on a reply mute the rules it carried, the admin API shows them, and an admin’s reset restores them',
    { timeout: 60_000 },
    async () => {
      const { message } = h.botApi.injectMessage({
        chatId,
        from: { id: 41, firstName: 'Маша' },
        text: 'Лёха, как дела?',
      });
      await waitFor(
        'the reply',
        () => h.botApi.sentTo(chatId).some((s) => s.replyToMessageId === message.message_id),
        20_000,
      );
      const reply = h.botApi.sentTo(chatId).find((s) => s.replyToMessageId === message.message_id)!;
      for (let i = 0; i < 5; i++)
        h.botApi.injectRawUpdate({
          message_reaction: {
            chat: { id: chatId, type: 'supergroup', title: 'Style chat' },
            message_id: reply.messageId,
            user: { id: 600 + i, is_bot: false, first_name: `Член${i}` },
            date: Math.floor(Date.now() / 1000),
            old_reaction: [],
            new_reaction: [{ type: 'emoji', emoji: '👎' }],
          },
        });
      await waitFor('the reactions to be processed', () => h.botApi.pendingCount === 0, 20_000);
      await waitFor(
        'the chat in the admin directory',
        async () => (await api('GET', `/api/chats/${chatId}`)).status === 200,
        10_000,
      );

      const shown = await api('GET', `/api/chats/${chatId}/style`);
      expect(shown.status).toBe(200);
      expect(shown.json.source).toBe('live');
      expect(shown.json.style.rules.length).toBeGreaterThan(0);
      for (const rule of shown.json.style.rules) expect(rule).toMatchObject({ weight: 0.44, muted: true });
      expect(shown.json.style.rules.map((r) => r.key)).toContain('length:short');

      const reset = await api('DELETE', `/api/chats/${chatId}/style`);
      expect(reset.status).toBe(200);
      expect(reset.json.style.rules).toEqual([]);
      expect((await api('GET', `/api/chats/${chatId}/style`)).json.style.rules).toEqual([]);
      const audit = await api<unknown>('GET', '/api/audit?action=chat.style.reset');
      expect(JSON.stringify(audit.json)).toContain('length:short');
    },
  );
});
