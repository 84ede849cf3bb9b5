import type { ChatData, JobContext } from '../../plugin-api.js';
import type { PluginHttpClient } from '../../plugin-http.js';
import type { FeedEntry } from './feed-parse.js';
import { type FeedRead, readFeed, type Validators } from './feed-reader.js';
import { type NewsData, newsDataSchema, type PollResult, recordPoll, type Subscription, dueAtMs } from './news-data.js';
import { freshItemsText } from './news-format.js';

/** The settings polling reads (the news plugin's, in each chat). */
export interface PollSettings {
  pollMinutes: number;
  allowPrivateHosts: boolean;
}

/** Feeds fetched at once in a run: enough to get through many, few enough to be polite to a slow network. */
const CONCURRENT_FETCHES = 4;

/** A chat following a feed that is due. */
interface Follower {
  chatId: number;
  feed: Subscription;
  store: ChatData<NewsData>;
  allowPrivateHosts: boolean;
}

/**
 * One polling run: every feed of every chat where the plugin is on whose
 * time has come is fetched once however many chats follow it (a conditional
 * GET when they all hold the same validators), and each chat gets the items
 * new to it, recorded as seen before they are posted (a run done twice posts
 * nothing twice). A feed that fails counts a failure in each chat (which
 * makes it wait longer next time) and never stops the others.
 */
export async function pollFeeds<S extends PollSettings>(
  ctx: JobContext<S>,
  httpFor: (allowPrivateHosts: boolean) => PluginHttpClient,
): Promise<void> {
  const nowMs = ctx.scheduledAtMs;
  const byUrl = new Map<string, Follower[]>();
  for (const chatId of await ctx.chats()) {
    if (ctx.signal.aborted) return;
    try {
      const chat = await ctx.chat(chatId);
      const store = chat.data(newsDataSchema);
      for (const feed of (await store.get()).feeds) {
        if (dueAtMs(feed, chat.settings.pollMinutes) > nowMs) continue;
        const followers = byUrl.get(feed.url) ?? [];
        followers.push({ chatId, feed, store, allowPrivateHosts: chat.settings.allowPrivateHosts });
        byUrl.set(feed.url, followers);
      }
    } catch (err) {
      ctx.log.warn({ err, chatId }, 'news: could not read a chat’s feeds');
    }
  }
  // Longest unchecked first: a run cut short leaves the feeds polled most recently for the next one.
  const due = [...byUrl.entries()].sort(([, a], [, b]) => lastChecked(a) - lastChecked(b));
  await eachLimited(due, CONCURRENT_FETCHES, async ([url, followers]) => {
    if (ctx.signal.aborted) return;
    const http = httpFor(followers.every((f) => f.allowPrivateHosts));
    let read: FeedRead;
    try {
      read = await readFeed(http, url, ctx.signal, { validators: sharedValidators(followers) });
    } catch (err) {
      // Not the feed's doing (readFeed answers for those): counted as a failure all the same, so it waits longer.
      ctx.log.warn({ err, host: hostOf(url) }, 'news: reading a feed threw');
      read = { kind: 'failed', failure: 'not-feed', status: null };
    }
    if (read.kind === 'failed')
      ctx.log.info(
        { failure: read.failure, status: read.status, host: hostOf(url), chats: followers.length },
        'news: a feed failed',
      );
    const result = pollResult(read);
    for (const follower of followers) await deliver(ctx, follower, url, result, nowMs);
  });
}

async function deliver<S>(
  ctx: JobContext<S>,
  follower: Follower,
  url: string,
  result: PollResult,
  nowMs: number,
): Promise<void> {
  const found = { fresh: [] as FeedEntry[] };
  try {
    await follower.store.update((current) => {
      const recorded = recordPoll(current, follower.feed.id, url, result, nowMs);
      if (recorded === null) return current;
      found.fresh = recorded.fresh;
      return recorded.data;
    });
    if (found.fresh.length > 0)
      await ctx.post(follower.chatId, freshItemsText(follower.feed.title, found.fresh, follower.feed.language));
  } catch (err) {
    ctx.log.warn({ err, chatId: follower.chatId, feed: follower.feed.id }, 'news: could not record or post a poll');
  }
}

function pollResult(read: FeedRead): PollResult {
  switch (read.kind) {
    case 'feed':
      return {
        kind: 'feed',
        entries: read.feed.entries,
        etag: read.etag,
        lastModified: read.lastModified,
        ttlMinutes: read.feed.ttlMinutes,
      };
    case 'not-modified':
      return { kind: 'not-modified' };
    case 'failed':
      return { kind: 'failed' };
  }
}

/**
 * The validators to send: those every follower holds. Chats that added the
 * feed at different times may hold different ones, and a 304 to the newer
 * would hide from the others what they have not seen: then none are sent,
 * and the feed is read as it is now.
 */
function sharedValidators(followers: readonly Follower[]): Validators {
  const [first, ...rest] = followers;
  if (first === undefined) return {};
  const same = rest.every((f) => f.feed.etag === first.feed.etag && f.feed.lastModified === first.feed.lastModified);
  return same ? { etag: first.feed.etag, lastModified: first.feed.lastModified } : {};
}

function lastChecked(followers: readonly Follower[]): number {
  return Math.min(...followers.map((f) => f.feed.checkedAtMs ?? 0));
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return '(bad url)';
  }
}

/** Runs `task` over `items`, at most `limit` at a time. */
async function eachLimited<T>(items: readonly T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await task(items[next++] as T);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
