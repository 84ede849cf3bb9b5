import { createHash, createHmac } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Config, createLogger, loadConfig } from '../../src/config/index.js';
import { type HttpServer, startHttpServer } from '../../src/http/index.js';
import { type Runtime, startRuntime } from '../../src/main.js';
import { BotApiEmulator, GroqEmulator } from '../../src/sandbox/index.js';
import { AdminHarness } from '../support/admin-harness.js';
import { launchChromium } from '../support/chromium.js';
import { emulatorEnv, freePort, RELAXED_LIMITS } from '../support/edge-harness.js';
import { OidcTestProvider } from '../support/oidc-test-provider.js';

let botApi: BotApiEmulator;
let groq: GroqEmulator;
let idp: OidcTestProvider;
let dataDir: string;
let config: Config;
let runtime: Runtime;
let base: string;
let browser: Browser;
/** Every request a page made to telegram.org: refused before it leaves the machine. */
const telegramRequests: string[] = [];
const pageProblems: string[] = [];

beforeAll(async () => {
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  idp = await OidcTestProvider.start({
    clientSecret: 'browser-test-client-secret-0123456789',
    redirectUri: `${base}/auth/oidc/callback`,
    accounts: [
      { id: 'alice', email: 'alice@example.com' },
      { id: 'carol', email: 'carol@elsewhere.org' },
    ],
  });
  botApi = await BotApiEmulator.start({ limits: false });
  groq = await GroqEmulator.start({ latency: 5 });
  dataDir = await mkdtemp(path.join(tmpdir(), 'lekha-login-browser-'));
  config = loadConfig({
    ...emulatorEnv(botApi, groq),
    DATA_DIR: dataDir,
    HTTP_PORT: String(port),
    LOG_LEVEL: 'silent',
    PUBLIC_URL: base,
    OIDC_ISSUER: idp.issuer,
    OIDC_CLIENT_ID: idp.clientId,
    OIDC_CLIENT_SECRET: idp.clientSecret,
    OIDC_ROLES: 'admin:alice@example.com',
    TELEGRAM_LOGIN_BOT: 'lekha_test_bot',
  });
  // Without storage: sessions and Telegram admins live in files under DATA_DIR.
  runtime = await startRuntime(config, createLogger(config, { pretty: false }), {
    persistence: null,
    random: () => 0.999,
    telegramLimits: RELAXED_LIMITS,
    polling: { timeoutS: 1, retryMinMs: 50 },
  });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await runtime?.stop();
  await Promise.all([idp?.close(), botApi?.close(), groq?.close()]);
  if (dataDir !== undefined) await rm(dataDir, { recursive: true, force: true });
});

async function newContext(seen: string[] = telegramRequests): Promise<BrowserContext> {
  const context = await browser.newContext({ locale: 'en-GB' });
  await context.route(/^https:\/\/([a-z]+\.)?telegram\.org\//, (route) => {
    seen.push(route.request().url());
    return route.abort();
  });
  return context;
}

async function newPage(context: BrowserContext): Promise<Page> {
  const page = await context.newPage();
  page.on('pageerror', (e) => pageProblems.push(String(e)));
  return page;
}

/** Login data as the Telegram widget would hand it to the browser, signed with the bot's token. */
function telegramAuthUrl(fields: Record<string, string>): string {
  const checkString = Object.keys(fields)
    .sort()
    .map((key) => `${key}=${fields[key]}`)
    .join('\n');
  const key = createHash('sha256').update(botApi.token).digest();
  const hash = createHmac('sha256', key).update(checkString).digest('hex');
  return `${base}/auth/telegram/callback?${new URLSearchParams({ ...fields, hash }).toString()}`;
}

