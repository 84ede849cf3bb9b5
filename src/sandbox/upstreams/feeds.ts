import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { fnv1a } from '../../runtime/index.js';
import { breakConnection, FaultPlan } from '../emulator-fault.js';
import { FEED_FIXTURES, type FeedFixture, type FeedItemFixture, homePage } from './feeds-fixtures.js';
import type { UpstreamApi } from './upstream-emulator.js';

/** What a feed can be made to answer its next fetches with (`POST /feeds/<id>/outage`). */
type OutageKind = '5xx' | '404' | 'timeout' | 'malformed';

interface LiveItem extends Omit<FeedItemFixture, 'minutesAgo'> {
  publishedMs: number;
}

/** A feed as it is now: its items, newest first, and what it was asked. */
interface LiveFeed {
  fixture: FeedFixture;
  items: LiveItem[];
  modifiedMs: number;
  published: number;
  fetches: number;
  notModified: number;
}

const publishSchema = z.object({
  title: z.string().trim().min(1).max(300),
  link: z.url({ protocol: /^https?$/ }).optional(),
  description: z.string().max(2000).optional(),
});

const outageSchema = z.object({
  kind: z.enum(['5xx', '404', 'timeout', 'malformed']),
  count: z.number().int().min(1).max(1_000_000).optional(),
});

/** How long a `timeout` outage holds a fetch before dropping it (the reader gives up long before). */
const HOLD_MS = 30_000;

/** The huge feed's size: over the 2 MiB a feed reader takes. */
const HUGE_BYTES = 3 * 1024 * 1024;

/**
 * Public RSS and Atom feeds (Meduza, BBC News, Habr, GitHub releases,
 * Wikipedia's new pages, Slashdot): RSS 2.0, RSS 1.0 and Atom in Russian
 * and English, each at its real path after a short name of its host
 * (`/feeds/bbc/news/world/rss.xml`), with `ETag` and `Last-Modified` and a
 * 304 for a request whose validators still match. Besides them: a site's
 * HTML home page (`/feeds/meduza/`, not a feed) and a feed too big to read
 * (`/feeds/huge/feed.xml`).
 *
 * Control routes: `POST /feeds/<id>/items` (`{"title", "link"?,
 * "description"?}`) publishes an item at the top of a feed;
 * `POST /feeds/<id>/outage` (`{"kind": "5xx" | "404" | "timeout" |
 * "malformed", "count"?}`) makes the feed's next fetches fail that way
 * (all of them without a count), `DELETE` ends every outage;
 * `GET /feeds/<id>/stats` counts its fetches and 304s.
 *
 * The environment points the news plugin's default feeds here; sandbox
 * mode also lets it fetch from this local address, which it refuses
 * otherwise.
 */
export const feedsApi: UpstreamApi = {
  name: 'feeds',
  env: {
    PLUGIN_NEWS_DEFAULT_FEEDS: (base) => JSON.stringify([`${base}/meduza/rss/all`, `${base}/bbc/news/world/rss.xml`]),
  },
  // The emulator listens on 127.0.0.1, which the news plugin refuses to fetch from unless told; only sandbox mode,
  // and only while the default feeds point here, tells it.
  demoEnv: { PLUGIN_NEWS_ALLOW_PRIVATE_HOSTS: 'true' },
  routes(app, ctx) {
    const startedMs = Date.now();
    const feeds = new Map<string, LiveFeed>(
      FEED_FIXTURES.map((fixture) => {
        const items = fixture.items.map(({ minutesAgo, ...item }) => ({
          ...item,
          publishedMs: startedMs - minutesAgo * 60_000,
        }));
        return [
          fixture.id,
          { fixture, items, modifiedMs: items[0]?.publishedMs ?? startedMs, published: 0, fetches: 0, notModified: 0 },
        ];
      }),
    );
    const outages = new FaultPlan<OutageKind>();
    const held = new Set<NodeJS.Timeout>();
    app.addHook('onClose', async () => {
      for (const timer of held) clearTimeout(timer);
      held.clear();
    });
    let huge: string | undefined;

    for (const feed of feeds.values()) {
      app.get(feed.fixture.path, async (request, reply) => {
        const query = request.query as Record<string, string | undefined>;
        if (Object.entries(feed.fixture.query ?? {}).some(([key, value]) => query[key] !== value))
          return reply.code(404).type('text/html; charset=utf-8').send(notFoundPage());
        feed.fetches++;
        const outage = outages.take(feed.fixture.id, () => 1);
        if (outage !== null) return playOutage(outage.kind, request, reply, held);
        const xml = render(feed, `${ctx.baseUrl()}${feed.fixture.path}${queryOf(feed.fixture)}`);
        const etag = `"${fnv1a(xml).toString(16)}"`;
        const lastModified = new Date(feed.modifiedMs).toUTCString();
        reply.header('etag', etag).header('last-modified', lastModified);
        if (notModified(request, etag, feed.modifiedMs)) {
          feed.notModified++;
          return reply.code(304).send();
        }
        return reply.type(contentType(feed.fixture.format)).send(xml);
      });
    }

    app.get('/meduza/', async (_request, reply) =>
      reply.type('text/html; charset=utf-8').send(homePage(`${ctx.baseUrl()}/meduza/rss/all`)),
    );

    app.get('/huge/feed.xml', async (_request, reply) => {
      huge ??= hugeFeed();
      return reply.type('application/rss+xml; charset=utf-8').send(huge);
    });

    app.post('/:feed/items', async (request, reply) => {
      const feed = feeds.get((request.params as { feed: string }).feed);
      if (feed === undefined) return reply.code(404).send({ error: 'no such feed' });
      const parsed = publishSchema.safeParse(request.body);
      if (!parsed.success) return reply.code(400).send({ error: 'bad item', issues: parsed.error.issues });
      feed.published++;
      const link = parsed.data.link ?? `${feed.fixture.newItemBase}-${feed.published}`;
      const now = Math.max(Date.now(), feed.modifiedMs + 1000);
      feed.items.unshift({
        title: parsed.data.title,
        link,
        ...(feed.fixture.format === 'rss1' ? {} : { guid: `${feed.fixture.newItemBase}-${feed.published}` }),
        description: parsed.data.description ?? parsed.data.title,
        publishedMs: now,
      });
      feed.modifiedMs = now;
      return reply.code(201).send({ link, pubDate: new Date(now).toUTCString() });
    });

    app.post('/:feed/outage', async (request, reply) => {
      const id = (request.params as { feed: string }).feed;
      if (!feeds.has(id)) return reply.code(404).send({ error: 'no such feed' });
      const parsed = outageSchema.safeParse(request.body);
      if (!parsed.success) return reply.code(400).send({ error: 'bad outage', issues: parsed.error.issues });
      outages.add({ kind: parsed.data.kind, target: id, count: parsed.data.count ?? 1_000_000 });
      return { ok: true };
    });

    app.delete('/:feed/outage', async () => {
      outages.clear();
      return { ok: true };
    });

    app.get('/:feed/stats', async (request, reply) => {
      const feed = feeds.get((request.params as { feed: string }).feed);
      if (feed === undefined) return reply.code(404).send({ error: 'no such feed' });
      return { fetches: feed.fetches, notModified: feed.notModified, items: feed.items.length };
    });
  },
};

