import { z } from 'zod';
import type { FeedEntry } from './feed-parse.js';

/**
 * How many item keys a feed remembers as seen: more than a news feed
 * carries at once, few enough that {@link MAX_FEEDS} feeds stay well under
 * a chat's 64 KiB of plugin data (a key is a hash of up to seven characters).
 */
export const SEEN_KEYS = 200;

/** The most feeds a chat may follow, whatever the settings: about 3 KiB of plugin data each at worst. */
export const MAX_FEEDS = 12;

/** A feed's title as kept (and shown): longer ones are cut. */
const MAX_TITLE_CHARS = 100;

/** The longest wait between polls of a failing feed. */
const MAX_BACKOFF_MS = 24 * 3_600_000;

/** A feed a chat follows, with what polling it needs to remember. */
const subscriptionSchema = z.object({
  /** Short and never reused in the chat: `/feed remove 3`. */
  id: z.number().int().min(1),
  url: z.string(),
  title: z.string(),
  /** The member who added it. */
  addedBy: z.number(),
  /** The language new items are announced in: the one of the member who added it. */
  language: z.enum(['ru', 'uk', 'en', 'other']).default('ru'),
  /** Keys of items already announced (or there when it was added), newest first. */
  seen: z.array(z.string()).default([]),
  etag: z.string().optional(),
  lastModified: z.string().optional(),
  /** The feed's `<ttl>`: it asks not to be polled more often. */
  ttlMinutes: z.number().optional(),
  /** When it was last polled, whatever came of it. */
  checkedAtMs: z.number().optional(),
  /** When its newest item was published, as far as the feed says. */
  newestAtMs: z.number().optional(),
  /** Polls in a row that failed: each doubles the wait before the next. */
  failures: z.number().int().min(0).default(0),
});

export type Subscription = z.output<typeof subscriptionSchema>;

/** The news plugin's data in a chat. */
export const newsDataSchema = z
  .object({ feeds: z.array(subscriptionSchema).default([]), nextId: z.number().int().min(1).default(1) })
  .default({ feeds: [], nextId: 1 });

export type NewsData = z.output<typeof newsDataSchema>;

/** A feed about to be followed: what its first read gave. */
export interface NewSubscription {
  url: string;
  title: string;
  addedBy: number;
  language: Subscription['language'];
  entries: readonly FeedEntry[];
  etag: string | undefined;
  lastModified: string | undefined;
  ttlMinutes: number | null;
}

export type SubscribeOutcome =
  { kind: 'added'; feed: Subscription } | { kind: 'duplicate'; feed: Subscription } | { kind: 'full'; count: number };

/**
 * Adds a feed to a chat's list unless it is there already or the list is
 * full; its current items count as seen, so following it announces only
 * what comes next. Pure: the outcome is decided on the value passed in.
 */
export function subscribe(
  data: NewsData,
  add: NewSubscription,
  maxFeeds: number,
): { data: NewsData; outcome: SubscribeOutcome } {
  const same = data.feeds.find((f) => sameUrl(f.url, add.url));
  if (same !== undefined) return { data, outcome: { kind: 'duplicate', feed: same } };
  if (data.feeds.length >= maxFeeds) return { data, outcome: { kind: 'full', count: data.feeds.length } };
  const feed: Subscription = {
    id: data.nextId,
    url: add.url,
    title: add.title.length <= MAX_TITLE_CHARS ? add.title : `${add.title.slice(0, MAX_TITLE_CHARS - 1)}…`,
    addedBy: add.addedBy,
    language: add.language,
    seen: keysOf(add.entries, []),
    ...validators(add),
    ...(add.ttlMinutes === null ? {} : { ttlMinutes: add.ttlMinutes }),
    ...newestOf(add.entries),
    failures: 0,
  };
  return { data: { feeds: [...data.feeds, feed], nextId: data.nextId + 1 }, outcome: { kind: 'added', feed } };
}

/** Removes feed `id`; the removed one, or null when there is none. */
export function unsubscribe(data: NewsData, id: number): { data: NewsData; removed: Subscription | null } {
  const removed = data.feeds.find((f) => f.id === id) ?? null;
  return removed === null
    ? { data, removed }
    : { data: { ...data, feeds: data.feeds.filter((f) => f !== removed) }, removed };
}

