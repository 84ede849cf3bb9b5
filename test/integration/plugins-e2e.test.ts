import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import { startRuntime } from '../../src/main.js';
import { BotApiEmulator, GroqEmulator } from '../../src/sandbox/index.js';
import { pino } from 'pino';
import { emulatorEnv, type Harness, startHarness, waitFor } from '../support/edge-harness.js';
import { createTestSchema, type TestSchema } from '../support/test-services.js';

let harness: Harness | null = null;
let schema: TestSchema | null = null;
let dataDir: string | null = null;

afterEach(async () => {
  await harness?.close();
  await schema?.drop();
  if (dataDir !== null) rmSync(dataDir, { recursive: true, force: true });
  harness = null;
  schema = null;
  dataDir = null;
});

/** The bot on a Postgres schema of its own: plugin choices, jobs and the audit log in real tables. */
async function startWithStorage(env: Record<string, string> = {}): Promise<Harness> {
  schema = await createTestSchema('plugins_e2e');
  dataDir = mkdtempSync(path.join(tmpdir(), 'lekha-plugins-e2e-'));
  return startHarness({ env: { ...env, DATABASE_URL: schema.url, DATA_DIR: dataDir }, storage: true });
}

const ADMIN_TOKEN = 'plugins-e2e-admin-token-0123456789';
const owner = { id: 71, firstName: 'Оля', username: 'olya' };
const member = { id: 72, firstName: 'Петя' };

/** Texts the bot sent to a chat, in order. */
const sent = (h: Harness, chatId: number): string[] => h.botApi.sentTo(chatId).map((m) => m.text ?? '');

async function say(h: Harness, chatId: number, from: typeof owner | typeof member, text: string): Promise<string> {
  const before = sent(h, chatId).length;
  h.botApi.injectMessage({ chatId, from, text });
  await waitFor(`an answer to ${text}`, () => sent(h, chatId).length > before);
  return sent(h, chatId)[before]!;
}

