import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HttpServer, startHttpServer } from '../../src/http/index.js';
import { AdminHarness } from '../support/admin-harness.js';
import { launchChromium } from '../support/chromium.js';
import { job, MemorySchedulerAdmin } from '../support/memory-scheduler-admin.js';
import { MemoryPluginAdmin, pluginInfo } from '../support/memory-plugin-admin.js';

const CHAT = -5001;

let h: AdminHarness;
let server: HttpServer;
let browser: Browser;
let plugins: MemoryPluginAdmin;
let scheduler: MemorySchedulerAdmin;
const problems: string[] = [];

beforeAll(async () => {
  h = await AdminHarness.create();
  h.addChat(CHAT, 'Погода и напоминания');
  plugins = new MemoryPluginAdmin([
    pluginInfo('weather', {
      version: '2.1.0',
      kind: 'integration',
      description: 'Weather in a city',
      source: '@lekha/weather',
      settingsSchema: {
        type: 'object',
        properties: {
          units: { type: 'string', enum: ['metric', 'imperial'], default: 'metric' },
          cacheMinutes: { type: 'integer', minimum: 1, maximum: 1440, default: 10 },
          showWind: { type: 'boolean', default: true },
          city: { type: 'string' },
        },
      },
      settings: { units: 'metric', cacheMinutes: 10, showWind: true },
      commands: [{ name: 'weather', description: 'the weather now', args: '<city>', tool: true, adminOnly: false }],
      jobs: [{ name: 'warm-cache', schedule: 'every 1h' }],
      stats: { calls: 120, failures: 3, timeouts: 1, rejected: 0, latencyMs: { p50: 42, p99: 310 } },
      breaker: 'closed',
    }),
    pluginInfo('stats', { breaker: 'open' }),
    pluginInfo('movies', { kind: 'integration', unavailable: 'needs TMDB_API_KEY' }),
  ]);
  scheduler = new MemorySchedulerAdmin(
    [
      job(11, { chatId: CHAT, text: 'выключить плиту' }),
      job(12, { chatId: CHAT, status: 'failed', attempts: 5, lastError: 'Telegram refused the send' }),
      job(13, { chatId: CHAT, status: 'in_doubt', attempts: 1 }),
    ],
    { executed: 40, succeeded: 36, failed: 2, retried: 3, inDoubt: 1, lateMs: { p50: 12, p99: 340 } },
  );
  server = await startHttpServer({ ...h.deps(), pluginAdmin: plugins, scheduler }, { host: '127.0.0.1', port: 0 });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await h?.close();
});

async function open(hash: string, token: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, locale: 'en-GB' });
  page.on('pageerror', (e) => problems.push(String(e)));
  page.on('console', (m) => {
    if (m.type() === 'error' && !m.text().includes('status of 4')) problems.push(m.text());
  });
  await page.goto(`${server.url}/${hash}`);
  await page.fill('#token', token);
  await page.click('#login button[type=submit]');
  return page;
}

