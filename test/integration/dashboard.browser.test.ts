import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AnomalyLog } from '../../src/actors/index.js';
import { launchChromium } from '../support/chromium.js';
import { type HttpServer, startHttpServer } from '../../src/http/index.js';
import type { ChatSettings } from '../../src/http/index.js';
import { AdminHarness } from '../support/admin-harness.js';
import { type Harness, startHarness } from '../support/edge-harness.js';

const chats = [
  { id: -1001, title: 'Котики и кофе' },
  { id: -1002, title: 'Release train' },
  { id: -1003, title: 'Футбол по средам' },
];
const people = ['Вася', 'Маша', 'John', 'Оля'];
const lines = ['привет всем', 'Лёха, как дела?', 'спасибо, круто', 'кто на обед?', 'lekha, deploy?', 'бред какой-то'];

let h: AdminHarness;
let server: HttpServer;
let browser: Browser;
let traffic: NodeJS.Timeout;
let sent = 0;
const consoleProblems: string[] = [];
const anomalies = new AnomalyLog();

beforeAll(async () => {
  // Replies go through an asynchronous "LLM" with real latency, so the LLM chart has something to show.
  h = await AdminHarness.create({
    llm: (text) => new Promise((resolve) => setTimeout(() => resolve(`ok: ${text}`), 5 + Math.random() * 25)),
    options: { sampleMs: 400 },
    http: { anomalies },
  });
  for (const c of chats) h.addChat(c.id, c.title);
  // Live traffic for the whole suite: real actors process every message.
  traffic = setInterval(() => {
    for (let i = 0; i < 8; i++) {
      const chat = chats[sent % chats.length] as (typeof chats)[number];
      const user = (sent % people.length) + 1;
      h.say(chat.id, user, people[user - 1] as string, lines[sent % lines.length] as string, {
        replyToUserId: ((sent + 1) % people.length) + 1,
      });
      sent++;
    }
  }, 20);
  server = await startHttpServer(h.deps(), { host: '127.0.0.1', port: 0 });
  browser = await launchChromium();
});

afterAll(async () => {
  clearInterval(traffic);
  await browser?.close();
  await server?.close();
  await h?.close();
});

async function newPage(): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, locale: 'ru-RU' });
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') consoleProblems.push(`${m.text()} at ${m.location().url}`);
  });
  page.on('pageerror', (e) => consoleProblems.push(String(e)));
  page.on('response', (r) => {
    if (r.status() === 404) consoleProblems.push(`404 ${r.url()}`);
  });
  return page;
}

async function logIn(page: Page, token: string, url = server.url): Promise<void> {
  await page.goto(`${url}/`);
  await page.fill('#token', token);
  await page.click('#login button[type=submit]');
}

// Checks poll from the test side: code evaluated inside the page would
// (rightly) be refused by the dashboard's content security policy.
const points = async (page: Page, chart: string): Promise<number> =>
  Number(await page.getAttribute(`#chart-${chart}`, 'data-points'));
const last = async (page: Page, chart: string): Promise<number> =>
  Number(await page.getAttribute(`#chart-${chart}`, 'data-last'));
/** Points of the chart's series that hold a value (not a gap). */
const values = async (page: Page, chart: string): Promise<number> =>
  Number(await page.getAttribute(`#chart-${chart}`, 'data-values'));
const tile = async (page: Page, stat: string): Promise<string> =>
  ((await page.textContent(`[data-stat=${stat}] .value`)) ?? '').trim();
const figure = (text: string): number => Number(text.replace(/\s/g, '').replace(',', '.'));

describe('dashboard of the real runtime in a browser', () => {
  const adminToken = 'browser-runtime-admin-token-0123456789';
  let runtime: Harness;

  beforeAll(async () => {
    // `startRuntime` against the Bot API and Groq emulators, as `lekha start` wires it.
    runtime = await startHarness({ env: { ADMIN_TOKEN: adminToken } });
  });

  afterAll(async () => {
    await runtime?.close();
  });

  it('logs in with a token and fills the overview charts and tiles from the live runtime while traffic flows', async () => {
    let n = 0;
    // Each member may ask 4 times a minute (the default rate limit): spread over enough private chats that
    // replies keep coming however long a loaded machine takes to fill the charts.
    const traffic = setInterval(() => {
      const chatId = 9100 + (n % 300);
      runtime.botApi.injectMessage({ chatId, from: { id: chatId, firstName: 'Вася' }, text: `Лёха, как дела? ${n++}` });
    }, 50);
    const page = await newPage();
    try {
      const url = runtime.runtime.http?.url as string;
      await logIn(page, adminToken, url);
      await page.waitForSelector('#chart-updates canvas');
      for (const chart of ['updates', 'replies', 'llm', 'active']) {
        await expect.poll(() => values(page, chart), { timeout: 30_000, interval: 250 }).toBeGreaterThanOrEqual(2);
      }
      await expect.poll(() => last(page, 'updates'), { timeout: 10_000, interval: 250 }).toBeGreaterThan(0);
      await expect.poll(() => last(page, 'replies'), { timeout: 10_000, interval: 250 }).toBeGreaterThan(0);
      expect(await points(page, 'updates')).toBeGreaterThanOrEqual(await values(page, 'updates'));
      for (const stat of ['updatesPerS', 'repliesPerS', 'responseP95', 'llmP95', 'total']) {
        await expect.poll(() => tile(page, stat), { timeout: 10_000, interval: 250 }).not.toBe('—');
      }
      expect(figure(await tile(page, 'responseP95'))).toBeGreaterThan(0);
      expect(figure(await tile(page, 'total'))).toBeGreaterThanOrEqual(3);
    } finally {
      clearInterval(traffic);
      await page.close();
    }
  });
});