/** RFC 9110 §13.1: If-None-Match decides when present; If-Modified-Since only without it. */
function notModified(request: FastifyRequest, etag: string, modifiedMs: number): boolean {
  const noneMatch = request.headers['if-none-match'];
  if (typeof noneMatch === 'string')
    return noneMatch.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag || tag.trim() === '*');
  const since = request.headers['if-modified-since'];
  if (typeof since !== 'string') return false;
  const sinceMs = Date.parse(since);
  return Number.isFinite(sinceMs) && Math.floor(modifiedMs / 1000) * 1000 <= sinceMs;
}

async function playOutage(
  kind: OutageKind,
  request: FastifyRequest,
  reply: FastifyReply,
  held: Set<NodeJS.Timeout>,
): Promise<unknown> {
  switch (kind) {
    case '5xx':
      return reply
        .code(503)
        .type('text/html; charset=utf-8')
        .send('<html><body><h1>503 Service Unavailable</h1></body></html>');
    case '404':
      return reply.code(404).type('text/html; charset=utf-8').send(notFoundPage());
    case 'malformed':
      // Cut off mid-document, as a proxy that drops the connection leaves it.
      return reply
        .type('application/rss+xml; charset=utf-8')
        .send('<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><title>Broken</tit');
    case 'timeout':
      return breakConnection('timeout', request, reply, HOLD_MS, held);
  }
}

function queryOf(fixture: FeedFixture): string {
  return fixture.query === undefined ? '' : `?${new URLSearchParams(fixture.query).toString()}`;
}

function contentType(format: FeedFixture['format']): string {
  return format === 'atom' ? 'application/atom+xml; charset=utf-8' : 'application/rss+xml; charset=utf-8';
}

function render(feed: LiveFeed, self: string): string {
  switch (feed.fixture.format) {
    case 'rss2':
      return rss2(feed, self);
    case 'rss1':
      return rss1(feed);
    case 'atom':
      return atom(feed, self);
  }
}

/** RSS 2.0 as BBC and Habr write it: texts in CDATA, `atom:link rel="self"`, `ttl`. */
function rss2(feed: LiveFeed, self: string): string {
  const f = feed.fixture;
  const items = feed.items.map((item) =>
    [
      '    <item>',
      `      <title>${cdata(item.title)}</title>`,
      `      <description>${cdata(item.description)}</description>`,
      `      <link>${text(item.link)}</link>`,
      `      <guid isPermaLink="${item.guid === undefined || item.guid === item.link ? 'true' : 'false'}">${text(item.guid ?? item.link)}</guid>`,
      `      <pubDate>${new Date(item.publishedMs).toUTCString()}</pubDate>`,
      ...(item.author === undefined ? [] : [`      <dc:creator>${cdata(item.author)}</dc:creator>`]),
      ...(item.category === undefined ? [] : [`      <category>${cdata(item.category)}</category>`]),
      '    </item>',
    ].join('\n'),
  );
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<rss xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:atom="http://www.w3.org/2005/Atom" version="2.0" xmlns:media="http://search.yahoo.com/mrss/">',
    '  <channel>',
    `    <title>${cdata(f.title)}</title>`,
    `    <description>${cdata(f.description)}</description>`,
    `    <link>${text(f.link)}</link>`,
    '    <generator>RSS for Node</generator>',
    `    <lastBuildDate>${new Date(feed.modifiedMs).toUTCString()}</lastBuildDate>`,
    `    <atom:link href="${text(self)}" rel="self" type="application/rss+xml"/>`,
    `    <language>${cdata(f.language)}</language>`,
    ...(f.ttl === undefined ? [] : [`    <ttl>${f.ttl}</ttl>`]),
    ...items,
    '  </channel>',
    '</rss>',
    '',
  ].join('\n');
}

