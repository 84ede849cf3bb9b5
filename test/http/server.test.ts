import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildHttpApp, type HttpApp, type ReadinessProbe } from '../../src/http/index.js';
import { AdminHarness } from '../support/admin-harness.js';

describe('health, readiness, docs and the dashboard files', () => {
  let h: AdminHarness;
  let app: HttpApp;
  let storageUp = true;
  const probes: ReadinessProbe[] = [
    { name: 'storage', check: () => (storageUp ? { ready: true } : { ready: false, reason: 'connection refused' }) },
    { name: 'telegram', check: async () => ({ ready: true }) },
  ];

  beforeAll(async () => {
    h = await AdminHarness.create({ http: { readiness: probes }, options: { probeTimeoutMs: 50 } });
    app = await h.app();
  });

  afterAll(async () => {
    await app.close();
    await h.close();
  });

  it('answers /healthz without a token', async () => {
    const res = await app.inject('/healthz');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'ok', uptimeS: expect.any(Number) });
  });

  it('answers /readyz with every check, and 503 with the reason when one is not ready', async () => {
    const ready = await app.inject('/readyz');
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({
      status: 'ready',
      checks: [
        { name: 'storage', ready: true, reason: null },
        { name: 'telegram', ready: true, reason: null },
      ],
    });
    storageUp = false;
    const down = await app.inject('/readyz');
    storageUp = true;
    expect(down.statusCode).toBe(503);
    expect(down.json()).toMatchObject({
      status: 'not_ready',
      checks: [{ name: 'storage', ready: false, reason: 'connection refused' }, { ready: true }],
    });
  });

  it('counts a probe that throws or hangs as not ready instead of hanging /readyz', async () => {
    const local = await AdminHarness.create({
      http: {
        readiness: [
          { name: 'throws', check: () => Promise.reject(new Error('ECONNRESET')) },
          { name: 'hangs', check: () => new Promise(() => undefined) },
        ],
      },
      options: { probeTimeoutMs: 30 },
    });
    const localApp = await local.app();
    try {
      const res = await localApp.inject('/readyz');
      expect(res.statusCode).toBe(503);
      expect(res.json().checks).toEqual([
        { name: 'throws', ready: false, reason: 'ECONNRESET' },
        { name: 'hangs', ready: false, reason: 'no answer within 30 ms' },
      ]);
    } finally {
      await localApp.close();
      await local.close();
    }
  });

  it('publishes an OpenAPI document with bearer auth and every admin route', async () => {
    const doc = (await app.inject('/docs/json')).json();
    expect(doc.openapi).toMatch(/^3\./);
    expect(doc.components.securitySchemes.bearerAuth).toEqual({ type: 'http', scheme: 'bearer' });
    expect(doc.paths['/api/chats/{id}/mode'].post.security).toEqual([{ bearerAuth: [] }]);
    expect(doc.paths['/api/chats/{id}/mode'].post.responses['4XX'].content['application/json'].schema).toEqual({
      $ref: '#/components/schemas/ErrorBody',
    });
    expect(doc.components.schemas.ErrorBody.required).toEqual(['statusCode', 'code', 'error', 'message']);
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/healthz', '/readyz', '/metrics', '/api/stats', '/api/export', '/api/audit']),
    );
  });

  it('serves the dashboard and uPlot from this server, under a CSP that allows only its own scripts', async () => {
    const page = await app.inject('/');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<script type="module" src="/app.js">');
    const csp = page.headers['content-security-policy'] as string;
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("default-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    expect(page.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    const api = await h.request(app, 'GET', '/api/me', { role: 'viewer' });
    expect(api.headers['content-security-policy']).toBe(csp);
    expect(api.headers['x-content-type-options']).toBe('nosniff');
    expect((await app.inject('/vendor/uplot/uPlot.esm.js')).statusCode).toBe(200);
    expect((await app.inject('/vendor/uplot/package.json')).statusCode).toBe(404);
    expect((await app.inject('/app.js')).headers['content-type']).toMatch(/javascript/);
  });

  it('sends no CORS headers: other origins cannot call the API from a browser', async () => {
    const res = await app.inject({
      method: 'OPTIONS',
      url: '/api/stats',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'GET' },
    });
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    const get = await h.request(app, 'GET', '/api/me', { role: 'viewer', headers: { origin: 'https://evil.example' } });
    expect(get.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('answers unknown routes with a JSON 404', async () => {
    const res = await app.inject('/nope');
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ code: 'NOT_FOUND', message: 'no route GET /nope' });
  });
});