describe('dashboard in a browser', () => {
  it('logs in with a token, and its live charts move while traffic flows', async () => {
    const page = await newPage();
    await logIn(page, h.tokenFor.operator);
    await page.waitForSelector('#chart-updates canvas');
    expect(await page.textContent('#who')).toContain('оператор');
    const before = await points(page, 'updates');
    await expect
      .poll(() => points(page, 'updates'), { timeout: 20_000, interval: 200 })
      .toBeGreaterThanOrEqual(before + 3);
    await expect.poll(() => last(page, 'updates'), { timeout: 5_000, interval: 200 }).toBeGreaterThan(0);
    for (const chart of ['replies', 'llm', 'active']) expect(await points(page, chart)).toBeGreaterThan(before);
    expect(await last(page, 'active')).toBe(chats.length);
    expect(await last(page, 'llm')).toBeGreaterThan(0);
    expect(figure(await tile(page, 'updatesPerS'))).toBeGreaterThan(0);
    await page.close();
  });

  it('opens a chat from the searchable list, switches its mode and sees the actor apply it', async () => {
    const page = await newPage();
    await logIn(page, h.tokenFor.operator);
    await page.waitForSelector('#chart-updates');
    await page.click('[data-nav=chats]');
    await page.waitForSelector('#chats tbody tr');
    await page.fill('#chat-search', 'кофе');
    await expect.poll(() => page.locator('#chats tbody tr').count(), { timeout: 10_000 }).toBe(1);
    await page.click('#chats tbody tr');
    await page.waitForSelector('#chat-mode');
    expect(await page.textContent('#chat-title')).toBe('Котики и кофе');
    expect(await page.getAttribute('#chat-mode', 'data-mode')).toBe('normal');
    expect(await page.textContent('#chat-source')).toBe('живые данные актора');
    await page.waitForSelector('#chat-activity canvas');
    await page.waitForSelector('#members tbody tr');
    await page.waitForSelector('#messages tbody tr');

    await page.selectOption('#mode-select', 'silent');
    await page.click('#mode-apply');
    await page.waitForSelector('#chat-mode[data-mode=silent]');
    expect(await page.textContent('#mode-status')).toContain('тихий');
    const held = await h.supervisor.ask<ChatSettings>(-1001, (reply) => ({ type: 'GetSettings', reply }));
    expect(held.mode).toBe('silent');

    expect(await page.inputValue('#language-select')).toBe('auto');
    await page.selectOption('#language-select', 'uk');
    await page.click('#language-apply');
    await expect.poll(() => page.textContent('#language-status'), { timeout: 10_000 }).toContain('украинский');
    const speaking = await h.supervisor.ask<ChatSettings>(-1001, (reply) => ({ type: 'GetSettings', reply }));
    expect(speaking.language).toBe('uk');

    // The session survives a reload, and the page reads the mode back from the actor.
    await page.reload();
    await page.waitForSelector('#chat-mode[data-mode=silent]');
    expect(await page.inputValue('#language-select')).toBe('uk');

    await page.fill('#msg-q', 'обед');
    await page.click('#msg-search button[type=submit]');
    await expect
      .poll(
        async () => {
          const rows = await page.locator('#messages tbody tr').allTextContents();
          return rows.length > 0 && rows.every((row) => row.includes('обед'));
        },
        { timeout: 10_000 },
      )
      .toBe(true);
    await page.close();
  });

  it('keeps a viewer from changing the mode and refuses a wrong token', async () => {
    const page = await newPage();
    await logIn(page, h.tokenFor.viewer);
    await page.waitForSelector('#chart-updates');
    await page.goto(`${server.url}/#/chats/-1002`);
    await page.waitForSelector('#mode-apply');
    expect(await page.isDisabled('#mode-apply')).toBe(true);
    await page.click('#logout');
    await logIn(page, 'lk_not-a-real-token-at-all-000000');
    await page.waitForSelector('#login-error');
    await page.close();
  });

  it('speaks English when asked to', async () => {
    const page = await newPage();
    await logIn(page, h.tokenFor.admin);
    await page.waitForSelector('#chart-updates');
    await page.click('#lang');
    await expect.poll(() => page.textContent('[data-nav=chats]'), { timeout: 10_000 }).toBe('Chats');
    expect(await page.textContent('#chart-updates figcaption')).toBe('Updates per second');
    await page.click('[data-nav=audit]');
    await page.waitForSelector('#audit tbody tr');
    expect(await page.textContent('#audit tbody')).toContain('chat.mode.set');
    await page.close();
  });

  it('shows raids and takeovers on the alerts page, with what the bot did', async () => {
    anomalies.record({
      chatId: -1002,
      kind: 'join_burst',
      atMs: Date.now(),
      detail: '40 joins in 1 minute, baseline 0.01 (z 39.6)',
      observed: 40,
      expected: 0.01,
      suspects: 40,
      action: 'restrict',
      status: 'refused',
      outcome: 'the bot is not a chat admin allowed to restrict members (can_restrict_members)',
    });
    const page = await newPage();
    await logIn(page, h.tokenFor.viewer);
    await page.waitForSelector('#chart-updates');
    await page.goto(`${server.url}/#/alerts`);
    await page.waitForSelector('#anomalies tbody tr');
    const row = await page.textContent('#anomalies tbody tr');
    expect(row).toContain('всплеск вступлений');
    expect(row).toContain('40 joins in 1 minute');
    expect(row).toContain('ограничить новичков');
    expect(row).toContain('отказано — the bot is not a chat admin');
    await page.close();
  });

  it('ran without script errors or CSP violations', () => {
    expect(consoleProblems.filter((p) => !p.includes('status of 401'))).toEqual([]);
  });
});