describe('dashboard login in a browser', () => {
  let admin: Page;

  it('offers single sign-on and the Telegram widget (whose script is never fetched here) next to the token form', async () => {
    const context = await newContext();
    const page = await newPage(context);
    await page.goto(`${base}/`);
    await page.waitForSelector('#login-oidc');
    const widget = page.locator('#login-telegram script');
    await widget.waitFor({ state: 'attached' });
    expect(await widget.getAttribute('src')).toBe('https://telegram.org/js/telegram-widget.js?22');
    expect(await widget.getAttribute('data-telegram-login')).toBe('lekha_test_bot');
    expect(await widget.getAttribute('data-auth-url')).toBe(`${base}/auth/telegram/callback`);
    await page.waitForSelector('#token');
    // The page did ask for the widget's script; the test's route refused it before it left the machine.
    await expect.poll(() => telegramRequests.length).toBeGreaterThan(0);
    expect(telegramRequests[0]).toBe('https://telegram.org/js/telegram-widget.js?22');
    await context.close();
  });

  it('signs an admin in through the identity provider and shows who is signed in', async () => {
    const context = await newContext();
    admin = await newPage(context);
    idp.nextAccount = 'alice';
    await admin.goto(`${base}/`);
    await admin.click('#login-oidc');
    await admin.waitForSelector('#nav a[data-nav="overview"]');
    expect(await admin.textContent('#who')).toContain('alice@example.com');
    expect(await admin.textContent('#who')).toContain('admin');
    const cookie = (await context.cookies(base)).find((c) => c.name === 'lekha_session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
  });

  it('grants a Telegram user a role from the Tokens page, and that user signs in with the widget', async () => {
    await admin.goto(`${base}/#/tokens`);
    await admin.waitForSelector('#sessions-table');
    await admin.fill('#telegram-user-id', '4242');
    await admin.fill('#telegram-label', 'Ops on call');
    await admin.selectOption('#telegram-role', 'operator');
    await admin.click('#telegram-admin-form button[type=submit]');
    await admin.waitForSelector('#telegram-admins >> text=Ops on call');

    const context = await newContext();
    const ops = await newPage(context);
    await ops.goto(
      telegramAuthUrl({
        id: '4242',
        first_name: 'Olga',
        username: 'olga_ops',
        auth_date: String(Math.floor(Date.now() / 1000)),
      }),
    );
    await ops.waitForSelector('#nav a[data-nav="overview"]');
    expect(await ops.textContent('#who')).toContain('@olga_ops');
    expect(await ops.textContent('#who')).toContain('operator');

    // The admin sees the new session and revokes it; the operator's next call lands on the login form.
    await admin.reload();
    const revoke = admin.locator('#sessions-table tr', { hasText: '@olga_ops' }).locator('button');
    await revoke.click();
    await admin.locator('#sessions-table tr', { hasText: '@olga_ops' }).waitFor({ state: 'detached' });
    await ops.goto(`${base}/#/chats`);
    await ops.waitForSelector('#token');
    await context.close();
  });

  it('tells a Telegram user without a role why the sign-in was refused', async () => {
    const context = await newContext();
    const page = await newPage(context);
    await page.goto(
      telegramAuthUrl({ id: '777', first_name: 'Eve', auth_date: String(Math.floor(Date.now() / 1000)) }),
    );
    const refusal = page.locator('#login-refused');
    await refusal.waitFor();
    expect(await refusal.getAttribute('data-reason')).toBe('not-granted');
    expect(page.url()).toBe(`${base}/`);
    await context.close();
  });

  it('tells a provider user without a role why the sign-in was refused', async () => {
    const context = await newContext();
    const page = await newPage(context);
    idp.nextAccount = 'carol';
    await page.goto(`${base}/`);
    await page.click('#login-oidc');
    const refusal = page.locator('#login-refused');
    await refusal.waitFor();
    expect(await refusal.getAttribute('data-reason')).toBe('no-role');
    expect((await context.cookies(base)).find((c) => c.name === 'lekha_session')).toBeUndefined();
    await context.close();
  });

  it('signs out: the session ends and a reload shows the login form', async () => {
    await admin.click('#logout');
    await admin.waitForSelector('#token');
    await admin.reload();
    await admin.waitForSelector('#token');
    expect((await admin.context().cookies(base)).find((c) => c.name === 'lekha_session')).toBeUndefined();
  });

  it('shows no widget and loads nothing from telegram.org where the widget is not configured', async () => {
    const seen: string[] = [];
    const h = await AdminHarness.create();
    const server: HttpServer = await startHttpServer(h.deps(), { host: '127.0.0.1', port: 0 });
    try {
      const context = await newContext(seen);
      const page = await newPage(context);
      await page.goto(`${server.url}/`);
      await page.waitForSelector('#token');
      await page.waitForSelector('#login-methods[data-loaded]', { state: 'attached' });
      expect(await page.locator('#login-telegram').count()).toBe(0);
      expect(await page.locator('#login-oidc').count()).toBe(0);
      expect(seen).toEqual([]);
      await context.close();
    } finally {
      await server.close();
      await h.close();
    }
  });

  it('raised no script errors on any page', () => {
    expect(pageProblems).toEqual([]);
  });
});
