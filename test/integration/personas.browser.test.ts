import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/chromium.js';
import { type Harness, startHarness, waitFor } from '../support/edge-harness.js';
import { createTestSchema, type TestSchema } from '../support/test-services.js';

const ADMIN_TOKEN = 'personas-browser-admin-token-0123456789';
const TUNED = 'ft:llama-3.1-8b:acme:lekha:abc123';
const CHAT = -100_7717;
const TITLE = 'Рыбалка по выходным';

const personaFile = `default: Лёха
personas:
  - name: Лёха
    version: 1
    aliases: [Лёха, lekha]
    character: ['You are {name}, a witty chat buddy.']
  - name: Вася
    version: 3
    aliases: [Вася, vasya]
    character: ['You are {name}, a retired fisherman with a story for every lake.']
    styleRules: ['Plain words, no lists.']
    language: ru
    replyLength: short
    emoji: none
    model: ${TUNED}
`;

let dir: string;
let schema: TestSchema;
let h: Harness;
let url: string;
let browser: Browser;
/** Uncaught errors of the page's scripts. */
const pageProblems: string[] = [];

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'lekha-personas-browser-'));
  const file = path.join(dir, 'personas.yaml');
  writeFileSync(file, personaFile);
  // Chats are listed and found from storage, as in production.
  schema = await createTestSchema('personas_browser');
  h = await startHarness({
    env: { ADMIN_TOKEN, PERSONA_FILE: file, DATABASE_URL: schema.url, DATA_DIR: dir },
    storage: true,
    groq: { models: ['llama-3.1-8b-instant', 'llama-3.3-70b-versatile', TUNED] },
  });
  url = h.runtime.http?.url as string;
  browser = await launchChromium();
  // The chat the operator looks for: the bot has seen it and answered as the default persona.
  h.botApi.injectMessage({ chatId: CHAT, title: TITLE, from: { id: 5, firstName: 'Петя' }, text: 'Лёха, привет' });
  await waitFor('the default persona to answer', () => h.botApi.sentTo(CHAT).length === 1);
  // Лёха names no model: GROQ_MODEL wrote that reply.
  expect(h.groq.stats().byModel).toEqual({ 'llama-3.1-8b-instant': 1 });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await h?.close();
  await schema?.drop();
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

async function api(pathname: string, token = ADMIN_TOKEN, init: RequestInit = {}): Promise<Response> {
  return fetch(`${url}${pathname}`, {
    ...init,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...init.headers },
  });
}

async function openPersonas(token: string, hash = '#/personas'): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, locale: 'en-GB' });
  page.setDefaultTimeout(15_000);
  page.on('pageerror', (e) => pageProblems.push(String(e)));
  await page.goto(`${url}/${hash}`);
  await page.fill('#token', token);
  await page.click('#login button[type=submit]');
  await page.waitForSelector('#personas tr[data-persona="Вася"]');
  return page;
}

