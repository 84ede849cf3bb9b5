import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ChatStyles,
  type HttpApp,
  issueToken,
  localAuditRecord,
  type MemberPrivacy,
  type Role,
  TokenSecret,
} from '../../src/http/index.js';
import { MemoryExperimentStore } from '../../src/storage/index.js';
import { setUpAudit } from '../support/set-up-audit.js';
import { AdminHarness } from '../support/admin-harness.js';
import { MemoryPluginAdmin, pluginInfo } from '../support/memory-plugin-admin.js';
import { job, MemorySchedulerAdmin } from '../support/memory-scheduler-admin.js';

const chat = -1001;

interface RouteCase {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** OpenAPI path, to check that every route is covered. */
  path: string;
  url: () => Promise<string> | string;
  body?: unknown;
  needs: Role;
  ok: number;
}

describe('admin API authentication and roles', () => {
  let h: AdminHarness;
  let app: HttpApp;

  const throwawayToken = async (): Promise<string> =>
    (await issueToken(h.tokens, { role: 'viewer', label: 'to revoke', createdBy: 'test' }, h.clock, setUpAudit)).record
      .id;

  const deadLetter = async (): Promise<number> => {
    const updateId = nextUpdateId++;
    await h.deadLetters.add({
      chatId: chat,
      updateId,
      reason: 'SNAPSHOT_CORRUPT: test',
      update: { update_id: updateId },
      failedAtMs: 0,
    });
    const letters = await h.deadLetters.list({ limit: 1000 });
    return (letters.find((l) => l.updateId === updateId) as { id: number }).id;
  };
  let nextUpdateId = 1;

  const someSession = async (): Promise<string> => {
    const id = TokenSecret.newId();
    const at = new Date(h.clock.now()).toISOString();
    await h.sessions.create(
      {
        id,
        hash: TokenSecret.hash(TokenSecret.generate()),
        method: 'oidc',
        subject: 'oidc:someone',
        label: 'someone@example.com',
        role: 'viewer',
        createdAt: at,
        lastSeenAt: at,
        expiresAt: new Date(h.clock.now() + 3600_000).toISOString(),
        revokedAt: null,
        ip: '127.0.0.1',
        userAgent: null,
      },
      localAuditRecord({ actor: setUpActor, action: 'login', target: `session:${id}`, atMs: 0 }),
    );
    return id;
  };
  const setUpActor = { tokenId: 'test', label: 'test set-up', role: 'admin' as const };
  let nextTelegramUser = 5000;
  const grantedTelegramUser = async (): Promise<number> => {
    const id = nextTelegramUser++;
    await h.telegramAdmins.grant(
      { telegramUserId: id, role: 'viewer', label: 'Ann', grantedAt: new Date(0).toISOString(), grantedBy: 'test' },
      localAuditRecord({ actor: setUpActor, action: 'telegram_admin.grant', target: `telegram:${id}`, atMs: 0 }),
    );
    return id;
  };

  // Enough jobs for every call of the retry and cancel cases (each is made once per role and once without a token).
  const scheduler = new MemorySchedulerAdmin([
    ...Array.from({ length: 4 }, (_, i) => job(100 + i, { status: 'failed' })),
    ...Array.from({ length: 4 }, (_, i) => job(200 + i)),
  ]);
  let nextFailed = 100;
  let nextPending = 200;
  const pluginAdmin = new MemoryPluginAdmin(
    [pluginInfo('weather')],
    [
      { plugin: 'weather', method: 'GET', url: '/cache', role: 'viewer', handler: async () => ({ size: 0 }) },
      { plugin: 'weather', method: 'POST', url: '/cache/clear', role: 'admin', handler: async () => ({ cleared: 0 }) },
    ],
  );

  const routes: RouteCase[] = [
    { method: 'GET', path: '/api/me', url: () => '/api/me', needs: 'viewer', ok: 200 },
    { method: 'GET', path: '/api/stats', url: () => '/api/stats', needs: 'viewer', ok: 200 },
    { method: 'GET', path: '/api/stats/history', url: () => '/api/stats/history', needs: 'viewer', ok: 200 },
    { method: 'GET', path: '/api/cluster', url: () => '/api/cluster', needs: 'viewer', ok: 200 },
    { method: 'GET', path: '/api/alerts', url: () => '/api/alerts', needs: 'viewer', ok: 200 },
    { method: 'GET', path: '/api/dead-letters', url: () => '/api/dead-letters', needs: 'viewer', ok: 200 },
    {
      method: 'POST',
      path: '/api/dead-letters/{id}/replay',
      url: async () => `/api/dead-letters/${await deadLetter()}/replay`,
      needs: 'operator',
      ok: 200,
    },
    {
      method: 'DELETE',
      path: '/api/dead-letters/{id}',
      url: async () => `/api/dead-letters/${await deadLetter()}`,
      needs: 'operator',
      ok: 200,
    },
    { method: 'GET', path: '/api/plugins', url: () => '/api/plugins', needs: 'viewer', ok: 200 },
    { method: 'GET', path: '/api/plugins/{name}', url: () => '/api/plugins/weather', needs: 'viewer', ok: 200 },
    {
      method: 'PUT',
      path: '/api/plugins/{name}/enabled',
      url: () => '/api/plugins/weather/enabled',
      body: { enabled: true },
      needs: 'operator',
      ok: 200,
    },
    {
      method: 'PUT',
      path: '/api/plugins/{name}/settings',
      url: () => '/api/plugins/weather/settings',
      body: { settings: {} },
      needs: 'operator',
      ok: 200,
    },
    {
      method: 'GET',
      path: '/api/plugins/weather/cache',
      url: () => '/api/plugins/weather/cache',
      needs: 'viewer',
      ok: 200,
    },
    {
      method: 'POST',
      path: '/api/plugins/weather/cache/clear',
      url: () => '/api/plugins/weather/cache/clear',
      needs: 'admin',
      ok: 200,
    },
    {
      method: 'GET',
      path: '/api/chats/{id}/plugins',
      url: () => `/api/chats/${chat}/plugins`,
      needs: 'viewer',
      ok: 200,
    },
    {
      method: 'PUT',
      path: '/api/chats/{id}/plugins/{name}/enabled',
      url: () => `/api/chats/${chat}/plugins/weather/enabled`,
      body: { enabled: null },
      needs: 'operator',
      ok: 200,
    },
    {
      method: 'PUT',
      path: '/api/chats/{id}/plugins/{name}/settings',
      url: () => `/api/chats/${chat}/plugins/weather/settings`,
      body: { settings: {} },
      needs: 'operator',
      ok: 200,
    },
    { method: 'GET', path: '/api/scheduler', url: () => '/api/scheduler', needs: 'viewer', ok: 200 },
    { method: 'GET', path: '/api/scheduler/jobs', url: () => '/api/scheduler/jobs', needs: 'viewer', ok: 200 },
    {
      method: 'POST',
      path: '/api/scheduler/jobs/{id}/retry',
      url: () => `/api/scheduler/jobs/${nextFailed++}/retry`,
      needs: 'operator',
      ok: 200,
    },
    {
      method: 'DELETE',
      path: '/api/scheduler/jobs/{id}',
      url: () => `/api/scheduler/jobs/${nextPending++}`,
      needs: 'operator',
      ok: 200,
    },
    { method: 'GET', path: '/api/personas', url: () => '/api/personas', needs: 'viewer', ok: 200 },
    {
      method: 'POST',
      path: '/api/personas',
      url: () => '/api/personas',
      body: { name: 'Алёна', character: ['A gardener.'] },
      needs: 'admin',
      ok: 200,
    },
    {
      method: 'GET',
      path: '/api/personas/{name}/versions',
      url: () => `/api/personas/${encodeURIComponent('Алёна')}/versions`,
      needs: 'viewer',
      ok: 200,
    },
    {
      method: 'DELETE',
      path: '/api/personas/{name}',
      url: () => `/api/personas/${encodeURIComponent('Алёна')}`,
      needs: 'admin',
      ok: 200,
    },
    { method: 'GET', path: '/api/experiments', url: () => '/api/experiments', needs: 'viewer', ok: 200 },
    {
      method: 'POST',
      path: '/api/experiments',
      url: () => '/api/experiments',
      body: {
        name: 'auth',
        variants: [
          { name: 'control', share: 1 },
          { name: 'short', share: 1 },
        ],
      },
      needs: 'admin',
      ok: 201,
    },
    {
      method: 'PATCH',
      path: '/api/experiments/{id}',
      url: () => '/api/experiments/1',
      body: { status: 'paused' },
      needs: 'admin',
      ok: 200,
    },
    {
      method: 'GET',
      path: '/api/experiments/{id}/readout',
      url: () => '/api/experiments/1/readout',
      needs: 'viewer',
      ok: 200,
    },
    { method: 'GET', path: '/api/chats', url: () => '/api/chats', needs: 'viewer', ok: 200 },
    { method: 'GET', path: '/api/chats/{id}', url: () => `/api/chats/${chat}`, needs: 'viewer', ok: 200 },
    {
      method: 'GET',
      path: '/api/chats/{id}/settings',
      url: () => `/api/chats/${chat}/settings`,
      needs: 'viewer',
      ok: 200,
    },
    {
      method: 'GET',
      path: '/api/chats/{id}/prompt',
      url: () => `/api/chats/${chat}/prompt`,
      needs: 'operator',
      ok: 200,
    },
    {
      method: 'GET',
      path: '/api/chats/{id}/style',
      url: () => `/api/chats/${chat}/style`,
      needs: 'viewer',
      ok: 200,
    },
    {
      method: 'DELETE',
      path: '/api/chats/{id}/style',
      url: () => `/api/chats/${chat}/style`,
      needs: 'admin',
      ok: 200,
    },
    {
      method: 'DELETE',
      path: '/api/chats/{id}/users/{userId}/memories',
      url: () => `/api/chats/${chat}/users/7/memories`,
      needs: 'admin',
      ok: 200,
    },
    {
      method: 'GET',
      path: '/api/users/{userId}/data',
      url: () => '/api/users/7/data',
      needs: 'admin',
      ok: 200,
    },
    {
      method: 'DELETE',
      path: '/api/users/{userId}',
      url: () => '/api/users/7',
      needs: 'admin',
      ok: 200,
    },
    {
      method: 'POST',
      path: '/api/chats/{id}/mode',
      url: () => `/api/chats/${chat}/mode`,
      body: { mode: 'active' },
      needs: 'operator',
      ok: 200,
    },
    {
      method: 'PATCH',
      path: '/api/chats/{id}/settings',
      url: () => `/api/chats/${chat}/settings`,
      body: { language: 'ru' },
      needs: 'operator',
      ok: 200,
    },
    {
      method: 'POST',
      path: '/api/chats/{id}/release',
      url: () => `/api/chats/${chat}/release`,
      needs: 'operator',
      ok: 200,
    },
    { method: 'GET', path: '/api/chats/{id}/users', url: () => `/api/chats/${chat}/users`, needs: 'viewer', ok: 200 },
    {
      method: 'GET',
      path: '/api/chats/{id}/users/{userId}',
      url: () => `/api/chats/${chat}/users/1`,
      needs: 'viewer',
      ok: 200,
    },
    {
      method: 'GET',
      path: '/api/chats/{id}/messages',
      url: () => `/api/chats/${chat}/messages?q=hello`,
      needs: 'viewer',
      ok: 200,
    },
    {
      method: 'GET',
      path: '/api/export',
      url: () => `/api/export?chat=${chat}&format=csv&kind=messages`,
      needs: 'admin',
      ok: 200,
    },
    { method: 'GET', path: '/api/audit', url: () => '/api/audit', needs: 'admin', ok: 200 },
    { method: 'GET', path: '/api/backup', url: () => '/api/backup', needs: 'admin', ok: 200 },
    {
      method: 'GET',
      path: '/api/export/finetune',
      url: () => '/api/export/finetune?since=2026-01-01&file=manifest',
      needs: 'admin',
      ok: 200,
    },
    { method: 'GET', path: '/api/tokens', url: () => '/api/tokens', needs: 'admin', ok: 200 },
    {
      method: 'POST',
      path: '/api/tokens',
      url: () => '/api/tokens',
      body: { role: 'viewer', label: 'new one' },
      needs: 'admin',
      ok: 201,
    },
    {
      method: 'DELETE',
      path: '/api/tokens/{tokenId}',
      url: async () => `/api/tokens/${await throwawayToken()}`,
      needs: 'admin',
      ok: 200,
    },
    // A bearer-token caller has no session to end.
    { method: 'POST', path: '/api/session/logout', url: () => '/api/session/logout', needs: 'viewer', ok: 404 },
    { method: 'GET', path: '/api/sessions', url: () => '/api/sessions', needs: 'admin', ok: 200 },
    {
      method: 'DELETE',
      path: '/api/sessions/{sessionId}',
      url: async () => `/api/sessions/${await someSession()}`,
      needs: 'admin',
      ok: 200,
    },
    { method: 'GET', path: '/api/telegram-admins', url: () => '/api/telegram-admins', needs: 'admin', ok: 200 },
    {
      method: 'PUT',
      path: '/api/telegram-admins/{telegramUserId}',
      url: () => '/api/telegram-admins/4242',
      body: { role: 'operator', label: 'Bob' },
      needs: 'admin',
      ok: 200,
    },
    {
      method: 'DELETE',
      path: '/api/telegram-admins/{telegramUserId}',
      url: async () => `/api/telegram-admins/${await grantedTelegramUser()}`,
      needs: 'admin',
      ok: 200,
    },
  ];
  const rank: Record<Role, number> = { viewer: 0, operator: 1, admin: 2 };
  // Every call finds the member and erases nothing: only the roles are under test here.
  const privacy: MemberPrivacy = {
    pseudonym: (userId) => `p${userId}`,
    exportMember: async (userId) => ({ userId }),
    erase: async (userId) => ({ erasureId: 1, pseudonym: `p${userId}`, chats: 0, memories: 0, rows: {} }),
  };

  // A chat with nothing learned: only the roles are under test here.
  const style = { rules: [], muteBelow: 0.5, rememberedReplies: 0 };
  const styles: ChatStyles = {
    style: async () => ({ value: style, source: 'live' }),
    reset: async () => style,
  };

  beforeAll(async () => {
    h = await AdminHarness.create({
      http: {
        adminToken: 'bootstrap-admin-token-0123456789',
        pluginAdmin,
        scheduler,
        privacy,
        styles,
        experiments: new MemoryExperimentStore(),
        personaEditor: {
          save: async (input) => ({
            name: String((input as { name: string }).name),
            version: 1,
            id: 'Алёна@1',
            aliases: [],
            language: 'match',
            replyLength: null,
            emoji: null,
            model: null,
            character: ['A gardener.'],
            styleRules: [],
            tunable: { replyLength: [], emoji: [], styleLines: 0 },
            default: false,
            source: 'dashboard',
          }),
          retire: async () => true,
          versions: async () => [{ version: 1, createdAtMs: 0, createdBy: 'admin', definition: { name: 'Алёна' } }],
        },
        backup: { dump: async () => new Blob([gzipSync('a database')]) },
        finetune: {
          file: async function* () {
            yield '{}';
          },
        },
      },
    });
    h.addChat(chat, 'Auth chat');
    h.say(chat, 1, 'Ann', 'hello there');
    await h.settle();
    app = await h.app();
  });

  afterAll(async () => {
    await app.close();
    await h.close();
  });

  it('covers every /api route of the OpenAPI document', () => {
    const paths = (app.swagger() as { paths: Record<string, Record<string, unknown>> }).paths;
    const documented = Object.entries(paths)
      .filter(([path]) => path.startsWith('/api/'))
      .flatMap(([path, ops]) =>
        Object.keys(ops)
          .filter((m) => m !== 'head')
          .map((m) => `${m.toUpperCase()} ${path}`),
      )
      .sort();
    expect(routes.map((r) => `${r.method} ${r.path}`).sort()).toEqual(documented);
  });

  for (const route of routes) {
    it(`${route.method} ${route.path}: 401 without a token, 403 below ${route.needs}, ${route.ok} from ${route.needs} up`, async () => {
      const none = await h.request(app, route.method, await route.url(), { body: route.body });
      expect(none.statusCode).toBe(401);
      expect(none.json()).toMatchObject({ code: 'UNAUTHORIZED' });
      for (const role of ['viewer', 'operator', 'admin'] as const) {
        const res = await h.request(app, route.method, await route.url(), { role, body: route.body });
        if (rank[role] < rank[route.needs]) {
          expect(res.statusCode, `${role} on ${route.path}`).toBe(403);
          expect(res.json()).toMatchObject({ code: 'FORBIDDEN', message: expect.stringContaining(route.needs) });
        } else {
          expect(res.statusCode, `${role} on ${route.path}: ${res.body}`).toBe(route.ok);
        }
      }
    });
  }

  it('answers 401 before looking at the input, so an anonymous caller learns nothing from validation', async () => {
    const res = await h.request(app, 'POST', `/api/chats/${chat}/mode`, { body: { mode: 'nonsense' } });
    expect(res.statusCode).toBe(401);
  });

  it('refuses malformed Authorization headers and unknown tokens with 401', async () => {
    for (const authorization of [
      'Basic dXNlcjpwYXNz',
      'Bearer',
      'Bearer short',
      `bearer ${h.tokenFor.admin}`,
      'Bearer lk_this-token-was-never-issued-by-anyone',
    ]) {
      const res = await h.request(app, 'GET', '/api/me', { headers: { authorization } });
      expect(res.statusCode, authorization).toBe(401);
    }
  });

  it('accepts ADMIN_TOKEN as an admin that exists without being stored', async () => {
    const res = await h.request(app, 'GET', '/api/me', {
      headers: { authorization: 'Bearer bootstrap-admin-token-0123456789' },
    });
    expect(res.json()).toEqual({
      tokenId: 'bootstrap',
      label: 'ADMIN_TOKEN',
      role: 'admin',
      via: 'token',
      csrfToken: null,
      expiresAt: null,
    });
    expect(await h.tokens.list()).not.toContainEqual(expect.objectContaining({ id: 'bootstrap' }));
  });

  it('stores only the SHA-256 of a token, never the token', async () => {
    const res = await h.request(app, 'POST', '/api/tokens', {
      role: 'admin',
      body: { role: 'operator', label: 'hash check' },
    });
    const { token, record } = res.json() as { token: string; record: { id: string } };
    const stored = (await h.tokens.list()).find((r) => r.id === record.id);
    expect(stored?.hash).toBe(TokenSecret.hash(token));
    expect(JSON.stringify(await h.tokens.list())).not.toContain(token);
    const me = await h.request(app, 'GET', '/api/me', { headers: { authorization: `Bearer ${token}` } });
    expect(me.json()).toMatchObject({ tokenId: record.id, role: 'operator' });
  });

  it('stops accepting a token as soon as it is revoked through the API', async () => {
    const issued = await issueToken(
      h.tokens,
      { role: 'viewer', label: 'soon revoked', createdBy: 'test' },
      h.clock,
      setUpAudit,
    );
    const auth = { authorization: `Bearer ${issued.token}` };
    expect((await h.request(app, 'GET', '/api/me', { headers: auth })).statusCode).toBe(200);
    const revoked = await h.request(app, 'DELETE', `/api/tokens/${issued.record.id}`, { role: 'admin' });
    expect(revoked.json()).toMatchObject({ record: { id: issued.record.id, revokedAt: expect.any(String) } });
    expect((await h.request(app, 'GET', '/api/me', { headers: auth })).statusCode).toBe(401);
  });

  it('never lists secrets or hashes', async () => {
    const res = await h.request(app, 'GET', '/api/tokens', { role: 'admin' });
    const items = (res.json() as { items: Array<Record<string, unknown>> }).items;
    expect(items.length).toBeGreaterThan(2);
    for (const item of items)
      expect(Object.keys(item).sort()).toEqual(['createdAt', 'createdBy', 'id', 'label', 'revokedAt', 'role']);
  });

  it('answers 404 for revoking an unknown token', async () => {
    const res = await h.request(app, 'DELETE', '/api/tokens/abcdef', { role: 'admin' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ code: 'TOKEN_NOT_FOUND' });
  });
});
