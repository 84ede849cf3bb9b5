import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createPluginHttp, type PluginHttpClient, PluginHttpError } from '../../src/plugins/index.js';

type Handle = (req: IncomingMessage, res: ServerResponse, hit: number) => void;

const servers: Server[] = [];
const clients: PluginHttpClient[] = [];

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

/** A local upstream on a free port; `hits` lists the URLs it was asked for. */
async function upstream(handle: Handle) {
  const hits: string[] = [];
  const server = createServer((req, res) => {
    hits.push(req.url ?? '');
    handle(req, res, hits.length);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { hits, base: `http://127.0.0.1:${port}/v1`, host: `127.0.0.1:${port}` };
}

function client(options: Parameters<typeof createPluginHttp>[0]): PluginHttpClient {
  const made = createPluginHttp(options);
  clients.push(made);
  return made;
}

const json = (res: ServerResponse, body: unknown, status = 200, headers: Record<string, string> = {}) => {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
};

describe('the plugin HTTP client', () => {
  it('holds a request beyond its rate limit for the next window, within its time limit', async () => {
    const up = await upstream((req, res) => json(res, { url: req.url }));
    const http = client({ baseUrl: up.base, rateLimit: { perSecond: 2 } });
    const started = Date.now();
    await Promise.all([1, 2, 3].map((i) => http.getJson(`n${i}`)));
    // Two in the first second; the third waited for the next.
    expect(up.hits).toHaveLength(3);
    expect(Date.now() - started).toBeGreaterThanOrEqual(500);
  });

  it('refuses at once, as a 429 of its own, a request that would wait past its time limit', async () => {
    const up = await upstream((req, res) => json(res, { url: req.url }));
    const http = client({ baseUrl: up.base, timeoutMs: 300, rateLimit: { perMinute: 1 } });
    await http.getJson('first');
    const started = Date.now();
    const err = (await http.getJson('second').catch((e: unknown) => e)) as PluginHttpError;
    expect(err).toBeInstanceOf(PluginHttpError);
    expect(err.status).toBe(429);
    expect(err.message).toBe(`upstream ${up.host}: too many requests for this upstream just now (the bot's own limit)`);
    expect(up.hits).toEqual(['/v1/first']);
    // Refused without waiting out the minute (bounded by the machine, not a timing assertion of speed).
    expect(Date.now() - started).toBeLessThan(30_000);
  });

  it('reads JSON through a schema and refuses another shape, naming only the bad fields', async () => {
    const up = await upstream((req, res) =>
      json(res, req.url?.includes('good') ? { temp: 3 } : { temp: 'warm', secret: 'x' }),
    );
    const http = client({ baseUrl: up.base });
    const schema = z.object({ temp: z.number() });
    expect(await http.getParsed('good', schema)).toEqual({ temp: 3 });
    const err = (await http.getParsed('bad', schema).catch((e: unknown) => e)) as PluginHttpError;
    expect(err).toBeInstanceOf(PluginHttpError);
    expect(err.message).toBe(`upstream ${up.host}: answered in an unexpected shape (temp)`);
    expect(err.retryable).toBe(false);
  });

  it('lets cache hits through without counting them against the rate limit', async () => {
    const up = await upstream((_req, res) => json(res, { temp: 3 }));
    const http = client({ baseUrl: up.base, cacheTtlMs: 60_000, rateLimit: { perMinute: 1 } });
    await http.getJson('forecast', { query: { q: 'Москва' } });
    for (let i = 0; i < 5; i++) expect(await http.getJson('forecast', { query: { q: 'Москва' } })).toEqual({ temp: 3 });
    expect(up.hits).toHaveLength(1);
  });

  it('resolves paths under the base URL and adds the query', async () => {
    const up = await upstream((_req, res) => json(res, { temp: 3 }));
    const http = client({ baseUrl: up.base, headers: { 'x-api-key': 'k' } });
    expect(await http.getJson('/forecast', { query: { q: 'Питер', days: 2, skip: undefined } })).toEqual({ temp: 3 });
    expect(up.hits).toEqual([`/v1/forecast?q=${encodeURIComponent('Питер')}&days=2`]);
  });

  it('retries a 503 and returns the answer that follows', async () => {
    const up = await upstream((_req, res, hit) => (hit < 3 ? json(res, { busy: true }, 503) : json(res, { ok: 1 })));
    const http = client({ baseUrl: up.base, retries: 2 });
    expect(await http.getJson('ok')).toEqual({ ok: 1 });
    expect(up.hits).toHaveLength(3);
  });

  it('gives up after its retries with the last status', async () => {
    const up = await upstream((_req, res) => json(res, {}, 503));
    const http = client({ baseUrl: up.base, retries: 1 });
    const err = await http.getJson('down').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PluginHttpError);
    expect(err).toMatchObject({ status: 503, retryable: true, host: up.host });
    expect(up.hits).toHaveLength(2);
  });

  it('does not retry a 404, and throws with its status', async () => {
    const up = await upstream((_req, res) => json(res, { error: 'no such city' }, 404));
    const http = client({ baseUrl: up.base, retries: 3 });
    const err = await http.getJson('city/x').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PluginHttpError);
    expect(err).toMatchObject({ status: 404, retryable: false, message: `upstream ${up.host}: answered 404` });
    expect(up.hits).toHaveLength(1);
    // `get` hands back any status.
    expect((await http.get('city/x')).status).toBe(404);
  });

  it('gives up on an upstream that never answers within its time limit', async () => {
    const up = await upstream(() => undefined);
    const http = client({ baseUrl: up.base, timeoutMs: 100, retries: 0 });
    const started = performance.now();
    const err = await http.getJson('hang').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PluginHttpError);
    expect((err as PluginHttpError).status).toBeNull();
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('ends a request when the handler’s signal aborts', async () => {
    const up = await upstream(() => undefined);
    const http = client({ baseUrl: up.base, timeoutMs: 10_000, retries: 0 });
    const stop = new AbortController();
    const pending = http.getJson('hang', { signal: stop.signal }).catch((e: unknown) => e);
    stop.abort();
    expect(await pending).toMatchObject({ message: `upstream ${up.host}: request aborted` });
  });

  it('serves a repeated GET from its cache for cacheTtlMs', async () => {
    const up = await upstream((_req, res, hit) => json(res, { hit }));
    const http = client({ baseUrl: up.base, cacheTtlMs: 60_000 });
    expect(await http.getJson('rates')).toEqual({ hit: 1 });
    expect(await http.getJson('rates')).toEqual({ hit: 1 });
    expect(await http.getJson('rates', { query: { base: 'EUR' } })).toEqual({ hit: 2 });
    expect(up.hits).toHaveLength(2);
  });

  it('sends its own headers beneath its cache, so an Authorization header neither stops caching nor splits it', async () => {
    const seen: Array<string | undefined> = [];
    const up = await upstream((req, res, hit) => {
      seen.push(req.headers.authorization);
      json(res, { hit });
    });
    const http = client({ baseUrl: up.base, cacheTtlMs: 60_000, headers: { authorization: 'Bearer t0ken' } });
    expect(await http.getJson('movie/550', { headers: { 'accept-language': 'ru' } })).toEqual({ hit: 1 });
    expect(await http.getJson('movie/550', { headers: { 'accept-language': 'ru' } })).toEqual({ hit: 1 });
    expect(await http.getJson('movie/551')).toEqual({ hit: 2 });
    expect(seen).toEqual(['Bearer t0ken', 'Bearer t0ken']);
  });

  it('caches what Cache-Control allows, and nothing without it by default', async () => {
    const up = await upstream((req, res, hit) =>
      json(res, { hit }, 200, req.url?.includes('cached') ? { 'cache-control': 'max-age=60' } : {}),
    );
    const http = client({ baseUrl: up.base });
    expect(await http.getJson('cached')).toEqual({ hit: 1 });
    expect(await http.getJson('cached')).toEqual({ hit: 1 });
    expect(await http.getJson('fresh')).toEqual({ hit: 2 });
    expect(await http.getJson('fresh')).toEqual({ hit: 3 });
  });

  it('forgets a cached answer it could not read, so the next call asks again', async () => {
    const up = await upstream((_req, res, hit) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(hit === 1 ? '{"temp": 3,' : hit === 3 ? '{"temp": "warm"}' : JSON.stringify({ temp: hit }));
    });
    const http = client({ baseUrl: up.base, cacheTtlMs: 60_000 });
    const shape = z.object({ temp: z.number() });
    await expect(http.getParsed('forecast', shape, { query: { q: 'Москва' } })).rejects.toThrow(/malformed JSON/);
    expect(await http.getParsed('forecast', shape, { query: { q: 'Москва' } })).toEqual({ temp: 2 });
    expect(await http.getParsed('forecast', shape, { query: { q: 'Москва' } })).toEqual({ temp: 2 });
    await expect(http.getParsed('other', shape)).rejects.toThrow(/unexpected shape \(temp\)/);
    expect(await http.getParsed('other', shape)).toEqual({ temp: 4 });
    expect(up.hits).toHaveLength(4);
  });

  it('refuses an answer larger than maxResponseBytes', async () => {
    const up = await upstream((_req, res) => json(res, { blob: 'x'.repeat(5000) }));
    const http = client({ baseUrl: up.base, maxResponseBytes: 1000 });
    await expect(http.getJson('big')).rejects.toThrow(`upstream ${up.host}: answer is larger than 1000 bytes`);
  });

  it('throws for malformed JSON', async () => {
    const up = await upstream((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"temp": 3,');
    });
    const http = client({ baseUrl: up.base });
    await expect(http.getJson('broken')).rejects.toThrow(`upstream ${up.host}: answered with malformed JSON`);
  });

  it('never puts the path or the query (an API key) in its errors', async () => {
    const KEY = 'sk-live-4f8a9b2c7d1e';
    const up = await upstream((req, res) => (req.url?.includes('notfound') ? json(res, {}, 404) : undefined));
    const http = client({ baseUrl: up.base, timeoutMs: 100, retries: 0 });
    for (const path of ['secret-notfound-path', 'secret-hanging-path']) {
      const err = (await http.getJson(path, { query: { appid: KEY } }).catch((e: unknown) => e)) as Error;
      expect(err).toBeInstanceOf(PluginHttpError);
      for (const shown of [err.message, String(err), JSON.stringify(err)]) {
        expect(shown).not.toContain(KEY);
        expect(shown).not.toContain('secret-');
      }
    }
  });

  it('gets absolute URLs on any host with an any-origin client, and refuses what is not an http(s) URL', async () => {
    const one = await upstream((req, res) => json(res, { one: req.url }));
    const two = await upstream((req, res) => json(res, { two: req.url }));
    const http = client({ anyOrigin: true, allowPrivateHosts: true });
    expect(await http.getJson(`${one.base}/a`, { query: { q: 1 } })).toEqual({ one: '/v1/a?q=1' });
    expect(await http.getJson(`${two.base}/b`)).toEqual({ two: '/v1/b' });
    expect(await http.get('ftp://example.org/feed').catch((e: unknown) => e)).toMatchObject({
      failure: 'bad-url',
      retryable: false,
    });
    expect(await http.get('/relative/path').catch((e: unknown) => e)).toMatchObject({ failure: 'bad-url' });
  });

  it('refuses hosts on private addresses unless allowed, without retrying', async () => {
    const up = await upstream((_req, res) => json(res, { ok: true }));
    const port = up.host.split(':')[1];
    const http = client({ anyOrigin: true, retries: 3 });
    for (const url of [
      `http://127.0.0.1:${port}/v1/x`,
      `http://localhost:${port}/v1/x`,
      `http://[::ffff:127.0.0.1]:${port}/v1/x`,
      `http://[::1]:${port}/v1/x`,
      'http://169.254.169.254/latest/meta-data/',
      'http://10.1.2.3/feed',
      'http://[fd00::1]/feed',
    ]) {
      const err = (await http.get(url).catch((e: unknown) => e)) as PluginHttpError;
      expect(err, url).toBeInstanceOf(PluginHttpError);
      expect(err).toMatchObject({ failure: 'private-host', status: null, retryable: false });
      expect(err.message).toMatch(/refused: the host is a private address$/);
    }
    expect(up.hits).toHaveLength(0);
    const allowed = client({ anyOrigin: true, allowPrivateHosts: true });
    expect((await allowed.get(`http://localhost:${port}/v1/x`)).status).toBe(200);
  });

  it("hands a request with its own validators the upstream's 304, while plain GETs still use the cache", async () => {
    const up = await upstream((req, res) => {
      if (req.headers['if-none-match'] === '"v1"') {
        res.writeHead(304, { etag: '"v1"' });
        res.end();
      } else json(res, { feed: 1 }, 200, { etag: '"v1"', 'cache-control': 'max-age=60' });
    });
    const http = client({ baseUrl: up.base, cacheTtlMs: 60_000 });
    expect((await http.get('feed')).status).toBe(200);
    expect((await http.get('feed')).status).toBe(200);
    expect(up.hits).toHaveLength(1);
    const revalidated = await http.get('feed', { headers: { 'If-None-Match': '"v1"' } });
    expect(revalidated).toMatchObject({ status: 304, text: '' });
    expect(up.hits).toHaveLength(2);
    expect(await http.getJson('feed')).toEqual({ feed: 1 });
    expect(up.hits).toHaveLength(2);
  });

  it('refuses a base URL that is not http(s), and bad options', () => {
    expect(() => createPluginHttp({ baseUrl: 'ftp://example.com' })).toThrow(/baseUrl must be an http\(s\) URL/);
    expect(() => createPluginHttp({ baseUrl: 'not a url' })).toThrow(/absolute http\(s\) URL/);
    expect(() => createPluginHttp({ baseUrl: 'http://x', timeoutMs: 0 })).toThrow(/timeoutMs must be positive/);
    expect(() => createPluginHttp({ baseUrl: 'http://x', retries: 1.5 })).toThrow(/retries must be a whole number/);
  });
});