describe('plugins in the running bot', () => {
  it('runs built-in commands as plugins, lets a chat admin switch one off, audits it and exports plugin metrics', async () => {
    const h = (harness = await startWithStorage({ ADMIN_TOKEN }));
    const chat = -9100;
    // The emulator makes the first member of a group its creator.
    h.botApi.injectMessage({ chatId: chat, from: owner, text: 'всем привет' });
    await waitFor('the first message', () => h.botApi.pendingCount === 0);

    expect(await say(h, chat, member, '/plugin off top')).toBe('Это могут только админы чата.');
    expect(await say(h, chat, owner, '/plugin off top')).toBe('Плагин top выключен.');
    expect(await say(h, chat, member, '/top')).toContain('/top в этом чате выключена');
    const help = await say(h, chat, member, '/help');
    expect(help).toContain('/remind');
    expect(help).toContain('/stats');
    expect(help).not.toContain('/top');
    expect(await say(h, chat, owner, '/plugin off help')).toContain('не выключить');
    expect(await say(h, chat, owner, '/plugins')).toMatch(/⛔ top[\s\S]*✅ reminders|✅ reminders[\s\S]*⛔ top/);

    const api = h.runtime.http!.url;
    const audit = (await (
      await fetch(`${api}/api/audit?action=plugin.*`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })
    ).json()) as { items: Array<{ action: string; target: string; details: Record<string, unknown> }> };
    expect(audit.items).toEqual([
      expect.objectContaining({
        action: 'plugin.chat.enabled.set',
        target: `chat:${chat}`,
        details: { plugin: 'top', enabled: false },
      }),
    ]);

    const auth = { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' };
    const { items: plugins } = (await (await fetch(`${api}/api/plugins`, { headers: auth })).json()) as {
      items: Array<{ name: string; enabledByDefault: boolean; jobs: unknown[] }>;
    };
    expect(plugins.map((p) => p.name)).toEqual(
      expect.arrayContaining(['help', 'stats', 'top', 'summary', 'mode', 'plugins', 'reminders', 'digest']),
    );
    expect(plugins.find((p) => p.name === 'digest')).toMatchObject({
      enabledByDefault: false,
      jobs: [{ name: 'daily' }],
    });
    const chatPlugins = await fetch(`${api}/api/chats/${chat}/plugins/digest/enabled`, {
      method: 'PUT',
      headers: auth,
      body: JSON.stringify({ enabled: true }),
    });
    expect(chatPlugins.status).toBe(200);
    expect(await say(h, chat, member, '/plugins')).toMatch(/✅ digest/);
    const scheduler = (await (await fetch(`${api}/api/scheduler`, { headers: auth })).json()) as {
      byStatus: Record<string, number>;
    };
    // The digest's hourly job is registered and waiting.
    expect(scheduler.byStatus.pending).toBeGreaterThanOrEqual(1);

    const metrics = await (await fetch(`${api}/metrics`)).text();
    expect(metrics).toMatch(/^lekha_plugin_calls_total\{plugin="plugins"\} [1-9]/m);
    expect(metrics).toMatch(/^lekha_plugin_latency_ms_count\{plugin="help"\} [1-9]/m);
    expect(metrics).toMatch(/^lekha_scheduler_\w+/m);
  });

  it('sets reminders by command and by a phrase to the bot, lists and cancels them, and delivers each once across a restart', async () => {
    const h = (harness = await startWithStorage());
    const chat = -9200;
    h.botApi.injectMessage({ chatId: chat, from: owner, text: 'привет' });
    await waitFor('the first message', () => h.botApi.pendingCount === 0);

    expect(await say(h, chat, owner, '/remind 10s позвонить Маше')).toMatch(/^Ок, напомню .*через 10 с/);
    expect(await say(h, chat, member, 'Лёха, напомни через 10 секунд выключить плиту')).toMatch(/^Ок, напомню/);
    expect(await say(h, chat, member, '/remind послезавтра')).toMatch(/^А о чём напомнить/);
    expect(await say(h, chat, member, '/remind в 25:00 встать')).toMatch(/^Не понял, когда напомнить/);
    expect(await say(h, chat, owner, '/remind 1h купить хлеб')).toMatch(/^Ок, напомню/);
    const list = await say(h, chat, owner, '/reminders');
    expect(list).toContain('позвонить Маше');
    expect(list).toContain('купить хлеб');
    expect(list).not.toContain('плиту');
    const breadId = /#(\d+)[^\n]*купить хлеб/.exec(list)?.[1];
    expect(breadId).toBeDefined();
    expect(await say(h, chat, member, `/reminders cancel ${breadId}`)).toMatch(/не нашёл|нет/i);
    expect(await say(h, chat, owner, `/reminders cancel ${breadId}`)).toContain(breadId!);
    // Reminders are rows in storage: a restart before they are due loses none of them.
    await h.restart();

    await waitFor('both reminders', () => sent(h, chat).filter((t) => t.startsWith('⏰')).length === 2, 20_000);
    const due = sent(h, chat).filter((t) => t.startsWith('⏰'));
    expect(due).toEqual(
      expect.arrayContaining(['⏰ @olya, напоминаю: позвонить Маше', '⏰ Петя, напоминаю: выключить плиту']),
    );
    expect(await say(h, chat, owner, '/reminders')).toMatch(/^Напоминалок нет/);
    expect(sent(h, chat).filter((t) => t.startsWith('⏰'))).toHaveLength(2);
  }, 40_000);

  it.each([
    [
      'a module that does not exist',
      { PLUGINS: './test/fixtures/plugins/missing.mjs' },
      'PLUGIN_LOAD_FAILED',
      /missing\.mjs/,
    ],
    [
      'a module that exports no plugin',
      { PLUGINS: './test/fixtures/plugins/no-plugin.mjs' },
      'PLUGIN_LOAD_FAILED',
      /exports no plugin/,
    ],
    [
      'a bad manifest',
      { PLUGINS: './test/fixtures/plugins/bad-manifest.mjs' },
      'PLUGIN_INVALID',
      /plugin broken: version "one"/,
    ],
    [
      'a PLUGINS_CONFIG that is not JSON',
      { PLUGINS_CONFIG: './test/fixtures/plugins/bad-manifest.mjs' },
      'PLUGIN_LOAD_FAILED',
      /not valid JSON/,
    ],
    [
      'an invalid plugin setting in the environment',
      { PLUGIN_REMINDERS_MAX_PER_MEMBER: 'lots' },
      'PLUGIN_SETTINGS_INVALID',
      /reminders \(PLUGIN_REMINDERS_MAX_PER_MEMBER\)/,
    ],
  ])('stops the start with a clear error for %s, closing what it opened', async (_what, env, code, message) => {
    const botApi = await BotApiEmulator.start({ limits: false });
    const groq = await GroqEmulator.start({ latency: 5 });
    try {
      const config = loadConfig({ ...emulatorEnv(botApi, groq), LOG_LEVEL: 'silent', HTTP_PORT: '0', ...env });
      const started = startRuntime(config, pino({ level: 'silent' }), { persistence: null, env });
      await expect(started).rejects.toMatchObject({ code, message: expect.stringMatching(message) });
    } finally {
      await Promise.all([botApi.close(), groq.close()]);
    }
  });
});