/** RDF Site Summary 1.0 as Slashdot writes it: the channel lists its items in `rdf:Seq`, items follow it. */
function rss1(feed: LiveFeed): string {
  const f = feed.fixture;
  const date = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, '+00:00');
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:slash="http://purl.org/rss/1.0/modules/slash/" xmlns:syn="http://purl.org/rss/1.0/modules/syndication/">',
    `<channel rdf:about="${text(f.link)}">`,
    `<title>${text(f.title)}</title>`,
    `<link>${text(f.link)}</link>`,
    `<description>${text(f.description)}</description>`,
    `<dc:language>${text(f.language)}</dc:language>`,
    `<dc:date>${date(feed.modifiedMs)}</dc:date>`,
    '<syn:updatePeriod>hourly</syn:updatePeriod>',
    '<syn:updateFrequency>1</syn:updateFrequency>',
    '<items>',
    ' <rdf:Seq>',
    ...feed.items.map((item) => `  <rdf:li rdf:resource="${text(item.link)}" />`),
    ' </rdf:Seq>',
    '</items>',
    '</channel>',
    ...feed.items.map((item) =>
      [
        `<item rdf:about="${text(item.link)}">`,
        `<title>${text(item.title)}</title>`,
        `<link>${text(item.link)}</link>`,
        `<description>${text(item.description)}</description>`,
        ...(item.author === undefined ? [] : [`<dc:creator>${text(item.author)}</dc:creator>`]),
        `<dc:date>${date(item.publishedMs)}</dc:date>`,
        ...(item.category === undefined ? [] : [`<dc:subject>${text(item.category)}</dc:subject>`]),
        '<slash:section>news</slash:section>',
        '</item>',
      ].join('\n'),
    ),
    '</rdf:RDF>',
    '',
  ].join('\n');
}

/** Atom 1.0 as GitHub and MediaWiki write it: feed id/title/updated, entries with `link rel="alternate"`. */
function atom(feed: LiveFeed, self: string): string {
  const f = feed.fixture;
  const date = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<feed xmlns="http://www.w3.org/2005/Atom" xmlns:media="http://search.yahoo.com/mrss/" xml:lang="${text(f.language)}">`,
    `  <id>${text(f.realUrl)}</id>`,
    `  <link type="text/html" rel="alternate" href="${text(f.link)}"/>`,
    `  <link type="application/atom+xml" rel="self" href="${text(self)}"/>`,
    `  <title>${text(f.title)}</title>`,
    `  <subtitle>${text(f.description)}</subtitle>`,
    `  <updated>${date(feed.modifiedMs)}</updated>`,
    ...feed.items.map((item) =>
      [
        '  <entry>',
        `    <id>${text(item.guid ?? item.link)}</id>`,
        `    <updated>${date(item.publishedMs)}</updated>`,
        `    <link rel="alternate" type="text/html" href="${text(item.link)}"/>`,
        `    <title>${text(item.title)}</title>`,
        `    <summary type="html">${text(`<p>${text(item.description)}</p>`)}</summary>`,
        ...(item.author === undefined
          ? []
          : ['    <author>', `      <name>${text(item.author)}</name>`, '    </author>']),
        '  </entry>',
      ].join('\n'),
    ),
    '</feed>',
    '',
  ].join('\n');
}

/** A podcast feed with every episode since its start: a real shape, and more than a reader takes. */
function hugeFeed(): string {
  const head =
    '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><title>Every Episode Ever</title><link>https://podcast.example.org/</link><description>All of them</description>\n';
  const parts = [head];
  let size = head.length;
  for (let n = 1; size < HUGE_BYTES; n++) {
    const item = `<item><title>Episode ${n}</title><link>https://podcast.example.org/${n}</link><guid>https://podcast.example.org/${n}</guid><description>${'Show notes. '.repeat(40)}</description></item>\n`;
    parts.push(item);
    size += item.length;
  }
  parts.push('</channel></rss>\n');
  return parts.join('');
}

function notFoundPage(): string {
  return '<!DOCTYPE html><html><head><title>404 Not Found</title></head><body><h1>Not Found</h1></body></html>';
}

function text(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function cdata(value: string): string {
  return `<![CDATA[${value.replace(/]]>/g, ']]]]><![CDATA[>')}]]>`;
}