describe('the Plugins page', () => {
  it('lists plugins with their figures, and a toggle switches one off through the API', async () => {
    const page = await open('#/plugins', h.tokenFor.operator);
    try {
      await page.waitForSelector('#plugins tr[data-plugin=weather]');
      const row = (await page.textContent('#plugins tr[data-plugin=weather]')) ?? '';
      for (const text of ['2.1.0', 'integration', 'Weather in a city', '@lekha/weather', 'closed', '120', '42', '310'])
        expect(row).toContain(text);
      expect(await page.textContent('[data-breaker=stats]')).toBe('open');
      expect(await page.textContent('[data-needs-config=movies]')).toBe('Needs configuration: needs TMDB_API_KEY');
      expect(await page.$('[data-needs-config=weather]')).toBeNull();

      await page.uncheck('input[data-toggle=weather]');
      await expect.poll(() => plugins.get('weather')?.enabled).toBe(false);
      expect(plugins.changes).toContain('enabled weather false');
      // The page re-renders from the API's answer.
      await page.waitForSelector('input[data-toggle=weather]:not(:checked)');
      await page.check('input[data-toggle=weather]');
      await expect.poll(() => plugins.get('weather')?.enabled).toBe(true);
    } finally {
      await page.close();
    }
  });

  it('builds the settings form from the schema and shows a refused value next to its field', async () => {
    const page = await open('#/plugins/weather', h.tokenFor.operator);
    try {
      await page.waitForSelector('#plugin-settings');
      expect(await page.inputValue('#plugin-settings-cacheMinutes')).toBe('10');
      expect(await page.inputValue('#plugin-settings-showWind')).toBe('true');
      expect(await page.textContent('#plugin-commands')).toContain('/weather');
      expect(await page.textContent('#plugin-jobs')).toContain('every 1h');

      await page.fill('#plugin-settings-cacheMinutes', '0');
      await page.click('#plugin-settings button[type=submit]');
      await page.waitForSelector('[data-issue=cacheMinutes]:has-text("must be at least 1")');
      expect(plugins.get('weather')?.settings.cacheMinutes).toBe(10);

      await page.fill('#plugin-settings-cacheMinutes', '30');
      await page.selectOption('#plugin-settings-units', { label: 'imperial' });
      await page.click('#plugin-settings button[type=submit]');
      await page.waitForSelector('[data-status=plugin-settings]:has-text("Saved")');
      expect(await page.textContent('[data-issue=cacheMinutes]')).toBe('');
      expect(plugins.get('weather')?.settings).toMatchObject({ units: 'imperial', cacheMinutes: 30, showWind: true });
    } finally {
      await page.close();
    }
  });

  it("switches a plugin off in one chat and keeps the chat's own settings", async () => {
    const page = await open('#/plugins', h.tokenFor.operator);
    try {
      await page.waitForSelector('#chat-plugins-id');
      await page.fill('#chat-plugins-id', String(CHAT));
      await page.click('#chat-plugins-form button[type=submit]');
      await page.click('button[data-chat-off=weather]');
      await page.waitForSelector('tr[data-chat-plugin=weather] td[data-state=off]');
      expect((await plugins.forChat(CHAT)).find((p) => p.name === 'weather')).toMatchObject({
        enabled: false,
        chosen: true,
      });
      await page.click('button[data-chat-settings=weather]');
      await page.fill('#chat-plugin-settings-city', 'Санкт-Петербург');
      await page.click('#chat-plugin-settings button[type=submit]');
      await page.waitForSelector('tr[data-chat-plugin=weather]:has-text("city")');
      expect((await plugins.forChat(CHAT)).find((p) => p.name === 'weather')?.overrides).toEqual({
        city: 'Санкт-Петербург',
      });
    } finally {
      await page.close();
    }
  });

  it('shows a viewer the plugins with the switches disabled', async () => {
    const page = await open('#/plugins', h.tokenFor.viewer);
    try {
      await page.waitForSelector('#plugins tr[data-plugin=weather]');
      expect(await page.isDisabled('input[data-toggle=weather]')).toBe(true);
    } finally {
      await page.close();
    }
  });
});

describe('the Scheduler page', () => {
  it('shows the figures and jobs, and an operator retries a failed job', async () => {
    const page = await open('#/scheduler', h.tokenFor.operator);
    try {
      await page.waitForSelector('#jobs-failed tr[data-job="12"]');
      expect(await page.textContent('[data-stat=executed] .value')).toBe('40');
      expect(await page.textContent('[data-stat=lateP99] .value')).toBe('340');
      expect(await page.textContent('#jobs-failed')).toContain('Telegram refused the send');
      // Not an admin: the reminder's text stays hidden.
      expect(await page.textContent('#jobs-upcoming')).not.toContain('плиту');

      await page.click('button[data-retry="12"]');
      await page.waitForSelector('#jobs-failed tr[data-job="12"]', { state: 'detached' });
      expect(scheduler.status(12)).toBe('pending');
      await page.waitForSelector('#jobs-upcoming button[data-cancel="12"]');

      await page.click('button[data-cancel="12"]');
      await page.waitForSelector('#jobs-upcoming button[data-cancel="12"]', { state: 'detached' });
      expect(scheduler.status(12)).toBe('cancelled');
    } finally {
      await page.close();
    }
  });

  it("shows an admin the reminders' texts, and a viewer no buttons", async () => {
    const admin = await open('#/scheduler', h.tokenFor.admin);
    try {
      await admin.waitForSelector('#jobs-upcoming');
      expect(await admin.textContent('#jobs-upcoming')).toContain('выключить плиту');
    } finally {
      await admin.close();
    }
    const viewer = await open('#/scheduler', h.tokenFor.viewer);
    try {
      await viewer.waitForSelector('#jobs-failed tr[data-job="13"]');
      expect(await viewer.locator('button[data-retry]').count()).toBe(0);
    } finally {
      await viewer.close();
    }
  });

  it('raised no script errors on any page', () => {
    expect(problems).toEqual([]);
  });
});
