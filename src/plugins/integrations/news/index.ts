import { z } from 'zod';
import { phrasebookFor } from '../../../chat/index.js';
import { definePlugin } from '../../define-plugin.js';
import { type CommandContext, PluginFailure } from '../../plugin-api.js';
import type { PluginHttpClient } from '../../plugin-http.js';
import { say } from '../integration-kit.js';
import type { FeedEntry } from './feed-parse.js';
import { readFeed } from './feed-reader.js';
import { checkFeedUrl, parseFeedCommand, topicScore, topicStems } from './news-args.js';
import { MAX_FEEDS, newsDataSchema, subscribe, type SubscribeOutcome, unsubscribe } from './news-data.js';
import { addedText, addFailureText, feedListText, headlinesText } from './news-format.js';
import { pollFeeds } from './news-poll.js';

/** The biggest feed read: real news feeds are tens to hundreds of KiB; podcasts with every episode ever are not news. */
const MAX_FEED_BYTES = 2 * 1024 * 1024;

/** How long `/news` reuses a feed that sends no caching headers. */
const NEWS_CACHE_MS = 5 * 60_000;

const settings = z.object({
  /** What `/news` reads in a chat that follows no feeds of its own. */
  defaultFeeds: z
    .array(z.url({ protocol: /^https?$/ }))
    .max(10)
    .default(['https://meduza.io/rss/all', 'https://feeds.bbci.co.uk/news/world/rss.xml']),
  /** How often a chat's feeds are polled (a feed's `<ttl>` may ask for longer); the job runs every 5 minutes. */
  pollMinutes: z.number().int().min(5).max(1440).default(30),
  /** How many feeds a chat may follow: their state lives in the chat's 64 KiB of plugin data. */
  maxFeeds: z.number().int().min(1).max(MAX_FEEDS).default(10),
  /** How many headlines `/news` shows. */
  maxItems: z.number().int().min(1).max(20).default(5),
  /** Lets feeds on private addresses (loopback, LAN, link-local) be read: for tests and the sandbox only. */
  allowPrivateHosts: z.boolean().default(false),
  timeoutMs: z.number().int().min(100).max(60_000).default(5000),
  /**
   * The most feed requests the bot sends a minute, all sites together. Feeds
   * publish no limits to share; this caps the bot's own bursts (many chats
   * asking /news at once), while each feed is polled no more often than its
   * interval and `<ttl>` allow.
   */
  requestsPerMinute: z.number().int().min(1).max(1_000_000).default(1200),
});

type Settings = z.output<typeof settings>;

/**
 * News from RSS and Atom feeds: `/news [topic]` shows the latest headlines
 * of the chat's feeds (or the default ones), `/feed add|list|remove`
 * manages the chat's feeds, and a job polls them every five minutes for
 * the ones whose time has come, posting what is new.
 */
export const newsPlugin = definePlugin({
  name: 'news',
  version: '1.0.0',
  kind: 'integration',
  description: {
    en: 'News from RSS and Atom feeds',
    ru: 'Новости из RSS- и Atom-лент',
    uk: 'Новини з RSS- і Atom-стрічок',
  },
  settings,
  chatSettings: ['pollMinutes', 'maxItems'],
  setup(p) {
    // Feeds live anywhere: one client for every origin, and one more that may reach private addresses, used
    // only where allowPrivateHosts is on (the setting may change while the bot runs).
    const client = (allowPrivateHosts: boolean) =>
      p.http({
        anyOrigin: true,
        allowPrivateHosts,
        timeoutMs: p.settings.timeoutMs,
        retries: 2,
        cacheTtlMs: NEWS_CACHE_MS,
        maxResponseBytes: MAX_FEED_BYTES,
        rateLimit: { perMinute: p.settings.requestsPerMinute },
        headers: {
          accept:
            'application/rss+xml, application/atom+xml, application/rdf+xml;q=0.9, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5',
          'user-agent': 'Lekha-News/1.0 (feed reader)',
        },
      });
    const guarded = client(false);
    const open = client(true);
    const httpFor = (allowPrivateHosts: boolean): PluginHttpClient => (allowPrivateHosts ? open : guarded);

    p.command('news', (ctx) => news(ctx, httpFor(ctx.settings.allowPrivateHosts)), {
      description: {
        en: 'latest headlines from the news feeds',
        ru: 'свежие новости из лент',
        uk: 'свіжі новини зі стрічок',
      },
      args: { en: '[topic]', ru: '[тема]', uk: '[тема]' },
      tool: {
        // Few common words: the sandbox's model emulator picks a tool by the words of its description.
        description: 'Latest news headlines and links, optionally filtered by topic.',
        parameters: z.object({
          topic: z.string().max(100).optional().describe('Words the headlines should be about; omit for all news'),
        }),
        args: ({ topic }) => topic ?? '',
      },
    });

    p.command('feed', (ctx) => feed(ctx, httpFor(ctx.settings.allowPrivateHosts)), {
      description: {
        en: "the chat's news feeds: add, list, remove",
        ru: 'ленты новостей чата: добавить, список, удалить',
        uk: 'стрічки новин чату: додати, список, видалити',
      },
      args: {
        en: 'add <link> | list | remove <id>',
        ru: 'add <ссылка> | list | remove <номер>',
        uk: 'add <посилання> | list | remove <номер>',
      },
    });

    // As often as the shortest interval a chat may choose: each run reads every chat's data (a copy of the
    // chat), so running more often would cost that much more and deliver nothing sooner.
    p.every('5m', (ctx) => pollFeeds(ctx, httpFor), { name: 'poll', missedRuns: 'skip' });
  },
});

