import { describe, expect, it } from 'vitest';
import { feedLinkIn, readFeedText } from '../../../src/plugins/integrations/news/feed-parse.js';

const rss2 = `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel>
<title><![CDATA[BBC News]]></title><link>https://www.bbc.co.uk/news</link><description>World</description><ttl>15</ttl>
<item><title>Older &amp; wiser</title><link>https://bbc.com/a</link><guid isPermaLink="false">https://bbc.com/a#0</guid><pubDate>Mon, 10 Nov 2025 10:00:00 GMT</pubDate></item>
<item><title><![CDATA[<b>Newer</b> story]]></title><link>https://bbc.com/b</link><guid>https://bbc.com/b#0</guid><pubDate>Mon, 10 Nov 2025 12:00:00 GMT</pubDate><description>&lt;p&gt;About the &lt;i&gt;weather&lt;/i&gt;&lt;/p&gt;</description></item>
<item><description>neither a title nor a link</description></item>
</channel></rss>`;

const atom = `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Release notes from node</title><id>tag:github.com,2008:x</id>
<updated>2025-11-11T10:00:00Z</updated>
<entry><id>tag:github.com,2008:Repository/1/v24</id><updated>2025-11-11T10:00:00Z</updated>
<link rel="alternate" type="text/html" href="https://github.com/nodejs/node/releases/tag/v24"/><title>Version 24</title></entry>
</feed>`;

const rdf = `<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel rdf:about="https://slashdot.org/"><title>Slashdot</title><link>https://slashdot.org/</link></channel>
<item rdf:about="https://slashdot.org/1"><title>One</title><link>https://slashdot.org/1</link><dc:date>2025-11-12T10:00:00+00:00</dc:date></item>
</rdf:RDF>`;

describe('reading a feed', () => {
  it('reads RSS 2.0 newest first, as plain text, with its ttl, leaving out items with neither title nor link', () => {
    const feed = readFeedText(rss2)!;
    expect(feed.title).toBe('BBC News');
    expect(feed.ttlMinutes).toBe(15);
    expect(feed.entries.map((e) => [e.title, e.link])).toEqual([
      ['Newer story', 'https://bbc.com/b'],
      ['Older & wiser', 'https://bbc.com/a'],
    ]);
    expect(feed.entries[0]!.text).toBe('Newer story About the weather');
    expect(feed.entries[0]!.publishedMs).toBe(Date.UTC(2025, 10, 10, 12));
  });

  it('reads Atom and RSS 1.0, keying items by id or else by link', () => {
    const node = readFeedText(atom)!;
    expect(node.entries).toMatchObject([
      { title: 'Version 24', link: 'https://github.com/nodejs/node/releases/tag/v24' },
    ]);
    expect(node.ttlMinutes).toBeNull();
    const slashdot = readFeedText(rdf)!;
    expect(slashdot.entries).toMatchObject([{ title: 'One', link: 'https://slashdot.org/1' }]);
    // Same identity, same key; a different one, another key.
    const relinked = readFeedText(rss2.replace('https://bbc.com/b</link>', 'https://bbc.com/moved</link>'))!;
    expect(relinked.entries[0]!.key).toBe(readFeedText(rss2)!.entries[0]!.key);
    expect(slashdot.entries[0]!.key).not.toBe(node.entries[0]!.key);
  });

  it('says an HTML page, JSON or XML cut short is not a feed', () => {
    expect(readFeedText('<!doctype html><html><head><title>Hi</title></head><body></body></html>')).toBeNull();
    expect(readFeedText('{"results": [{"name": "')).toBeNull();
    expect(readFeedText('<?xml version="1.0"?><rss version="2.0"><channel><title>Broken</tit')).toBeNull();
    expect(readFeedText('')).toBeNull();
  });

  it('finds the feed a page points its readers at', () => {
    const page = `<html><head><link rel="stylesheet" href="/a.css">
      <link rel="alternate" type="application/rss+xml" title="RSS" href="/rss/all?x=1&amp;y=2"></head></html>`;
    expect(feedLinkIn(page, 'https://meduza.io/news/')).toBe('https://meduza.io/rss/all?x=1&y=2');
    expect(
      feedLinkIn("<link href='https://a.org/atom' type='application/atom+xml' rel='alternate'>", 'https://a.org/'),
    ).toBe('https://a.org/atom');
    expect(feedLinkIn('<link rel="alternate" hreflang="en" href="/en/">', 'https://a.org/')).toBeNull();
  });
});
