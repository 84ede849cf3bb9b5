import { createHash, createHmac } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/config/index.js';
import type { HttpApp, LoginSettings } from '../../src/http/index.js';
import { ManualClock } from '../../src/runtime/index.js';
import { AdminHarness } from '../support/admin-harness.js';

const BOT_TOKEN = '7000000001:AAFakeBotTokenForTelegramLoginTests0001';
const OTHER_BOT_TOKEN = '7000000002:AAFakeBotTokenOfAnotherBotEntirely0002';
const minute = 60_000;
const login: LoginSettings = {
  publicUrl: 'https://lekha.example.com/',
  idleMs: 30 * minute,
  maxAgeMs: 8 * 60 * minute,
  telegram: { botUsername: 'lekha_test_bot', botToken: BOT_TOKEN, maxAgeS: 24 * 3600 },
};

/** Login data as the widget hands it over, signed as https://core.telegram.org/widgets/login#checking-authorization says. */
function signed(fields: Record<string, string>, botToken = BOT_TOKEN): Record<string, string> {
  const checkString = Object.keys(fields)
    .sort()
    .map((key) => `${key}=${fields[key]}`)
    .join('\n');
  const key = createHash('sha256').update(botToken).digest();
  return { ...fields, hash: createHmac('sha256', key).update(checkString).digest('hex') };
}

const lines: string[] = [];
const clock = new ManualClock(Date.UTC(2026, 11, 4, 12));
let h: AdminHarness;
let app: HttpApp;

function authDate(agoS = 0): string {
  return String(Math.floor(clock.now() / 1000) - agoS);
}

/** A browser's cookies for the app. */
class Browser {
  readonly cookies: Record<string, string> = {};

  async get(url: string, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
    return this.send('GET', url, headers);
  }

  async send(
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    url: string,
    headers: Record<string, string> = {},
    body?: object,
  ): Promise<LightMyRequestResponse> {
    const res = await app.inject({
      method,
      url,
      cookies: this.cookies,
      headers,
      ...(body === undefined ? {} : { payload: body }),
    });
    for (const cookie of res.cookies) {
      if (cookie.value === '' || cookie.maxAge === 0) delete this.cookies[cookie.name];
      else this.cookies[cookie.name] = cookie.value;
    }
    return res;
  }

  async csrf(): Promise<string> {
    return (await this.get('/api/me')).json<{ csrfToken: string }>().csrfToken;
  }
}

async function telegramLogin(fields: Record<string, string>, browser = new Browser()) {
  const res = await browser.get(`/auth/telegram/callback?${new URLSearchParams(fields).toString()}`);
  return { res, browser };
}

async function grant(telegramUserId: number, role: 'viewer' | 'operator' | 'admin', label = 'someone') {
  return h.request(app, 'PUT', `/api/telegram-admins/${telegramUserId}`, { role: 'admin', body: { role, label } });
}

beforeAll(async () => {
  const logger = createLogger(
    { LOG_LEVEL: 'trace', TELEGRAM_BOT_TOKEN: BOT_TOKEN },
    { destination: { write: (line: string) => void lines.push(line) } },
  );
  h = await AdminHarness.create({ clock, logger, http: { login } });
  app = await h.app();
});

afterAll(async () => {
  await app?.close();
  await h?.close();
});