/** `/news [topic]`. */
async function news(ctx: CommandContext<Settings>, http: PluginHttpClient): Promise<string> {
  const { feeds } = await ctx.data(newsDataSchema).get();
  const urls = feeds.length > 0 ? feeds.map((f) => f.url) : ctx.settings.defaultFeeds;
  if (urls.length === 0)
    return say(ctx.language, {
      en: 'There are no news feeds here yet. Add one: /feed add <link>',
      ru: 'Лент новостей тут пока нет. Добавь: /feed add <ссылка>',
      uk: 'Стрічок новин тут поки немає. Додай: /feed add <посилання>',
    });
  const reads = await Promise.all(urls.map((url) => readFeed(http, url, ctx.signal, { cached: true })));
  const answered = reads.flatMap((r) => (r.kind === 'feed' ? [r.feed] : []));
  if (answered.length === 0)
    throw new PluginFailure(
      say(ctx.language, {
        en: "The news feeds aren't answering right now. Try again a bit later.",
        ru: 'Ленты новостей сейчас не отвечают. Попробуй чуть позже.',
        uk: 'Стрічки новин зараз не відповідають. Спробуй трохи згодом.',
      }),
    );
  const topic = ctx.args.trim().slice(0, 100);
  const stems = topicStems(topic);
  const seen = new Set<string>();
  const entries = answered
    .flatMap((feed) => feed.entries)
    .filter((entry) => !seen.has(entry.key) && seen.add(entry.key))
    .map((entry) => ({ entry, score: topicScore(entry, stems) }))
    .filter(({ score }) => score > 0)
    .sort((a, b) => b.score - a.score || (b.entry.publishedMs ?? 0) - (a.entry.publishedMs ?? 0))
    .map(({ entry }): FeedEntry => entry);
  return headlinesText(entries, {
    language: ctx.language,
    topic: stems.length === 0 ? '' : topic,
    maxItems: ctx.settings.maxItems,
    failedFeeds: urls.length - answered.length,
    feeds: urls.length,
  });
}

