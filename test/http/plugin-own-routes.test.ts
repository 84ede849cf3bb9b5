import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request as httpRequest } from 'node:http';
import { buildHttpApp, type HttpApp, startHttpServer } from '../../src/http/index.js';
import type { PluginRoute, PluginRouteRequest } from '../../src/ports/index.js';
import { PluginSettingsInvalidError } from '../../src/runtime/index.js';
import { AdminHarness } from '../support/admin-harness.js';
import { waitFor } from '../support/edge-harness.js';
import { MemoryPluginAdmin, pluginInfo } from '../support/memory-plugin-admin.js';

const SECRET_TEXT = 'upstream said: token sk-live-123 is wrong';

let h: AdminHarness;
let app: HttpApp;
const logLines: string[] = [];
const seen: PluginRouteRequest[] = [];
let hungSignal: AbortSignal | null = null;

const route = (
  method: PluginRoute['method'],
  url: string,
  role: PluginRoute['role'],
  handler: PluginRoute['handler'],
): PluginRoute => ({ plugin: 'weather', method, url, role, handler });

const routes: PluginRoute[] = [
  route('GET', '/cache/:city', 'viewer', async (request) => {
    seen.push(request);
    return { city: request.params.city, units: request.query.units ?? null, caller: request.identity.role };
  }),
  route('POST', '/cache/clear', 'operator', async (request) => {
    seen.push(request);
    return { cleared: 3 };
  }),
  route('DELETE', '/cache', 'admin', async () => undefined),
  route('POST', '/broken', 'operator', async () => {
    throw new Error(SECRET_TEXT);
  }),
  route('GET', '/broken-at-once', 'viewer', () => {
    throw new Error(SECRET_TEXT);
  }),
  route('GET', '/hangs', 'viewer', (request) => {
    hungSignal = request.signal;
    return new Promise(() => undefined);
  }),
  route('PUT', '/units', 'operator', async () => {
    throw new PluginSettingsInvalidError('weather', ['units: must be one of metric, imperial'], 'the admin API');
  }),
  route('GET', '/circular', 'viewer', async () => {
    const loop: Record<string, unknown> = {};
    loop.self = loop;
    return loop;
  }),
];

beforeAll(async () => {
  const logger = pino(
    { level: 'info' },
    new Writable({ write: (chunk: Buffer, _enc, done) => (logLines.push(chunk.toString()), done()) }),
  );
  h = await AdminHarness.create({ logger, options: { pluginRouteTimeoutMs: 100 } });
  app = await buildHttpApp({ ...h.deps(), pluginAdmin: new MemoryPluginAdmin([pluginInfo('weather')], routes) });
});

afterAll(async () => {
  await app.close();
  await h.close();
});

const auditRows = async (action: string) => (await h.audit.query({ action }, { cursor: undefined, limit: 50 })).items;