describe('the Personas page of the real runtime', () => {
  afterEach(() => {
    expect(pageProblems).toEqual([]);
  });

  it('lists every persona with its settings, and switches a chat found by title to another one', async () => {
    const page = await openPersonas(ADMIN_TOKEN);
    try {
      expect(await page.textContent('nav a[data-nav=personas]')).toBe('Personas');
      const lekha = (await page.textContent('#personas tr[data-persona="Лёха"]')) ?? '';
      expect(lekha).toContain('default');
      expect(lekha).toContain('as configured (GROQ_MODEL)');
      expect(lekha).toContain('as spoken to');
      const vasya = page.locator('#personas tr[data-persona="Вася"]');
      expect(await vasya.textContent()).toMatch(/Вася\s*3\s*Вася, vasya\s*Russian\s*short\s*none/);
      expect(await vasya.locator('[data-default]').count()).toBe(0);
      expect(await vasya.locator('td[data-model] code').textContent()).toBe(TUNED);
      // Character and style lines are there to read, folded.
      await vasya.locator('details.persona-lines summary').click();
      expect(await vasya.locator('details.persona-lines').textContent()).toContain(
        'You are {name}, a retired fisherman with a story for every lake.',
      );
      expect(await vasya.locator('details.persona-lines').textContent()).toContain('Plain words, no lists.');

      await page.fill('#persona-chat-search', 'Рыбалка');
      await page.click(`#persona-chat-results a[data-chat-id="${CHAT}"]`);
      await page.waitForSelector(`#persona-chat[data-chat-id="${CHAT}"]`);
      expect(await page.textContent('#persona-current')).toBe('Лёха (Лёха@1), default');
      expect(await page.inputValue('#persona-select')).toBe('');

      await page.selectOption('#persona-select', 'Вася');
      await page.click('#persona-apply');
      await page.waitForSelector('#persona-status.ok');
      expect(await page.textContent('#persona-status')).toBe('Persona changed: Вася (Вася@3)');
      expect(await page.getAttribute('#persona-current', 'data-persona')).toBe('Вася');
    } finally {
      await page.close();
    }

    const settings = (await (await api(`/api/chats/${CHAT}/settings`)).json()) as {
      settings: { persona: string | null };
    };
    expect(settings.settings.persona).toBe('Вася');
    // The chat now answers to Вася, through Вася's own model.
    const before = h.groq.stats().byModel[TUNED] ?? 0;
    h.botApi.injectMessage({ chatId: CHAT, title: TITLE, from: { id: 6, firstName: 'Оля' }, text: 'Вася, клюёт?' });
    await waitFor('Вася to answer', () => h.botApi.sentTo(CHAT).length === 2);
    expect(h.groq.stats().byModel[TUNED]).toBe(before + 1);
  }, 60_000);

  it('shows what the API refuses, and an unknown chat, without changing anything', async () => {
    const page = await openPersonas(ADMIN_TOKEN, `#/personas/${CHAT}`);
    try {
      await page.waitForSelector('#persona-select');
      const before = await (await api(`/api/chats/${CHAT}/settings`)).json();
      // The persona file changed under the page (a restart with another file): the name sent is no longer known.
      await page.route('**/api/chats/*/settings', (route) =>
        route.request().method() === 'PATCH'
          ? route.continue({ postData: JSON.stringify({ persona: 'Петя' }) })
          : route.continue(),
      );
      await page.selectOption('#persona-select', '');
      await page.click('#persona-apply');
      await page.waitForSelector('#persona-status.error');
      expect(await page.textContent('#persona-status')).toContain('no persona is named "Петя" (there are: Лёха, Вася)');
      expect(await (await api(`/api/chats/${CHAT}/settings`)).json()).toEqual(before);
      await page.unroute('**/api/chats/*/settings');

      await page.goto(`${url}/#/personas/-4242`);
      await page.waitForSelector('#persona-chat-error');
      expect(await page.textContent('#persona-chat-error')).toBe('Error: no such chat');
    } finally {
      await page.close();
    }
  }, 60_000);

  it('lets a viewer read a chat’s persona but not change it', async () => {
    const created = await api('/api/tokens', ADMIN_TOKEN, {
      method: 'POST',
      body: JSON.stringify({ role: 'viewer', label: 'persona page viewer' }),
    });
    expect(created.status).toBe(201);
    const { token } = (await created.json()) as { token: string };
    const page = await openPersonas(token);
    try {
      // A full id and Enter open the chat without a search.
      await page.fill('#persona-chat-search', String(CHAT));
      await page.press('#persona-chat-search', 'Enter');
      await page.waitForSelector(`#persona-chat[data-chat-id="${CHAT}"] #persona-select`);
      expect(await page.isDisabled('#persona-select')).toBe(true);
      expect(await page.isDisabled('#persona-apply')).toBe(true);
      expect(await page.textContent('#persona-status')).toBe('Operators and admins can change the persona.');
      expect(await page.textContent('#persona-current')).toBe('Вася (Вася@3)');
      // Defining personas is for admins.
      expect(await page.locator('#persona-define').count()).toBe(0);
    } finally {
      await page.close();
    }
    // The API refuses a viewer too.
    const refused = await api(`/api/chats/${CHAT}/settings`, token, {
      method: 'PATCH',
      body: JSON.stringify({ persona: null }),
    });
    expect(refused.status).toBe(403);
  }, 60_000);

  it('lets an admin define a persona, save a new version, see refusals, and retire it', async () => {
    const page = await openPersonas(ADMIN_TOKEN);
    page.on('dialog', (dialog) => void dialog.accept());
    try {
      const define = async (json: string) => {
        await page.fill('#persona-define textarea', json);
        await page.click('#persona-define button[type=submit]');
      };
      await define('{ not json');
      await page.waitForSelector('#persona-define-status.error');
      expect(await page.textContent('#persona-define-status')).toBe('Error: this is not JSON');
      await define(JSON.stringify({ name: 'Алёна', character: [] }));
      await page.locator('#persona-define-status', { hasText: 'character needs at least one line' }).waitFor();
      await define(JSON.stringify({ name: 'Вася', character: ['x'] }));
      await page.locator('#persona-define-status', { hasText: 'change it there' }).waitFor();

      const alyona = { name: 'Алёна', aliases: ['Алёна'], character: ['You are {name}, a gardener.'] };
      await define(JSON.stringify(alyona));
      await page.waitForSelector('#personas tr[data-persona="Алёна"] [data-source=dashboard]');
      expect(await page.textContent('#persona-define-status')).toBe('Saved: Алёна@1');
      await define(JSON.stringify({ ...alyona, character: ['You are {name}, a gardener and a beekeeper.'] }));
      await page.locator('#persona-define-status', { hasText: /^Saved: Алёна@2$/ }).waitFor();
      // The status is set when the save answers; the table follows once the list is fetched again.
      await page.locator('#personas tr[data-persona="Алёна"]', { hasText: /Алёна.*2/ }).waitFor();
      // Configured personas have no retire button; the dashboard's do.
      expect(await page.locator('#personas tr[data-persona="Вася"] [data-retire]').count()).toBe(0);
      const versions = (await (await api(`/api/personas/${encodeURIComponent('Алёна')}/versions`)).json()) as {
        versions: { version: number; createdBy: string }[];
      };
      expect(versions.versions.map((v) => v.version)).toEqual([2, 1]);

      await page.click('#personas tr[data-persona="Алёна"] [data-retire]');
      await page.locator('#personas tr[data-persona="Алёна"]').waitFor({ state: 'detached' });
      expect(await page.textContent('#persona-define-status')).toBe('Persona retired.');
      const listed = (await (await api('/api/personas')).json()) as { personas: { name: string }[] };
      expect(listed.personas.map((p) => p.name)).toEqual(['Лёха', 'Вася']);
    } finally {
      await page.close();
    }
  }, 60_000);
});
