import { describe, expect, it } from 'vitest';
import type { FeedEntry } from '../../../src/plugins/integrations/news/feed-parse.js';
import {
  checkFeedUrl,
  parseFeedCommand,
  topicScore,
  topicStems,
} from '../../../src/plugins/integrations/news/news-args.js';

const entry = (text: string): FeedEntry => ({ key: 'k', title: text, link: null, publishedMs: null, text });

describe('the news commands’ arguments', () => {
  it.each([
    ['add https://x.org/rss', { action: 'add', url: 'https://x.org/rss' }],
    ['добавить x.org/rss', { action: 'add', url: 'x.org/rss' }],
    ['add', { action: 'usage' }],
    ['list', { action: 'list' }],
    ['список', { action: 'list' }],
    ['remove 3', { action: 'remove', id: 3 }],
    ['удалить #12', { action: 'remove', id: 12 }],
    ['rm bbc', { action: 'remove', id: null }],
    ['', { action: 'usage' }],
    ['subscribe x', { action: 'usage' }],
    ['https://x.org/rss', { action: 'add', url: 'https://x.org/rss' }],
  ])('/feed %s', (args, expected) => {
    expect(parseFeedCommand(args)).toEqual(expected);
  });

  it.each([
    ['https://feeds.bbci.co.uk/news/world/rss.xml', { ok: true, url: 'https://feeds.bbci.co.uk/news/world/rss.xml' }],
    ['<https://meduza.io/rss/all#top>', { ok: true, url: 'https://meduza.io/rss/all' }],
    ['habr.com/ru/rss/articles/', { ok: true, url: 'https://habr.com/ru/rss/articles/' }],
    ['HTTP://Example.ORG:8080/feed', { ok: true, url: 'http://example.org:8080/feed' }],
    ['not a url', { ok: false, reason: 'not-url' }],
    ['feed', { ok: false, reason: 'not-url' }],
    ['https://user:pw@example.org/rss', { ok: false, reason: 'not-url' }],
    [`https://example.org/${'я'.repeat(100)}`, { ok: false, reason: 'not-url' }],
    ['ftp://example.org/feed.xml', { ok: false, reason: 'not-http' }],
    ['javascript:alert(1)', { ok: false, reason: 'not-http' }],
    ['file:///etc/passwd', { ok: false, reason: 'not-http' }],
  ])('a feed URL %s', (text, expected) => {
    expect(checkFeedUrl(text)).toEqual(expected);
  });

  it('matches headlines on the stems of the topic’s words, in any form', () => {
    const stems = topicStems('про Москву');
    expect(stems).toEqual(['про', 'москв']);
    expect(topicScore(entry('В Москве ожидается первый снег'), stems)).toBe(1);
    expect(topicScore(entry('Moscow metro opens'), stems)).toBe(0);
    expect(topicScore(entry('Climate talks agree a fund'), topicStems('climate'))).toBe(1);
    expect(topicScore(entry('anything'), topicStems(''))).toBe(1);
  });
});
