import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatState } from '../../src/actors/index.js';
import { type Harness, startHarness, waitFor } from '../support/edge-harness.js';
import { createTestSchema, type TestSchema } from '../support/test-services.js';

// A raid driven through the real runtime (startRuntime against the Bot API
// and Groq emulators): the chat actor detects it, the alert reaches
// /api/alerts and /metrics, and the restrict action goes through Telegram's
// restrictChatMember — or is refused when the bot lacks the right.

const ADMIN_TOKEN = 'anomaly-e2e-admin-token-0123456789abcdef';
const RAIDERS = 16;

let h: Harness;
let schema: TestSchema;
let dataDir: string;

// On Postgres: the admin API finds chats in the directory storage keeps.
beforeAll(async () => {
  schema = await createTestSchema('anomaly_e2e');
  dataDir = mkdtempSync(path.join(tmpdir(), 'lekha-anomaly-e2e-'));
  h = await startHarness({ env: { ADMIN_TOKEN, DATABASE_URL: schema.url, DATA_DIR: dataDir }, storage: true });
});

afterAll(async () => {
  await h?.close();
  await schema?.drop();
  rmSync(dataDir, { recursive: true, force: true });
});

function url(): string {
  const http = h.runtime.http;
  if (http === null) throw new Error('the runtime serves no HTTP');
  return http.url;
}

async function api<T>(method: string, route: string, body?: unknown): Promise<{ status: number; json: T }> {
  const res = await fetch(`${url()}${route}`, {
    method,
    headers: {
      authorization: `Bearer ${ADMIN_TOKEN}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, json: (await res.json()) as T };
}

interface AlertsAnswer {
  anomalies: Array<{
    chatId: number;
    kind: string;
    action: string;
    status: string;
    outcome: string | null;
    suspects: number;
    detail: string;
  }>;
}

async function anomaliesOf(chatId: number): Promise<AlertsAnswer['anomalies']> {
  const { json } = await api<AlertsAnswer>('GET', '/api/alerts');
  return json.anomalies.filter((a) => a.chatId === chatId);
}

function chatState(chatId: number): Promise<ChatState> {
  return h.runtime.supervisor.ask<ChatState>(chatId, (reply) => ({ type: 'GetChatState', reply }));
}

/** A chat with one message from its owner, its anomaly action set through the admin API. */
async function chatWithAction(chatId: number, action: string): Promise<void> {
  h.botApi.injectMessage({ chatId, title: `Chat ${chatId}`, from: { id: 7, firstName: 'Owner' }, text: 'всем привет' });
  await waitFor('the first message', async () => (await chatState(chatId)).processedMessages === 1);
  // The directory learns of the chat when the archive's batch is written.
  await waitFor('the chat in the directory', async () => (await api('GET', `/api/chats/${chatId}`)).status === 200);
  const patched = await api<{ settings: { anomaly: { action: string } } }>('PATCH', `/api/chats/${chatId}/settings`, {
    anomaly: { action },
  });
  expect(patched.status).toBe(200);
  expect(patched.json.settings.anomaly.action).toBe(action);
}

function raid(chatId: number, firstUserId: number): number[] {
  const ids = Array.from({ length: RAIDERS }, (_, i) => firstUserId + i);
  for (const id of ids) h.botApi.injectJoin({ chatId, user: { id, firstName: `Promo${id}` } });
  return ids;
}

async function metricValue(name: string, labels: string): Promise<number> {
  const text = await (await fetch(`${url()}/metrics`)).text();
  const series = labels === '' ? `${name} ` : `${name}{${labels}} `;
  const line = text.split('\n').find((l) => l.startsWith(series));
  return line === undefined ? Number.NaN : Number(line.split(' ').pop());
}

describe('raid detection through the real runtime', () => {
  it('alerts on a join burst, restricts the raid’s new members and counts it in /metrics', async () => {
    const chatId = -910;
    await chatWithAction(chatId, 'restrict');
    const before = await metricValue('lekha_anomalies_total', 'kind="join_burst"');
    const raiders = raid(chatId, 50_000);

    await waitFor('the restriction to settle', async () =>
      (await anomaliesOf(chatId)).some((a) => a.kind === 'join_burst' && a.status !== 'pending'),
    );
    const [alert] = await anomaliesOf(chatId);
    expect(alert).toMatchObject({ kind: 'join_burst', action: 'restrict', status: 'done' });
    expect(alert?.outcome).toMatch(/new members restricted/);
    // Alerts carry counts, never names.
    expect(JSON.stringify(alert)).not.toContain('Promo');

    // Joins after the alert, while the raid lasts, are restricted too.
    await waitFor('every raider restricted', () =>
      raiders.every((id) => h.botApi.restrictions.some((r) => r.chatId === chatId && r.userId === id)),
    );
    for (const r of h.botApi.restrictions.filter((x) => x.chatId === chatId)) {
      expect(r.canSendMessages).toBe(false);
      expect(r.untilDate).toBeGreaterThan(Date.now() / 1000);
    }
    expect(h.botApi.restrictions.some((r) => r.userId === 7)).toBe(false);
    // /metrics is rendered at most once a second.
    await waitFor(
      'the metric',
      async () => (await metricValue('lekha_anomalies_total', 'kind="join_burst"')) === before + 1,
    );
  });

  it('refuses to restrict, clearly, where the bot is not allowed to, and restricts nobody', async () => {
    const chatId = -911;
    await chatWithAction(chatId, 'restrict');
    h.botApi.setBotRights(chatId, 'admin_without_restrict');
    const failedBefore = await metricValue('lekha_anomaly_actions_failed_total', '');
    raid(chatId, 60_000);

    await waitFor('the refusal', async () =>
      (await anomaliesOf(chatId)).some((a) => a.kind === 'join_burst' && a.status !== 'pending'),
    );
    const [alert] = await anomaliesOf(chatId);
    expect(alert).toMatchObject({ kind: 'join_burst', action: 'restrict', status: 'refused' });
    expect(alert?.outcome).toMatch(/can_restrict_members/);
    expect(h.botApi.restrictions.filter((r) => r.chatId === chatId)).toEqual([]);
    expect(failedBefore).toBe(0);
    await waitFor(
      'the refusal counted',
      async () => (await metricValue('lekha_anomaly_actions_failed_total', '')) >= 1,
    );
  });

  it('tells the chat’s admins in the chat with notify_admins, and only alerts by default', async () => {
    const notified = -912;
    await chatWithAction(notified, 'notify_admins');
    raid(notified, 70_000);
    await waitFor('the notice', () => h.botApi.sentTo(notified).some((s) => s.text.includes('Админам')));
    await waitFor('the alert to settle', async () => (await anomaliesOf(notified)).some((a) => a.status === 'done'));

    const quiet = -913;
    h.botApi.injectMessage({ chatId: quiet, from: { id: 8, firstName: 'Owner' }, text: 'привет' });
    raid(quiet, 80_000);
    await waitFor('the default alert', async () => (await anomaliesOf(quiet)).length > 0);
    expect((await anomaliesOf(quiet))[0]).toMatchObject({ action: 'alert', status: 'done' });
    expect(h.botApi.restrictions.filter((r) => r.chatId === quiet)).toEqual([]);
    expect(h.botApi.sentTo(quiet)).toEqual([]);
  });
});