/**
 * When a feed is next due: `pollMinutes` after its last poll, or its
 * `<ttl>` when that is longer, doubled for each failure in a row (at most a
 * day). A feed never polled is due at once.
 */
export function dueAtMs(feed: Subscription, pollMinutes: number): number {
  if (feed.checkedAtMs === undefined) return 0;
  const intervalMs = Math.max(pollMinutes, feed.ttlMinutes ?? 0) * 60_000;
  const waitMs = Math.min(intervalMs * 2 ** Math.min(feed.failures, 10), MAX_BACKOFF_MS);
  return feed.checkedAtMs + Math.max(waitMs, intervalMs);
}

/** What a poll found, for one feed in one chat. */
export type PollResult =
  | {
      kind: 'feed';
      entries: readonly FeedEntry[];
      etag: string | undefined;
      lastModified: string | undefined;
      ttlMinutes: number | null;
    }
  | { kind: 'not-modified' }
  | { kind: 'failed' };

/**
 * Records a poll of feed `id` (still at `url`: one removed and added again
 * is another) and says which items are new to this chat: the feed's newest
 * items whose keys it has not seen. Null when the chat no longer follows it.
 */
export function recordPoll(
  data: NewsData,
  id: number,
  url: string,
  result: PollResult,
  nowMs: number,
): { data: NewsData; fresh: FeedEntry[] } | null {
  const feed = data.feeds.find((f) => f.id === id && f.url === url);
  if (feed === undefined) return null;
  const fresh: FeedEntry[] = [];
  let next: Subscription;
  switch (result.kind) {
    case 'failed':
      next = { ...feed, checkedAtMs: nowMs, failures: feed.failures + 1 };
      break;
    case 'not-modified':
      next = { ...feed, checkedAtMs: nowMs, failures: 0 };
      break;
    case 'feed': {
      const seen = new Set(feed.seen);
      for (const entry of result.entries.slice(0, SEEN_KEYS)) {
        if (seen.has(entry.key)) continue;
        seen.add(entry.key);
        fresh.push(entry);
      }
      const { etag: _etag, lastModified: _lastModified, ttlMinutes: _ttl, ...rest } = feed;
      next = {
        ...rest,
        seen: keysOf(result.entries, feed.seen),
        ...validators(result),
        ...(result.ttlMinutes === null ? {} : { ttlMinutes: result.ttlMinutes }),
        ...newestOf(result.entries, feed.newestAtMs),
        checkedAtMs: nowMs,
        failures: 0,
      };
      break;
    }
  }
  return { data: { ...data, feeds: data.feeds.map((f) => (f === feed ? next : f)) }, fresh };
}

/** The validators to send next time: both or neither are what the feed last gave. */
function validators(from: { etag: string | undefined; lastModified: string | undefined }) {
  return {
    ...(from.etag === undefined ? {} : { etag: from.etag }),
    ...(from.lastModified === undefined ? {} : { lastModified: from.lastModified }),
  };
}

/** The keys of the feed's newest items, then those seen before that it no longer carries, at most {@link SEEN_KEYS}. */
function keysOf(entries: readonly FeedEntry[], seenBefore: readonly string[]): string[] {
  return [...new Set([...entries.slice(0, SEEN_KEYS).map((e) => e.key), ...seenBefore])].slice(0, SEEN_KEYS);
}

function newestOf(entries: readonly FeedEntry[], before?: number): { newestAtMs?: number } {
  const newest = entries.reduce((max, e) => Math.max(max, e.publishedMs ?? -Infinity), before ?? -Infinity);
  return Number.isFinite(newest) ? { newestAtMs: newest } : {};
}

/** Two feed URLs are the same feed when they differ only in case of the host or a trailing slash. */
export function sameUrl(a: string, b: string): boolean {
  const key = (url: string) => {
    try {
      const u = new URL(url);
      return `${u.protocol}//${u.host}${u.pathname.replace(/\/$/, '')}${u.search}`;
    } catch {
      return url;
    }
  };
  return key(a) === key(b);
}
