import { describe, expect, it } from 'vitest';
import type { FeedEntry } from '../../../src/plugins/integrations/news/feed-parse.js';
import {
  dueAtMs,
  MAX_FEEDS,
  type NewsData,
  newsDataSchema,
  recordPoll,
  SEEN_KEYS,
  subscribe,
  unsubscribe,
} from '../../../src/plugins/integrations/news/news-data.js';

const MIN = 60_000;
const entries = (...keys: string[]): FeedEntry[] =>
  keys.map((key, i) => ({ key, title: key, link: `https://x.org/${key}`, publishedMs: 1000 - i, text: key }));
const empty = (): NewsData => newsDataSchema.parse(undefined);
const adding = (url: string, keys: string[] = ['a', 'b']) => ({
  url,
  title: 'X',
  addedBy: 5,
  language: 'ru' as const,
  entries: entries(...keys),
  etag: '"e1"',
  lastModified: undefined,
  ttlMinutes: null,
});

describe("a chat's feeds", () => {
  it('adds a feed with its current items seen and a fresh id, refusing a duplicate and a full list', () => {
    let data = empty();
    const first = subscribe(data, adding('https://x.org/rss'), 2);
    expect(first.outcome).toMatchObject({
      kind: 'added',
      feed: { id: 1, seen: ['a', 'b'], etag: '"e1"', newestAtMs: 1000 },
    });
    data = first.data;
    expect(subscribe(data, adding('https://X.org/rss/'), 2).outcome).toMatchObject({
      kind: 'duplicate',
      feed: { id: 1 },
    });
    data = subscribe(data, adding('https://y.org/rss'), 2).data;
    expect(subscribe(data, adding('https://z.org/rss'), 2).outcome).toEqual({ kind: 'full', count: 2 });
    const { data: after, removed } = unsubscribe(data, 1);
    expect(removed?.url).toBe('https://x.org/rss');
    // Ids are never reused.
    expect(subscribe(after, adding('https://z.org/rss'), 2).outcome).toMatchObject({ feed: { id: 3 } });
    expect(unsubscribe(after, 1).removed).toBeNull();
  });

  it('finds the items new to the chat, remembers at most SEEN_KEYS keys, and keeps validators and ttl', () => {
    const data = subscribe(empty(), adding('https://x.org/rss', ['b', 'c']), 10).data;
    const polled = recordPoll(
      data,
      1,
      'https://x.org/rss',
      { kind: 'feed', entries: entries('a', 'a', 'b', 'c'), etag: '"e2"', lastModified: 'Tue', ttlMinutes: 60 },
      5 * MIN,
    )!;
    expect(polled.fresh.map((e) => e.key)).toEqual(['a']);
    expect(polled.data.feeds[0]).toMatchObject({
      seen: ['a', 'b', 'c'],
      etag: '"e2"',
      lastModified: 'Tue',
      ttlMinutes: 60,
      checkedAtMs: 5 * MIN,
      failures: 0,
    });
    const many = entries(...Array.from({ length: 500 }, (_, i) => `k${i}`));
    const flooded = recordPoll(
      polled.data,
      1,
      'https://x.org/rss',
      { kind: 'feed', entries: many, etag: undefined, lastModified: undefined, ttlMinutes: null },
      6 * MIN,
    )!;
    expect(flooded.fresh).toHaveLength(SEEN_KEYS);
    expect(flooded.data.feeds[0]!.seen).toHaveLength(SEEN_KEYS);
    expect(flooded.data.feeds[0]!.etag).toBeUndefined();
    // A feed removed (or removed and added again under another id) is not recorded.
    expect(recordPoll(data, 2, 'https://x.org/rss', { kind: 'not-modified' }, 0)).toBeNull();
  });

  it('polls a feed after pollMinutes or its ttl, doubling the wait for each failure in a row up to a day', () => {
    let data = subscribe(empty(), { ...adding('https://x.org/rss'), ttlMinutes: 45 }, 10).data;
    expect(dueAtMs(data.feeds[0]!, 30)).toBe(0);
    data = recordPoll(data, 1, 'https://x.org/rss', { kind: 'not-modified' }, 0)!.data;
    expect(dueAtMs(data.feeds[0]!, 30)).toBe(45 * MIN);
    expect(dueAtMs(data.feeds[0]!, 60)).toBe(60 * MIN);
    for (const wait of [90, 180, 360, 720, 1440, 1440]) {
      data = recordPoll(data, 1, 'https://x.org/rss', { kind: 'failed' }, 0)!.data;
      expect(dueAtMs(data.feeds[0]!, 30)).toBe(wait * MIN);
    }
    data = recordPoll(data, 1, 'https://x.org/rss', { kind: 'not-modified' }, 0)!.data;
    expect(data.feeds[0]!.failures).toBe(0);
  });

  it('stays well under 64 KiB with the most feeds, each at its longest', () => {
    let data = empty();
    for (let i = 0; i < MAX_FEEDS; i++) {
      const url = `https://example.org/${String(i).padStart(3, '0')}/${'x'.repeat(480)}`;
      data = subscribe(
        data,
        {
          ...adding(url),
          title: 'Ж'.repeat(300),
          etag: `"${'e'.repeat(298)}"`,
          lastModified: 'Wed, 12 Nov 2025 10:00:00 GMT',
          ttlMinutes: 60,
        },
        MAX_FEEDS,
      ).data;
      data = recordPoll(
        data,
        i + 1,
        url,
        {
          kind: 'feed',
          entries: entries(...Array.from({ length: 300 }, (_, k) => `${(2 ** 31 + k).toString(36)}`)),
          etag: `"${'e'.repeat(298)}"`,
          lastModified: 'Wed, 12 Nov 2025 10:00:00 GMT',
          ttlMinutes: 60,
        },
        1e12,
      )!.data;
    }
    expect(data.feeds).toHaveLength(MAX_FEEDS);
    expect(Buffer.byteLength(JSON.stringify(data))).toBeLessThan(48 * 1024);
  });
});
