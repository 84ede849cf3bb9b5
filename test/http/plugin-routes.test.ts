import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AuditLog, type AuditRecord, buildHttpApp, type HttpApp } from '../../src/http/index.js';
import { AdminHarness } from '../support/admin-harness.js';
import { MemoryPluginAdmin, pluginInfo } from '../support/memory-plugin-admin.js';

const CHAT = -4001;
const weatherSchema = {
  type: 'object',
  properties: {
    units: { type: 'string', enum: ['metric', 'imperial'], default: 'metric' },
    apiKey: { type: 'string', format: 'password' },
    cacheMinutes: { type: 'integer', minimum: 1, maximum: 1440, default: 10 },
  },
};

let h: AdminHarness;
let app: HttpApp;
let host: MemoryPluginAdmin;
const logLines: string[] = [];

beforeAll(async () => {
  const logger = pino(
    { level: 'info' },
    new Writable({ write: (chunk: Buffer, _enc, done) => (logLines.push(chunk.toString()), done()) }),
  );
  h = await AdminHarness.create({ logger });
  h.addChat(CHAT, 'Плагины');
  host = new MemoryPluginAdmin(
    [
      pluginInfo('weather', { kind: 'integration', settingsSchema: weatherSchema, settings: { units: 'metric' } }),
      pluginInfo('help', { enabledByDefault: true }),
      pluginInfo('core'),
    ],
    [],
    ['core'],
  );
  app = await buildHttpApp({ ...h.deps(), pluginAdmin: host });
});

afterAll(async () => {
  await app.close();
  await h.close();
});

async function lastAudit(action: string) {
  return (await h.audit.query({ action }, { cursor: undefined, limit: 1 })).items[0];
}