/** `/feed add <url>`, `/feed list`, `/feed remove <id>`. */
async function feed(ctx: CommandContext<Settings>, http: PluginHttpClient): Promise<string> {
  const command = parseFeedCommand(ctx.args);
  const store = ctx.data(newsDataSchema);
  if (command.action === 'list') {
    const { feeds } = await store.get();
    return feedListText(feeds, ctx.settings.maxFeeds, ctx.chat.settings().utcOffsetMinutes, ctx.language);
  }
  if (command.action === 'usage')
    return say(ctx.language, {
      en: 'Feeds of this chat: /feed add <link>, /feed list, /feed remove <id>',
      ru: 'Ленты чата: /feed add <ссылка>, /feed list, /feed remove <номер>',
      uk: 'Стрічки чату: /feed add <посилання>, /feed list, /feed remove <номер>',
    });
  // In a group only its admins change what the whole chat gets posted; in a private chat, its member.
  if (ctx.chatKind !== 'private' && !(await ctx.isAdmin())) return phrasebookFor(ctx.language).adminsOnly();
  if (command.action === 'remove') {
    if (command.id === null)
      return say(ctx.language, {
        en: 'Which one? /feed remove <id> (the ids are in /feed list)',
        ru: 'Какую? /feed remove <номер> (номера — в /feed list)',
        uk: 'Яку? /feed remove <номер> (номери — у /feed list)',
      });
    const id = command.id;
    const outcome = { removed: null as { title: string } | null };
    await store.update((current) => {
      const { data, removed } = unsubscribe(current, id);
      outcome.removed = removed;
      return data;
    });
    return outcome.removed === null
      ? say(ctx.language, {
          en: `There's no feed #${id}. See /feed list`,
          ru: `Ленты #${id} нет. Список: /feed list`,
          uk: `Стрічки #${id} немає. Список: /feed list`,
        })
      : say(ctx.language, {
          en: `Unsubscribed from “${outcome.removed.title}”.`,
          ru: `Отписал чат от «${outcome.removed.title}».`,
          uk: `Відписав чат від «${outcome.removed.title}».`,
        });
  }
  return addFeed(ctx, command.url, http);
}

async function addFeed(ctx: CommandContext<Settings>, text: string, http: PluginHttpClient): Promise<string> {
  const checked = checkFeedUrl(text);
  if (!checked.ok) return addFailureText(checked.reason, ctx.language);
  const store = ctx.data(newsDataSchema);
  // Cheap refusals first: no fetch for a feed the chat has, or for a full list.
  const before = subscribe(await store.get(), placeholder(checked.url, ctx), ctx.settings.maxFeeds).outcome;
  if (before.kind !== 'added') return refusal(before, ctx);
  const read = await readFeed(http, checked.url, ctx.signal);
  if (read.kind !== 'feed') {
    if (read.kind === 'not-modified') return addFailureText('not-feed', ctx.language);
    return addFailureText(read.failure, ctx.language, {
      status: read.status,
      feedLink: read.feedLink ?? null,
      maxBytes: MAX_FEED_BYTES,
    });
  }
  const outcome = { result: before as SubscribeOutcome };
  await store.update((current) => {
    const { data, outcome: result } = subscribe(
      current,
      {
        url: checked.url,
        title: read.feed.title ?? new URL(checked.url).host,
        addedBy: ctx.from.id,
        language: ctx.language,
        entries: read.feed.entries,
        etag: read.etag,
        lastModified: read.lastModified,
        ttlMinutes: read.feed.ttlMinutes,
      },
      ctx.settings.maxFeeds,
    );
    outcome.result = result;
    return data;
  });
  const result = outcome.result;
  if (result.kind !== 'added') return refusal(result, ctx);
  return addedText(result.feed, read.feed.entries, ctx.settings.pollMinutes, ctx.language);
}

/** A stand-in for checking duplicates and room before the feed is fetched. */
function placeholder(url: string, ctx: CommandContext<Settings>) {
  return {
    url,
    title: '',
    addedBy: ctx.from.id,
    language: ctx.language,
    entries: [],
    etag: undefined,
    lastModified: undefined,
    ttlMinutes: null,
  };
}

function refusal(outcome: Exclude<SubscribeOutcome, { kind: 'added' }>, ctx: CommandContext<Settings>): string {
  return outcome.kind === 'duplicate'
    ? say(ctx.language, {
        en: `The chat already follows that feed: #${outcome.feed.id} “${outcome.feed.title}”.`,
        ru: `Чат уже читает эту ленту: #${outcome.feed.id} «${outcome.feed.title}».`,
        uk: `Чат уже читає цю стрічку: #${outcome.feed.id} «${outcome.feed.title}».`,
      })
    : say(ctx.language, {
        en: `The chat follows ${outcome.count} feeds, the most it may. Remove one first: /feed remove <id>`,
        ru: `У чата уже ${outcome.count} лент — это максимум. Сначала удали какую-нибудь: /feed remove <номер>`,
        uk: `У чату вже ${outcome.count} стрічок — це максимум. Спершу видали якусь: /feed remove <номер>`,
      });
}
