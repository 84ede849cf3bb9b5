import { parseFeed } from '@rowanmanning/feed-parser';
import { afterEach, describe, expect, it } from 'vitest';
import { FEED_FIXTURES } from '../../src/sandbox/upstreams/feeds-fixtures.js';
import { feedsApi } from '../../src/sandbox/upstreams/feeds.js';
import { UpstreamEmulator } from '../../src/sandbox/upstreams/index.js';

const open: UpstreamEmulator[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((e) => e.close()));
});

async function start() {
  const emulator = await UpstreamEmulator.start({ apis: [feedsApi], faultHoldMs: 2_000 });
  open.push(emulator);
  const url = (fixture: (typeof FEED_FIXTURES)[number]) =>
    emulator.baseUrl(
      'feeds',
      `${fixture.path}${fixture.query === undefined ? '' : `?${new URLSearchParams(fixture.query)}`}`,
    );
  const post = (path: string, body: unknown) =>
    fetch(emulator.baseUrl('feeds', path), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  return { emulator, url, post };
}

describe('the feeds emulator', () => {
  it('serves each feed in its format, readable by a feed parser, newest first', async () => {
    const { url } = await start();
    for (const fixture of FEED_FIXTURES) {
      const answer = await fetch(url(fixture));
      expect(answer.status, fixture.id).toBe(200);
      const feed = parseFeed(await answer.text());
      expect(feed.meta.type, fixture.id).toBe(
        fixture.format === 'atom' ? 'atom' : fixture.format === 'rss1' ? 'rdf' : 'rss',
      );
      expect(feed.title).toBe(fixture.title);
      expect(feed.items.map((i) => i.title)).toEqual(fixture.items.map((i) => i.title));
      expect(feed.items.map((i) => i.url)).toEqual(fixture.items.map((i) => new URL(i.link).href));
    }
  });

  it('answers 304 to matching validators, and a publish changes them and tops the feed', async () => {
    const { url, post } = await start();
    const bbc = FEED_FIXTURES.find((f) => f.id === 'bbc')!;
    const first = await fetch(url(bbc));
    const etag = first.headers.get('etag')!;
    const lastModified = first.headers.get('last-modified')!;
    expect(first.headers.get('content-type')).toBe('application/rss+xml; charset=utf-8');
    expect((await first.text()).includes('<ttl>15</ttl>')).toBe(true);
    expect((await fetch(url(bbc), { headers: { 'if-none-match': etag } })).status).toBe(304);
    expect((await fetch(url(bbc), { headers: { 'if-modified-since': lastModified } })).status).toBe(304);
    expect(
      (await fetch(url(bbc), { headers: { 'if-none-match': '"other"', 'if-modified-since': lastModified } })).status,
    ).toBe(200);
    const published = await post('/bbc/items', { title: 'Fresh' });
    expect(published.status).toBe(201);
    expect(await published.json()).toMatchObject({ link: 'https://www.bbc.com/news/articles/emulated-1' });
    const after = await fetch(url(bbc), { headers: { 'if-none-match': etag } });
    expect(after.status).toBe(200);
    expect(after.headers.get('etag')).not.toBe(etag);
    expect(parseFeed(await after.text()).items[0]).toMatchObject({ title: 'Fresh' });
    expect((await post('/nowhere/items', { title: 'x' })).status).toBe(404);
    expect((await post('/bbc/items', { title: '' })).status).toBe(400);
  });

  it('plays outages per feed, and serves a page that is not a feed and a feed too big to read', async () => {
    const { emulator, url, post } = await start();
    const [meduza, bbc] = [FEED_FIXTURES.find((f) => f.id === 'meduza')!, FEED_FIXTURES.find((f) => f.id === 'bbc')!];
    await post('/meduza/outage', { kind: '5xx', count: 1 });
    await post('/bbc/outage', { kind: 'malformed', count: 1 });
    expect((await fetch(url(meduza))).status).toBe(503);
    expect(await (await fetch(url(bbc))).text()).toMatch(/<title>Broken<\/tit$/);
    expect((await fetch(url(meduza))).status).toBe(200);
    await post('/meduza/outage', { kind: 'timeout' });
    await expect(fetch(url(meduza), { signal: AbortSignal.timeout(300) })).rejects.toThrow();
    await fetch(emulator.baseUrl('feeds', '/meduza/outage'), { method: 'DELETE' });
    expect((await fetch(url(meduza))).status).toBe(200);
    const page = await fetch(emulator.baseUrl('feeds', '/meduza/'));
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await page.text()).toContain(`href="${emulator.baseUrl('feeds', '/meduza/rss/all')}"`);
    expect((await (await fetch(emulator.baseUrl('feeds', '/huge/feed.xml'))).arrayBuffer()).byteLength).toBeGreaterThan(
      2 * 1024 * 1024,
    );
    expect((await fetch(emulator.baseUrl('feeds', '/wikipedia/w/index.php?title=x'))).status).toBe(404);
    expect(await (await fetch(emulator.baseUrl('feeds', '/meduza/stats'))).json()).toEqual({
      fetches: 4,
      notModified: 0,
      items: 6,
    });
  });

  it('points the news plugin at its feeds, and lets sandbox mode alone reach its local address', async () => {
    const { emulator } = await start();
    const feeds = JSON.stringify([
      emulator.baseUrl('feeds', '/meduza/rss/all'),
      emulator.baseUrl('feeds', '/bbc/news/world/rss.xml'),
    ]);
    expect(emulator.env()).toEqual({ PLUGIN_NEWS_DEFAULT_FEEDS: feeds });
    expect(emulator.sandboxEnv({})).toEqual({
      PLUGIN_NEWS_DEFAULT_FEEDS: feeds,
      PLUGIN_NEWS_ALLOW_PRIVATE_HOSTS: 'true',
    });
    // Default feeds of the operator's own: no leave to reach private addresses goes with them.
    expect(emulator.sandboxEnv({ PLUGIN_NEWS_DEFAULT_FEEDS: '["https://meduza.io/rss/all"]' })).toEqual({});
  });
});