describe('GET /api/plugins', () => {
  it('lists the loaded plugins with their metadata, settings, figures and breaker to a viewer', async () => {
    const res = await h.request(app, 'GET', '/api/plugins', { role: 'viewer' });
    expect(res.statusCode).toBe(200);
    const { items } = res.json();
    expect(items.map((p: { name: string }) => p.name)).toEqual(['weather', 'help', 'core']);
    expect(items[0]).toMatchObject({
      kind: 'integration',
      settingsSchema: weatherSchema,
      settings: { units: 'metric' },
      breaker: 'closed',
      stats: { calls: 0, latencyMs: { p50: 0, p99: 0 } },
    });
  });

  it('refuses a call without a token', async () => {
    expect((await h.request(app, 'GET', '/api/plugins')).statusCode).toBe(401);
  });

  it('answers one plugin, and 404 for a name no plugin has', async () => {
    expect((await h.request(app, 'GET', '/api/plugins/help', { role: 'viewer' })).json().plugin.name).toBe('help');
    const missing = await h.request(app, 'GET', '/api/plugins/nope', { role: 'viewer' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().code).toBe('PLUGIN_NOT_FOUND');
  });

  it('refuses a name that cannot be a plugin before asking the host', async () => {
    const res = await h.request(app, 'GET', '/api/plugins/Bad%20Name', { role: 'viewer' });
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('FST_ERR_VALIDATION');
  });
});

describe('PUT /api/plugins/:name/enabled', () => {
  it('switches a plugin off for an operator and records who did it', async () => {
    const res = await h.request(app, 'PUT', '/api/plugins/help/enabled', {
      role: 'operator',
      body: { enabled: false },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().plugin.enabled).toBe(false);
    expect(host.get('help')?.enabled).toBe(false);
    expect(await lastAudit('plugin.enabled.set')).toMatchObject({
      target: 'plugin:help',
      outcome: 'ok',
      actor: { role: 'operator' },
      details: { enabled: false, previous: true },
    });
    await h.request(app, 'PUT', '/api/plugins/help/enabled', { role: 'operator', body: { enabled: true } });
  });

  it('refuses a viewer, and the refusal is audited too', async () => {
    const before = host.changes.length;
    const res = await h.request(app, 'PUT', '/api/plugins/help/enabled', { role: 'viewer', body: { enabled: false } });
    expect(res.statusCode).toBe(403);
    expect(host.changes.length).toBe(before);
  });

  it('answers 409 when the plugin may not be switched off', async () => {
    const res = await h.request(app, 'PUT', '/api/plugins/core/enabled', {
      role: 'operator',
      body: { enabled: false },
    });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ code: 'PLUGIN_REFUSED', message: 'plugin core: every chat needs it' });
    expect(host.get('core')?.enabled).toBe(true);
  });

  it('refuses a body that is not a boolean switch', async () => {
    const res = await h.request(app, 'PUT', '/api/plugins/help/enabled', {
      role: 'operator',
      body: { enabled: 'yes' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toContain('enabled');
  });

  it('answers 404 for an unknown plugin and records the attempt as an error', async () => {
    const res = await h.request(app, 'PUT', '/api/plugins/ghost/enabled', {
      role: 'operator',
      body: { enabled: true },
    });
    expect(res.statusCode).toBe(404);
    expect(await lastAudit('plugin.enabled.set')).toMatchObject({
      target: 'plugin:ghost',
      outcome: 'error',
      statusCode: 404,
    });
  });
});

describe('PUT /api/plugins/:name/settings', () => {
  it('replaces the global settings and audits the names of the settings, not their values', async () => {
    const res = await h.request(app, 'PUT', '/api/plugins/weather/settings', {
      role: 'operator',
      body: { settings: { units: 'imperial', cacheMinutes: 30 } },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().plugin.settings).toEqual({ units: 'imperial', cacheMinutes: 30 });
    const row = await lastAudit('plugin.settings.set');
    expect(row).toMatchObject({
      target: 'plugin:weather',
      outcome: 'ok',
      details: { keys: ['cacheMinutes', 'units'] },
    });
    expect(JSON.stringify(row)).not.toContain('imperial');
  });

  it("answers 400 with the plugin's own messages, one issue each, and changes nothing", async () => {
    const res = await h.request(app, 'PUT', '/api/plugins/weather/settings', {
      role: 'operator',
      body: { settings: { units: 'kelvin', cacheMinutes: 0 } },
    });
    expect(res.statusCode).toBe(400);
    const body = res.json();
    expect(body.code).toBe('PLUGIN_SETTINGS_INVALID');
    expect(body.issues).toEqual(['units: must be one of metric, imperial', 'cacheMinutes: must be at least 1']);
    expect(body.message).toContain('units: must be one of metric, imperial');
    expect(host.get('weather')?.settings).toEqual({ units: 'imperial', cacheMinutes: 30 });
    expect(await lastAudit('plugin.settings.set')).toMatchObject({ outcome: 'error', statusCode: 400 });
  });

  it('keeps a secret setting out of every audit row and the process log', async () => {
    const appended: AuditRecord[] = [];
    const deps = h.deps();
    const recording = await buildHttpApp({
      ...deps,
      pluginAdmin: host,
      audit: {
        append: (record) => (appended.push(record), deps.audit.append(record)),
        settle: deps.audit.settle.bind(deps.audit),
        query: deps.audit.query.bind(deps.audit),
      } satisfies AuditLog,
    });
    try {
      for (const url of ['/api/plugins/weather/settings', `/api/chats/${CHAT}/plugins/weather/settings`]) {
        const res = await h.request(recording, 'PUT', url, {
          role: 'operator',
          body: { settings: { apiKey: 'sk-live-0123456789', units: 'imperial', cacheMinutes: 30 } },
        });
        expect(res.statusCode, url).toBe(200);
      }
    } finally {
      await recording.close();
    }
    // The row written before the change, and the row it was settled into.
    expect(appended.map((r) => [r.outcome, r.details])).toEqual([
      ['requested', { keys: ['apiKey', 'cacheMinutes', 'units'] }],
      ['requested', { keys: ['apiKey', 'cacheMinutes', 'units'] }],
    ]);
    expect((await lastAudit('plugin.settings.set'))?.details).toEqual({ keys: ['apiKey', 'cacheMinutes', 'units'] });
    expect(logLines.some((l) => l.includes('plugin.settings.set'))).toBe(true);
    expect(logLines.filter((l) => l.includes('sk-live'))).toEqual([]);
    expect(JSON.stringify(await h.audit.query({}, { cursor: undefined, limit: 500 }))).not.toContain('sk-live');
    await host.setChatSettings(CHAT, 'weather', {});
  });

  it('refuses settings that are not an object', async () => {
    const res = await h.request(app, 'PUT', '/api/plugins/weather/settings', {
      role: 'operator',
      body: { settings: ['metric'] },
    });
    expect(res.statusCode).toBe(400);
  });
});

describe('plugins in one chat', () => {
  it('lists every plugin in a known chat with its switch and settings there', async () => {
    const res = await h.request(app, 'GET', `/api/chats/${CHAT}/plugins`, { role: 'viewer' });
    expect(res.statusCode).toBe(200);
    expect(res.json().items).toContainEqual({
      name: 'help',
      enabled: true,
      chosen: false,
      settings: {},
      overrides: {},
    });
  });

  it('answers 404 for a chat nobody knows, like the other chat routes', async () => {
    const res = await h.request(app, 'GET', '/api/chats/-4999/plugins', { role: 'viewer' });
    expect(res.statusCode).toBe(404);
    expect(res.json().code).toBe('CHAT_NOT_FOUND');
  });

  it('switches a plugin off in the chat, then back to the default with null, auditing both', async () => {
    const off = await h.request(app, 'PUT', `/api/chats/${CHAT}/plugins/help/enabled`, {
      role: 'operator',
      body: { enabled: false },
    });
    expect(off.json().plugin).toMatchObject({ enabled: false, chosen: true });
    expect(await lastAudit('chat.plugin.enabled.set')).toMatchObject({
      target: `chat:${CHAT}:plugin:help`,
      outcome: 'ok',
      details: { enabled: false },
    });
    const reset = await h.request(app, 'PUT', `/api/chats/${CHAT}/plugins/help/enabled`, {
      role: 'operator',
      body: { enabled: null },
    });
    expect(reset.json().plugin).toMatchObject({ enabled: true, chosen: false });
  });

  it("keeps a chat's settings overrides and refuses invalid ones with their issues", async () => {
    const ok = await h.request(app, 'PUT', `/api/chats/${CHAT}/plugins/weather/settings`, {
      role: 'operator',
      body: { settings: { cacheMinutes: 5 } },
    });
    expect(ok.json().plugin).toMatchObject({ overrides: { cacheMinutes: 5 } });
    const bad = await h.request(app, 'PUT', `/api/chats/${CHAT}/plugins/weather/settings`, {
      role: 'operator',
      body: { settings: { colour: 'red' } },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().issues).toEqual(['colour: not a setting of weather']);
    expect(await lastAudit('chat.plugin.settings.set')).toMatchObject({
      outcome: 'error',
      details: { keys: ['colour'] },
    });
  });

  it('refuses a viewer and an unknown plugin', async () => {
    const viewer = await h.request(app, 'PUT', `/api/chats/${CHAT}/plugins/help/enabled`, {
      role: 'viewer',
      body: { enabled: false },
    });
    expect(viewer.statusCode).toBe(403);
    const ghost = await h.request(app, 'PUT', `/api/chats/${CHAT}/plugins/ghost/enabled`, {
      role: 'operator',
      body: { enabled: false },
    });
    expect(ghost.statusCode).toBe(404);
    expect(ghost.json().code).toBe('PLUGIN_NOT_FOUND');
  });
});

describe('without a plugin host', () => {
  it('answers 503 PLUGINS_UNAVAILABLE on every plugin route', async () => {
    const bare = await buildHttpApp(h.deps());
    try {
      for (const url of ['/api/plugins', '/api/plugins/help', `/api/chats/${CHAT}/plugins`]) {
        const res = await h.request(bare, 'GET', url, { role: 'viewer' });
        expect(res.statusCode, url).toBe(503);
        expect(res.json().code).toBe('PLUGINS_UNAVAILABLE');
      }
      const put = await h.request(bare, 'PUT', '/api/plugins/help/enabled', {
        role: 'operator',
        body: { enabled: true },
      });
      expect(put.statusCode).toBe(503);
    } finally {
      await bare.close();
    }
  });
});

describe('the OpenAPI document', () => {
  it('describes the plugin and chat plugin routes', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/docs/json' })).json();
    for (const path of [
      '/api/plugins',
      '/api/plugins/{name}',
      '/api/plugins/{name}/enabled',
      '/api/plugins/{name}/settings',
      '/api/chats/{id}/plugins',
      '/api/chats/{id}/plugins/{name}/enabled',
      '/api/chats/{id}/plugins/{name}/settings',
    ]) {
      expect(doc.paths[path], path).toBeDefined();
    }
    expect(
      doc.paths['/api/plugins/{name}/settings'].put.responses['4XX'] ??
        doc.paths['/api/plugins/{name}/settings'].put.responses['4xx'],
    ).toBeDefined();
  });
});
