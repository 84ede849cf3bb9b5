import { parseFeed } from '@rowanmanning/feed-parser';
import { fnv1a } from '../../../runtime/index.js';

/** A headline of a feed, as the plugin uses it. */
export interface FeedEntry {
  /** A short, stable key of the item (a hash of its guid/id, else its link, else its title): what "seen" remembers. */
  key: string;
  title: string;
  link: string | null;
  /** When it was published (or last updated), if the feed says. */
  publishedMs: number | null;
  /** Its title and description as plain text, for topic matching. */
  text: string;
}

/** A feed read: its title, items (newest first) and the `<ttl>` it asks readers to keep it. */
export interface ParsedFeed {
  title: string | null;
  entries: FeedEntry[];
  ttlMinutes: number | null;
}

const MAX_TITLE_CHARS = 200;
const MAX_TEXT_CHARS = 600;

/**
 * Reads RSS 2.0, RSS 1.0 (RDF) or Atom with @rowanmanning/feed-parser,
 * which is lenient with real feeds' mistakes; null when the text is not a
 * feed at all (an HTML page, JSON, XML cut off before anything readable).
 * Items with neither a title nor a link are left out; the rest are sorted
 * newest first (items without a date keep their place in the feed, after
 * dated ones).
 */
export function readFeedText(xml: string): ParsedFeed | null {
  let feed: ReturnType<typeof parseFeed>;
  try {
    feed = parseFeed(xml);
  } catch {
    // The parser throws INVALID_FEED for a page that is not a feed and plain Errors for broken XML: both mean "no feed".
    return null;
  }
  const entries: Array<FeedEntry & { order: number }> = [];
  feed.items.forEach((item, order) => {
    const title = plain(item.title ?? '', MAX_TITLE_CHARS);
    const link = item.url ?? null;
    if (title === '' && link === null) return;
    const identity = item.id ?? link ?? title;
    const published = item.published ?? item.updated;
    entries.push({
      key: fnv1a(identity).toString(36),
      title: title === '' ? (link ?? '') : title,
      link,
      publishedMs: published === null ? null : published.getTime(),
      text: plain(`${item.title ?? ''} ${item.description ?? ''}`, MAX_TEXT_CHARS),
      order,
    });
  });
  entries.sort((a, b) => (b.publishedMs ?? -Infinity) - (a.publishedMs ?? -Infinity) || a.order - b.order);
  const title = plain(feed.title ?? '', MAX_TITLE_CHARS);
  return {
    title: title === '' ? null : title,
    entries: entries.map(({ order: _order, ...entry }) => entry),
    ttlMinutes: ttlOf(xml),
  };
}

/** RSS 2.0's `<ttl>` (minutes), which the parser does not read; null when absent or absurd. */
function ttlOf(xml: string): number | null {
  const match = /<ttl>\s*(\d{1,6})\s*<\/ttl>/i.exec(xml);
  if (match === null) return null;
  const minutes = Number(match[1]);
  return minutes > 0 ? minutes : null;
}

/**
 * The feed an HTML page points its readers at (`<link rel="alternate"
 * type="application/rss+xml" href="…">`), resolved against the page's URL,
 * or null.
 */
export function feedLinkIn(html: string, pageUrl: string): string | null {
  for (const tag of html.match(/<link\b[^>]*>/gi) ?? []) {
    if (!/\brel\s*=\s*["']?alternate\b/i.test(tag)) continue;
    if (!/\btype\s*=\s*["']?application\/(rss|atom)\+xml/i.test(tag)) continue;
    const href = /\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))/i.exec(tag);
    const value = href?.[1] ?? href?.[2] ?? href?.[3];
    if (value === undefined) continue;
    try {
      return new URL(decodeEntities(value), pageUrl).href;
    } catch {
      continue;
    }
  }
  return null;
}

/** A text without HTML tags, entities decoded, white space collapsed, at most `max` characters. */
function plain(html: string, max: number): string {
  const text = decodeEntities(html.replace(/<[^>]*>/g, ' '))
    .replace(/\s+/g, ' ')
    .trim();
  return text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`;
}

const ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name[0] === '#') {
      const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return ENTITIES[name.toLowerCase()] ?? whole;
  });
}