describe('dashboard login with the Telegram Login Widget', () => {
  it('offers the widget for the configured bot, and lets telegram.org scripts and frames in', async () => {
    const res = await app.inject({ method: 'GET', url: '/auth/methods' });
    expect(res.json()).toEqual({
      oidc: false,
      telegram: { bot: 'lekha_test_bot', authUrl: 'https://lekha.example.com/auth/telegram/callback' },
    });
    const csp = res.headers['content-security-policy'] as string;
    expect(csp).toContain("script-src 'self' https://telegram.org");
    expect(csp).toContain('frame-src https://oauth.telegram.org');
  });

  it('opens a session with the granted role for valid login data, in a Secure HttpOnly SameSite=Strict cookie', async () => {
    expect((await grant(1001, 'operator', 'Ann from support')).statusCode).toBe(200);
    const { res, browser } = await telegramLogin(
      signed({ id: '1001', first_name: 'Ann', username: 'ann_s', auth_date: authDate(60) }),
    );
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/');
    const cookie = res.cookies.find((c) => c.name === 'lekha_session');
    expect(cookie).toMatchObject({ httpOnly: true, secure: true, sameSite: 'Strict', path: '/' });
    const me = (await browser.get('/api/me')).json();
    expect(me).toMatchObject({ role: 'operator', label: '@ann_s (Ann from support)', via: 'session' });
    const rows = await h.audit.query({ action: 'login' }, { limit: 1, cursor: undefined });
    expect(rows.items[0]).toMatchObject({ outcome: 'ok', details: { method: 'telegram', subject: 'telegram:1001' } });
  });

  it.each([
    ['signed with another bot', () => signed({ id: '1001', auth_date: authDate() }, OTHER_BOT_TOKEN), 'bad-signature'],
    [
      'with a field changed after signing',
      () => ({ ...signed({ id: '1002', auth_date: authDate() }), id: '1001' }),
      'bad-signature',
    ],
    ['older than the allowed age', () => signed({ id: '1001', auth_date: authDate(24 * 3600 + 1) }), 'expired'],
    ['dated in the future', () => signed({ id: '1001', auth_date: authDate(-3600) }), 'expired'],
    ['without a hash', () => ({ id: '1001', auth_date: authDate() }), 'malformed'],
    ['without an id', () => signed({ auth_date: authDate() }), 'malformed'],
  ])('refuses login data %s, and audits the reason', async (_what, data, reason) => {
    const { res, browser } = await telegramLogin(data());
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`/?login_error=${reason}`);
    expect(res.cookies.find((c) => c.name === 'lekha_session')).toBeUndefined();
    expect((await browser.get('/api/me')).statusCode).toBe(401);
    const rows = await h.audit.query({ action: 'login.refused' }, { limit: 1, cursor: undefined });
    expect(rows.items[0]).toMatchObject({ outcome: 'error', details: { method: 'telegram', reason } });
  });

  it('refuses a correctly signed Telegram user no admin granted a role', async () => {
    const { res } = await telegramLogin(signed({ id: '999', first_name: 'Eve', auth_date: authDate() }));
    expect(res.headers.location).toBe('/?login_error=not-granted');
    const rows = await h.audit.query({ action: 'login.refused' }, { limit: 1, cursor: undefined });
    expect(rows.items[0]).toMatchObject({
      actor: { label: 'telegram:999' },
      details: { reason: 'not-granted' },
    });
  });

  it('ends a session after the idle time without requests', async () => {
    await grant(1003, 'viewer');
    const { browser } = await telegramLogin(signed({ id: '1003', auth_date: authDate() }));
    await clock.advance(login.idleMs - minute);
    expect((await browser.get('/api/me')).statusCode).toBe(200);
    await clock.advance(login.idleMs - minute);
    expect((await browser.get('/api/me')).statusCode).toBe(200);
    await clock.advance(login.idleMs + 1);
    expect((await browser.get('/api/me')).statusCode).toBe(401);
  });

  it('ends a session at its absolute expiry however active it is', async () => {
    await grant(1004, 'viewer');
    const { browser } = await telegramLogin(signed({ id: '1004', auth_date: authDate() }));
    for (let spent = 0; spent < login.maxAgeMs - 10 * minute; spent += 10 * minute) {
      await clock.advance(10 * minute);
      expect((await browser.get('/api/me')).statusCode).toBe(200);
    }
    await clock.advance(10 * minute);
    expect((await browser.get('/api/me')).statusCode).toBe(401);
  });

  it("ends a user's sessions when an admin changes or removes their grant, auditing each step", async () => {
    await grant(1005, 'admin', 'Boss');
    const first = await telegramLogin(signed({ id: '1005', auth_date: authDate() }));
    expect((await first.browser.get('/api/me')).json()).toMatchObject({ role: 'admin' });
    const demoted = await grant(1005, 'viewer', 'Boss');
    expect(demoted.json()).toMatchObject({ grant: { role: 'viewer' }, sessionsEnded: 1 });
    expect((await first.browser.get('/api/me')).statusCode).toBe(401);

    const second = await telegramLogin(signed({ id: '1005', auth_date: authDate() }));
    expect((await second.browser.get('/api/me')).json()).toMatchObject({ role: 'viewer' });
    const removed = await h.request(app, 'DELETE', '/api/telegram-admins/1005', { role: 'admin' });
    expect(removed.json()).toMatchObject({ sessionsEnded: 1 });
    expect((await second.browser.get('/api/me')).statusCode).toBe(401);
    expect((await telegramLogin(signed({ id: '1005', auth_date: authDate() }))).res.headers.location).toBe(
      '/?login_error=not-granted',
    );
    const actions = (await h.audit.query({ target: 'telegram:1005' }, { limit: 10, cursor: undefined })).items.map(
      (r) => r.action,
    );
    expect(actions).toEqual(['telegram_admin.remove', 'telegram_admin.grant', 'telegram_admin.grant']);
    expect(
      (await h.audit.query({ action: 'session.revoke' }, { limit: 10, cursor: undefined })).items.length,
    ).toBeGreaterThanOrEqual(2);
  });

  it('answers a clear 404 for a grant that does not exist and 400 for a bad user id or role', async () => {
    const missing = await h.request(app, 'DELETE', '/api/telegram-admins/424242', { role: 'admin' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ code: 'TELEGRAM_ADMIN_NOT_FOUND' });
    const badId = await h.request(app, 'PUT', '/api/telegram-admins/abc', {
      role: 'admin',
      body: { role: 'viewer', label: 'x' },
    });
    expect(badId.statusCode).toBe(400);
    const badRole = await h.request(app, 'PUT', '/api/telegram-admins/7', {
      role: 'admin',
      body: { role: 'root', label: 'x' },
    });
    expect(badRole.statusCode).toBe(400);
    expect(await h.telegramAdmins.find(7)).toBeUndefined();
  });

  it('keeps sessions and grants across a restart without a database (files under DATA_DIR)', async () => {
    await grant(1006, 'operator');
    const { browser } = await telegramLogin(signed({ id: '1006', auth_date: authDate() }));
    await app.close();
    app = await h.app();
    expect((await browser.get('/api/me')).json()).toMatchObject({ role: 'operator', via: 'session' });
    // The CSRF key is per process: the dashboard fetches a fresh token from /api/me, which works.
    const out = await browser.send('POST', '/api/session/logout', { 'x-csrf-token': await browser.csrf() });
    expect(out.statusCode).toBe(200);
    expect((await browser.get('/api/me')).statusCode).toBe(401);
  });

  it('writes neither login hashes nor session ids to the log', async () => {
    await grant(1007, 'viewer');
    const data = signed({ id: '1007', auth_date: authDate() });
    const { browser } = await telegramLogin(data);
    await telegramLogin({ ...data, id: '1008' });
    const session = browser.cookies.lekha_session as string;
    expect(session).toMatch(/.{40,}/);
    expect(lines.some((line) => line.includes('dashboard login refused'))).toBe(true);
    for (const secret of [data.hash as string, session, BOT_TOKEN]) {
      expect(lines.filter((line) => line.includes(secret))).toEqual([]);
    }
  });
});