describe("a plugin's own admin routes", () => {
  it('are mounted under /api/plugins/<name> and get the params, query and caller', async () => {
    const res = await h.request(app, 'GET', '/api/plugins/weather/cache/spb?units=metric', { role: 'viewer' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('application/json');
    expect(res.json()).toEqual({ city: 'spb', units: 'metric', caller: 'viewer' });
    expect(seen.at(-1)?.identity).toMatchObject({ role: 'viewer', label: 'viewer token' });
    expect(seen.at(-1)?.signal.aborted).toBe(false);
  });

  it('need a token', async () => {
    expect((await h.request(app, 'GET', '/api/plugins/weather/cache/spb')).statusCode).toBe(401);
  });

  it("check the route's role before the plugin runs", async () => {
    const before = seen.length;
    const viewer = await h.request(app, 'POST', '/api/plugins/weather/cache/clear', { role: 'viewer', body: {} });
    expect(viewer.statusCode).toBe(403);
    expect(seen.length).toBe(before);
    const operator = await h.request(app, 'DELETE', '/api/plugins/weather/cache', { role: 'operator' });
    expect(operator.statusCode).toBe(403);
  });

  it('audit every call but a GET as plugin.route on the plugin', async () => {
    const res = await h.request(app, 'POST', '/api/plugins/weather/cache/clear', {
      role: 'operator',
      body: { all: true },
    });
    expect(res.json()).toEqual({ cleared: 3 });
    expect(seen.at(-1)?.body).toEqual({ all: true });
    const rows = await auditRows('plugin.route');
    expect(rows[0]).toMatchObject({
      target: 'plugin:weather',
      outcome: 'ok',
      actor: { role: 'operator' },
      details: { route: 'POST /cache/clear' },
    });
    const before = (await h.audit.query({}, { cursor: undefined, limit: 200 })).items.length;
    await h.request(app, 'GET', '/api/plugins/weather/cache/spb', { role: 'viewer' });
    expect((await h.audit.query({}, { cursor: undefined, limit: 200 })).items.length).toBe(before);
  });

  it('answer 204 when the route returns nothing', async () => {
    const res = await h.request(app, 'DELETE', '/api/plugins/weather/cache', { role: 'admin' });
    expect(res.statusCode).toBe(204);
    expect(res.body).toBe('');
  });

  it('answer a bare 500 when the route throws, keeping the error text out of the answer', async () => {
    for (const [method, url] of [
      ['POST', '/api/plugins/weather/broken'],
      ['GET', '/api/plugins/weather/broken-at-once'],
    ] as const) {
      const res = await h.request(app, method, url, { role: 'operator', body: method === 'POST' ? {} : undefined });
      expect(res.statusCode, url).toBe(500);
      expect(res.json().code).toBe('PLUGIN_ROUTE_FAILED');
      expect(res.body).not.toContain('sk-live');
      expect(res.body).not.toContain('upstream');
    }
    expect((await auditRows('plugin.route'))[0]).toMatchObject({ outcome: 'error', statusCode: 500 });
    // The operator reading the server log still learns what went wrong.
    expect(logLines.some((l) => l.includes('PLUGIN_ROUTE_FAILED') && l.includes('upstream said'))).toBe(true);
  });

  it('answer 500 when what the route returns cannot be sent as JSON', async () => {
    const res = await h.request(app, 'GET', '/api/plugins/weather/circular', { role: 'viewer' });
    expect(res.statusCode).toBe(500);
    expect(res.json().code).toBe('PLUGIN_ROUTE_FAILED');
  });

  it("pass the runtime's typed refusals on as they are", async () => {
    const res = await h.request(app, 'PUT', '/api/plugins/weather/units', { role: 'operator', body: {} });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({
      code: 'PLUGIN_SETTINGS_INVALID',
      issues: ['units: must be one of metric, imperial'],
    });
  });

  it('answer 504 and abort the signal of a route that does not answer in time', async () => {
    const res = await h.request(app, 'GET', '/api/plugins/weather/hangs', { role: 'viewer' });
    expect(res.statusCode).toBe(504);
    expect(res.json().code).toBe('PLUGIN_ROUTE_TIMEOUT');
    expect(hungSignal?.aborted).toBe(true);
  });

  it('refuse a body larger than the rest of the API takes', async () => {
    const res = await h.request(app, 'POST', '/api/plugins/weather/cache/clear', {
      role: 'operator',
      body: { blob: 'x'.repeat((1 << 20) + 10) },
    });
    expect(res.statusCode).toBe(413);
  });

  it('appear in the OpenAPI document', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/docs/json' })).json();
    expect(doc.paths['/api/plugins/weather/cache/{city}'].get.summary).toBe('weather: GET /cache/:city');
  });
});

describe('a caller that goes away', () => {
  it("aborts the route's signal", async () => {
    let started: AbortSignal | null = null;
    const slow = route('GET', '/slow', 'viewer', (request) => {
      started = request.signal;
      return new Promise(() => undefined);
    });
    const server = await startHttpServer(
      { ...h.deps(), options: {}, pluginAdmin: new MemoryPluginAdmin([pluginInfo('weather')], [slow]) },
      { host: '127.0.0.1', port: 0 },
    );
    try {
      const call = httpRequest(`${server.url}/api/plugins/weather/slow`, {
        headers: { authorization: `Bearer ${h.tokenFor.viewer}` },
      });
      call.on('error', () => undefined); // the socket is destroyed on purpose below
      call.end();
      await waitFor('the route to start', () => started !== null);
      expect(started!.aborted).toBe(false);
      call.destroy();
      await waitFor('the signal to abort', () => started!.aborted);
      expect((started!.reason as Error).message).toBe('the caller went away');
    } finally {
      await server.close();
    }
  });
});

describe('mounting a bad plugin route', () => {
  it.each([
    ['a url without a leading slash', route('GET', 'cache', 'viewer', async () => null), 'plain path'],
    ['an empty url', route('GET', '/', 'viewer', async () => null), 'plain path'],
    ['a url climbing out', route('GET', '/../tokens', 'viewer', async () => null), 'plain path'],
    ['the admin API’s own settings route', route('PUT', '/settings', 'viewer', async () => null), '/settings'],
    [
      'a name that is not a path segment',
      { ...route('GET', '/x', 'viewer', async () => null), plugin: 'We/ather' },
      'plugin name',
    ],
  ])('stops the start for %s, naming the plugin and route', async (_what, bad, reason) => {
    const attempt = buildHttpApp({ ...h.deps(), pluginAdmin: new MemoryPluginAdmin([pluginInfo('weather')], [bad]) });
    await expect(attempt).rejects.toThrow(reason);
    await expect(attempt).rejects.toThrow(`${bad.method} ${bad.url}`);
  });
});
