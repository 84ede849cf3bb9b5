import { afterEach, describe, expect, it } from 'vitest';
import { createPluginHttp, type PluginHttpClient, PluginHttpError } from '../../src/plugins/index.js';
import { type UpstreamApi, UpstreamEmulator } from '../../src/sandbox/index.js';

/** A small API answering `/v2/echo?q=` with what it was asked, and a link under its own base URL. */
const echo: UpstreamApi = {
  name: 'echo',
  env: { ECHO_BASE_URL: '/v2' },
  routes(app, ctx) {
    app.get('/v2/echo', async (request) => ({ q: (request.query as { q?: string }).q, self: `${ctx.baseUrl()}/v2` }));
  },
};
const other: UpstreamApi = { name: 'other', env: {}, routes: (app) => app.get('/ping', async () => ({ pong: true })) };

const open: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((o) => o.close()));
});

async function setUp(options: { faultHoldMs?: number } = {}) {
  const emulator = await UpstreamEmulator.start({ apis: [echo, other], ...options });
  open.push(emulator);
  const http: PluginHttpClient = createPluginHttp({
    baseUrl: emulator.env()['ECHO_BASE_URL']!,
    retries: 0,
    timeoutMs: 500,
  });
  open.push(http);
  return { emulator, http };
}

describe('the upstream emulator', () => {
  it('mounts each API under its name and points its environment variables there', async () => {
    const { emulator, http } = await setUp();
    expect(emulator.env()).toEqual({ ECHO_BASE_URL: `${emulator.url}/echo/v2` });
    expect(await http.getJson('echo', { query: { q: 'Москва' } })).toEqual({
      q: 'Москва',
      self: `${emulator.url}/echo/v2`,
    });
    expect(emulator.stats().requests).toEqual({ echo: 1, other: 0 });
  });

  it('plays scripted faults on the API named, in order, then answers again', async () => {
    const { emulator, http } = await setUp({ faultHoldMs: 5_000 });
    emulator.fault({ kind: '429', upstream: 'echo', retryAfterS: 7 });
    emulator.fault({ kind: '5xx', upstream: 'echo' });
    emulator.fault({ kind: 'malformed', upstream: 'echo' });
    emulator.fault({ kind: 'timeout', upstream: 'echo' });
    emulator.fault({ kind: 'reset', upstream: 'other' });
    const failure = (p: Promise<unknown>) =>
      p.then(
        () => null,
        (err: unknown) => err as PluginHttpError,
      );
    expect((await failure(http.getJson('echo')))?.status).toBe(429);
    expect((await failure(http.getJson('echo')))?.status).toBe(503);
    expect((await failure(http.getJson('echo')))?.message).toMatch(/malformed JSON/);
    const hung = await failure(http.getJson('echo'));
    expect(hung).toBeInstanceOf(PluginHttpError);
    expect(hung?.status).toBeNull();
    expect(await http.getJson('echo', { query: { q: 'x' } })).toMatchObject({ q: 'x' });
    expect(emulator.stats().faults).toEqual({ '429': 1, '5xx': 1, timeout: 1, reset: 0, malformed: 1 });
  });

  it('takes faults and latency over HTTP, refusing what it cannot read', async () => {
    const { emulator, http } = await setUp();
    const control = (method: string, path: string, body?: unknown) =>
      fetch(`${emulator.url}/_emulator/${path}`, {
        method,
        ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
      });
    expect((await control('POST', 'faults', { kind: 'boom' })).status).toBe(400);
    expect((await control('POST', 'faults', { kind: '5xx', upstream: 'nowhere' })).status).toBe(404);
    expect((await control('PUT', 'latency', { latency: -1 })).status).toBe(400);
    expect((await control('POST', 'faults', { kind: '5xx', upstream: 'echo', count: 2 })).status).toBe(200);
    await expect(http.get('echo')).rejects.toMatchObject({ status: 503 });
    expect((await control('DELETE', 'faults')).status).toBe(200);
    expect((await http.get('echo')).status).toBe(200);
    expect((await control('PUT', 'latency', { latency: 150 })).status).toBe(200);
    const started = performance.now();
    await http.get('echo');
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    expect(await (await control('GET', 'stats')).json()).toMatchObject({ requests: { echo: 3 } });
  });

  it("gives sandbox mode each API's variables and demo credentials, leaving out an API the environment points elsewhere", async () => {
    const keyed: UpstreamApi = {
      ...other,
      name: 'keyed',
      env: { KEYED_BASE_URL: '/k' },
      demoEnv: { KEYED_API_KEY: 'demo' },
    };
    const emulator = await UpstreamEmulator.start({ apis: [echo, keyed] });
    open.push(emulator);
    expect(emulator.sandboxEnv({})).toEqual({
      ECHO_BASE_URL: `${emulator.url}/echo/v2`,
      KEYED_BASE_URL: `${emulator.url}/keyed/k`,
      KEYED_API_KEY: 'demo',
    });
    // The real service named: neither the emulator's address nor the demo key goes with it.
    expect(emulator.sandboxEnv({ KEYED_BASE_URL: 'https://api.example.org', ECHO_BASE_URL: '' })).toEqual({
      ECHO_BASE_URL: `${emulator.url}/echo/v2`,
    });
  });

  it('refuses two APIs of one name', async () => {
    await expect(UpstreamEmulator.start({ apis: [echo, echo] })).rejects.toThrow(/not a free lower-case name/);
  });
});