describe('plugins mounted by the wiring', () => {
  it('serves a plugin route (the Telegram webhook) outside /api, without the admin token check', async () => {
    const h = await AdminHarness.create({
      http: {
        plugins: [
          async (app) => {
            app.post('/telegram/webhook', async (request, reply) =>
              reply
                .status(request.headers['x-telegram-bot-api-secret-token'] === 'hook-secret' ? 200 : 401)
                .send({ ok: true }),
            );
          },
        ],
      },
    });
    const app = await h.app();
    try {
      const res = await app.inject({
        method: 'POST',
        url: '/telegram/webhook',
        headers: { 'x-telegram-bot-api-secret-token': 'hook-secret' },
        payload: {},
      });
      expect(res.statusCode).toBe(200);
    } finally {
      await app.close();
      await h.close();
    }
  });

  it('refuses a plugin route under /api, which would bypass the token check', async () => {
    const h = await AdminHarness.create({
      http: { plugins: [async (app) => void app.get('/api/backdoor', async () => ({ open: true }))] },
    });
    await expect(h.app()).rejects.toThrow('GET /api/backdoor: plugin routes may not live under /api');
    await h.close();
  });
});

describe('rate limiting and request logging', () => {
  it('limits /api per client with 429 and a retry hint, before checking the token', async () => {
    const h = await AdminHarness.create({ options: { rateLimit: { max: 3, timeWindowMs: 60_000 } } });
    const app = await h.app();
    try {
      const codes: number[] = [];
      for (let i = 0; i < 3; i++)
        codes.push(
          (await h.request(app, 'GET', '/api/me', { headers: { authorization: 'Bearer guessing-a-token-0000' } }))
            .statusCode,
        );
      const limited = await h.request(app, 'GET', '/api/me', { role: 'admin' });
      expect(codes).toEqual([401, 401, 401]);
      expect(limited.statusCode).toBe(429);
      expect(limited.json()).toMatchObject({ code: 'RATE_LIMITED', message: expect.stringContaining('retry in') });
      expect(limited.headers['retry-after']).toBeDefined();
      expect((await app.inject('/healthz')).statusCode).toBe(200);
    } finally {
      await app.close();
      await h.close();
    }
  });

  it('logs requests without the bearer token, and keeps polled routes quiet', async () => {
    const lines: string[] = [];
    const logger = pino(
      { level: 'info' },
      new Writable({ write: (chunk: Buffer, _enc, done) => (lines.push(chunk.toString()), done()) }),
    );
    const h = await AdminHarness.create({ logger });
    h.addChat(-1, 'Logged');
    const app = await buildHttpApp(h.deps());
    try {
      await h.request(app, 'GET', '/api/chats', { role: 'admin' });
      await h.request(app, 'GET', '/api/chats', { headers: { authorization: 'Bearer wrong-but-secret-value-123' } });
      const before = lines.length;
      await h.request(app, 'GET', '/api/stats', { role: 'admin' });
      await app.inject('/healthz');
      await app.inject('/metrics');
      expect(lines.length).toBe(before);
      const text = lines.join('');
      expect(text).toContain('"url":"/api/chats"');
      expect(text).toContain('admin API access refused');
      expect(text).not.toContain(h.tokenFor.admin);
      expect(text).not.toContain('wrong-but-secret-value-123');
    } finally {
      await app.close();
      await h.close();
    }
  });
});
