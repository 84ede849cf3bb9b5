import { afterEach, describe, expect, it } from 'vitest';
import { type ChatState, parseChatState } from '../../../src/actors/index.js';
import { DEFAULT_CHAT_SETTINGS } from '../../../src/chat/index.js';
import { pluginOutbox } from '../../../src/plugin-wiring.js';
import { newsPlugin } from '../../../src/plugins/integrations/news/index.js';
import { BUILTIN_PLUGINS } from '../../../src/plugins/index.js';
import type { ChatDirectory } from '../../../src/ports/index.js';
import { feedsApi } from '../../../src/sandbox/upstreams/feeds.js';
import { UpstreamEmulator } from '../../../src/sandbox/upstreams/index.js';
import { chatActorHarness } from '../../support/chat-actor-harness.js';
import { freePort, waitFor } from '../../support/edge-harness.js';
import { callOf, chatAccess, hostOf, live } from '../../support/plugin-kit.js';

const G = -4100;
const G2 = -4200;
const MIN = 60_000;
/** Chat admins; each command comes from the next one, so the chat's per-member rate limit never bites. */
const ADMINS = Array.from({ length: 40 }, (_, i) => 1000 + i);
let turn = 0;
const admin = () => ({ id: ADMINS[turn++ % ADMINS.length]!, firstName: 'Админ' });
const member = () => ({ id: 2000 + turn++, firstName: 'Маша' });

const open: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((o) => o.close()));
});

async function startFeeds(): Promise<UpstreamEmulator> {
  const emulator = await UpstreamEmulator.start({ apis: [feedsApi], faultHoldMs: 5_000 });
  open.push(emulator);
  return emulator;
}

/**
 * The news plugin in a chat actor harness, its feeds on the emulator (a
 * 300 ms timeout, so a hung feed fails in about a second), with its polling
 * job run through the outbox the wiring builds over the chats' supervisor.
 */
async function setUp(
  o: { env?: Record<string, string>; emulator?: UpstreamEmulator; state?: () => ChatState | undefined } = {},
) {
  const emulator = o.emulator ?? (await startFeeds());
  const { host, logger } = await hostOf([...BUILTIN_PLUGINS, newsPlugin], {
    // The emulator is on 127.0.0.1, which the plugin refuses unless allowed.
    env: { ...emulator.env(), PLUGIN_NEWS_ALLOW_PRIVATE_HOSTS: 'true', PLUGIN_NEWS_TIMEOUT_MS: '300', ...o.env },
  });
  open.push(host);
  const h = chatActorHarness({ plugins: host, admins: ADMINS, ...(o.state === undefined ? {} : { state: o.state }) });
  const chats = new Set<number>([G]);
  const trusting = new Set<number>();
  const directory = {
    listChats: async () => ({ items: [...chats].map((id) => ({ id })), nextCursor: null }),
  } as unknown as ChatDirectory;
  const outbox = pluginOutbox(h.supervisor, directory, host);
  const url = (path: string) => emulator.baseUrl('feeds', path);
  const BBC = url('/bbc/news/world/rss.xml');
  const MEDUZA = url('/meduza/rss/all');
  const HABR = url('/habr/ru/rss/articles/');

  /** Runs until `promise` settles, letting the chats' turns (on the manual clock) run meanwhile. */
  async function settle<T>(promise: Promise<T>): Promise<T> {
    let settled = false;
    const watched = promise.finally(() => {
      settled = true;
    });
    await waitFor('it to settle', async () => (await h.clock.advance(0), settled));
    return watched;
  }

  /**
   * Sends a message to a chat and resolves to the bot's answer there. The
   * chat trusts links from everyone (its link filter would take the members
   * here, new to it, for spammers).
   */
  async function ask(chatId: number, text: string, from: { id: number; firstName: string } = admin()) {
    if (!trusting.has(chatId)) {
      trusting.add(chatId);
      await settle(
        h.supervisor.ask(chatId, (reply) => ({
          type: 'PatchSettings',
          patch: { links: { trustedAfterMessages: 0 } },
          reply,
        })),
      );
    }
    chats.add(chatId);
    const before = h.egress.sent.length;
    h.say(chatId, text, { from });
    await waitFor(text, async () => (await h.clock.advance(0), h.egress.sent.length > before));
    return h.egress.sent.at(-1)!.text;
  }

  /** Runs the polling job as due at `atMs` and resolves to what it posted. */
  async function poll(atMs: number) {
    const before = h.egress.sent.length;
    await settle(host.runJob('news', 'poll', atMs, outbox, live));
    await h.clock.advance(0);
    return h.egress.sent.slice(before).map((s) => ({ chatId: s.chatId, text: s.text }));
  }

  async function control(method: string, path: string, body?: unknown) {
    const answer = await fetch(url(path), {
      method,
      ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    });
    return (await answer.json()) as Record<string, unknown>;
  }
  const publish = (feed: string, title: string) => control('POST', `/${feed}/items`, { title });
  const stats = async (feed: string) =>
    (await control('GET', `/${feed}/stats`)) as { fetches: number; notModified: number };

  return {
    emulator,
    host,
    h,
    logger,
    chats,
    outbox,
    url,
    BBC,
    MEDUZA,
    HABR,
    ask,
    poll,
    settle,
    publish,
    stats,
    control,
  };
}

const T0 = 1_700_000_000_000;

describe('the news plugin', () => {
  it('follows a feed after reading it, lists it and removes it, for admins only in a group', async () => {
    const { ask, BBC, MEDUZA, HABR } = await setUp({ env: { PLUGIN_NEWS_MAX_FEEDS: '2' } });
    expect(await ask(G, `/feed add ${HABR}`, member())).toBe('Это могут только админы чата.');
    const added = await ask(G, `/feed add ${BBC}`);
    expect(added).toBe(
      [
        '✅ Подписал чат на «BBC News» (#1). Свежее там:',
        '• Climate talks agree new fund for flood defences — https://www.bbc.com/news/articles/c0climate01o',
        '• Moscow metro opens its longest line after a decade of work — https://www.bbc.com/news/articles/c1metro0002o',
        '• Scientists revive seeds frozen for 30,000 years — https://www.bbc.com/news/articles/c2seeds0003o',
        'Новое буду присылать сюда, проверяю раз в 30 мин.',
      ].join('\n'),
    );
    // The same feed, however its URL is written.
    expect(await ask(G, `/feed add <${BBC}/>`)).toBe('Чат уже читает эту ленту: #1 «BBC News».');
    expect(await ask(G, `/feed добавить ${MEDUZA}`)).toMatch(/^✅ Подписал чат на «Meduza\.io» \(#2\)/);
    expect(await ask(G, `/feed add ${HABR}`)).toBe(
      'У чата уже 2 лент — это максимум. Сначала удали какую-нибудь: /feed remove <номер>',
    );
    const list = await ask(G, '/feed list', member());
    expect(list.split('\n')).toEqual([
      '📋 Ленты чата (2 из 2):',
      expect.stringMatching(
        new RegExp(`^#1 BBC News — ${escape(BBC)} \\(обновлялась \\d\\d\\.\\d\\d \\d\\d:\\d\\d\\)$`),
      ),
      expect.stringMatching(new RegExp(`^#2 Meduza\\.io — ${escape(MEDUZA)} \\(обновлялась `)),
    ]);
    expect(await ask(G, '/feed remove 1', member())).toBe('Это могут только админы чата.');
    expect(await ask(G, '/feed remove 1')).toBe('Отписал чат от «BBC News».');
    expect(await ask(G, '/feed remove #1')).toBe('Ленты #1 нет. Список: /feed list');
    expect(await ask(G, '/feed remove')).toBe('Какую? /feed remove <номер> (номера — в /feed list)');
    expect(await ask(G, '/feed')).toBe('Ленты чата: /feed add <ссылка>, /feed list, /feed remove <номер>');
    expect((await ask(G, '/feed list')).split('\n')).toHaveLength(2);
    // In a private chat its member decides.
    expect(await ask(42, `/feed add ${HABR}`, { id: 42, firstName: 'Соло' })).toMatch(
      /^✅ Подписал чат на «Все статьи/,
    );
  });

  it('explains each link it cannot follow, in Russian and English', async () => {
    const { ask, url, control, host } = await setUp();
    const closed = `http://127.0.0.1:${await freePort()}/rss.xml`;
    await control('POST', '/bbc/outage', { kind: '5xx' });
    await control('POST', '/habr/outage', { kind: 'malformed' });
    await control('POST', '/node/outage', { kind: 'timeout' });
    const cases: Array<[string, string | RegExp]> = [
      ['not a link', 'Это не похоже на ссылку. Пиши так: /feed add https://example.org/rss'],
      ['ftp://example.org/feed.xml', 'Я читаю только ленты по http(s).'],
      [url('/meduza/'), `Это страница, а не лента. Её лента вот: /feed add ${url('/meduza/rss/all')}`],
      [url('/nowhere/rss.xml'), 'По этой ссылке ничего нет (404). Проверь адрес.'],
      [url('/bbc/news/world/rss.xml'), 'Сайт сейчас толком не отвечает (503). Попробуй позже.'],
      [url('/huge/feed.xml'), 'Эта лента слишком большая (больше 2 МБ) — такую я не читаю.'],
      [url('/habr/ru/rss/articles/'), 'Это не RSS- и не Atom-лента. Поищи на сайте ссылку «RSS».'],
      [closed, 'Не могу достучаться до сайта: он не отвечает.'],
      [url('/github/nodejs/node/releases.atom'), 'Не могу достучаться до сайта: он не отвечает.'],
    ];
    for (const [link, answer] of cases) expect(await ask(G, `/feed add ${link}`), link).toEqual(answer);
    expect(await ask(G, '/feed list')).toBe(
      'У чата нет своих лент: /news читает ленты по умолчанию. Добавить: /feed add <ссылка>',
    );
    // Маша is an admin of this chat; one access, so her changes stay for the next command.
    const access = chatAccess(G, [5]);
    const english = { ...access, view: { ...access.view, settings: () => DEFAULT_CHAT_SETTINGS } };
    const inEnglish = async (args: string) =>
      (await host.runCommand(G, callOf('news', 'feed', args, 'en'), {}, english, live)).texts[0];
    expect(await inEnglish('add not a link')).toBe(
      "That doesn't look like a link. Try /feed add https://example.org/rss",
    );
    expect(await inEnglish(`add ${url('/huge/feed.xml')}`)).toBe("That feed is too big (over 2 MB): I won't read it.");
    expect(await inEnglish(`add ${url('/meduza/')}`)).toBe(
      `That's a web page, not a feed. Its feed is here: /feed add ${url('/meduza/rss/all')}`,
    );
    expect(await inEnglish(`add ${url('/slashdot/Slashdot/slashdotMain')}`)).toMatch(
      /^✅ The chat now follows “Slashdot” \(#1\)\. Latest there:\n• Linux 6\.18 Released/,
    );
    expect(await inEnglish('list')).toMatch(
      /^📋 The chat's feeds \(1 of 10\):\n#1 Slashdot — .* \(updated \d{1,2} \w{3} \d\d:\d\d\)$/,
    );
  });

  it('gives the same answers for the emulator’s generic faults: 429 after the retries, and a malformed body', async () => {
    const { ask, emulator, BBC } = await setUp();
    // Each try in other words: the chat takes the same text again and again for spam.
    emulator.fault({ kind: '429', upstream: 'feeds', count: 3, retryAfterS: 0 });
    expect(await ask(G, `/feed add ${BBC}`)).toBe('Сайт сейчас толком не отвечает (429). Попробуй позже.');
    emulator.fault({ kind: 'malformed', upstream: 'feeds' });
    expect(await ask(G, `/feed добавить ${BBC}`)).toBe('Это не RSS- и не Atom-лента. Поищи на сайте ссылку «RSS».');
    expect(emulator.stats().faults).toMatchObject({ '429': 3, malformed: 1 });
    expect(await ask(G, `/feed + ${BBC}`)).toMatch(/^✅ Подписал чат на «BBC News» \(#1\)/);
  });

  it('refuses feeds on private addresses unless allowPrivateHosts is on, never reaching them', async () => {
    const { ask, emulator, url } = await setUp({ env: { PLUGIN_NEWS_ALLOW_PRIVATE_HOSTS: 'false' } });
    const port = new URL(emulator.url).port;
    const refused = 'Эта ссылка ведёт во внутреннюю сеть — такие адреса я не открываю.';
    for (const link of [
      url('/bbc/news/world/rss.xml'),
      `http://localhost:${port}/feeds/bbc/news/world/rss.xml`,
      `http://[::ffff:127.0.0.1]:${port}/feeds/bbc/news/world/rss.xml`,
      'http://169.254.169.254/latest/meta-data/',
      'http://10.0.0.1/feed.xml',
    ])
      expect(await ask(G, `/feed add ${link}`), link).toBe(refused);
    expect(emulator.stats().requests['feeds']).toBe(0);
  });

  it('posts a feed’s new items once, asking with its validators and taking a 304 for nothing new', async () => {
    const { ask, poll, publish, stats, host, BBC } = await setUp();
    expect(host.info('news').jobs).toEqual([{ name: 'poll', schedule: 'every 300s' }]);
    await ask(G, `/feed add ${BBC}`);
    // Never polled: due at once, and unchanged since it was added.
    expect(await poll(T0)).toEqual([]);
    expect(await stats('bbc')).toMatchObject({ fetches: 2, notModified: 1 });
    await publish('bbc', 'Breaking: a comet visible to the naked eye');
    expect(await poll(T0 + MIN)).toEqual([]);
    expect((await stats('bbc')).fetches).toBe(2);
    expect(await poll(T0 + 31 * MIN)).toEqual([
      {
        chatId: G,
        text: '📰 BBC News\n• Breaking: a comet visible to the naked eye — https://www.bbc.com/news/articles/emulated-1',
      },
    ]);
    expect(await poll(T0 + 62 * MIN)).toEqual([]);
    expect(await stats('bbc')).toMatchObject({ fetches: 4, notModified: 2 });
  });

  it('waits for a feed’s <ttl> when it is longer than the chat’s interval, and sums up a burst of items', async () => {
    const { ask, poll, publish, stats, BBC } = await setUp({ env: { PLUGIN_NEWS_POLL_MINUTES: '5' } });
    await ask(G, `/feed add ${BBC}`);
    await poll(T0);
    for (let i = 1; i <= 5; i++) await publish('bbc', `Item ${i}`);
    expect(await poll(T0 + 10 * MIN)).toEqual([]);
    expect((await stats('bbc')).fetches).toBe(2);
    const [post] = await poll(T0 + 16 * MIN);
    expect(post?.text.split('\n')).toEqual([
      '📰 BBC News',
      '• Item 5 — https://www.bbc.com/news/articles/emulated-5',
      '• Item 4 — https://www.bbc.com/news/articles/emulated-4',
      '• Item 3 — https://www.bbc.com/news/articles/emulated-3',
      '…и ещё 2',
    ]);
  });

  it('fetches a feed once for every chat that follows it, and gives each chat what is new to it', async () => {
    const { ask, poll, publish, stats, MEDUZA } = await setUp();
    await ask(G, `/feed add ${MEDUZA}`);
    await publish('meduza', 'Первое новое');
    // The second chat added it after that item: it has newer validators and has seen the item.
    await ask(G2, `/feed add ${MEDUZA}`);
    const fetched = (await stats('meduza')).fetches;
    expect(await poll(T0)).toEqual([
      { chatId: G, text: '📰 Meduza.io\n• Первое новое — https://meduza.io/news/emulated-1' },
    ]);
    // Their validators differ: one read of the feed as it is now for both (a 304 to the second chat's validators
    // would hide the item from the first).
    expect((await stats('meduza')).fetches).toBe(fetched + 1);
    await publish('meduza', 'Второе новое');
    const posts = await poll(T0 + 31 * MIN);
    expect(posts.map((p) => p.chatId).sort((a, b) => a - b)).toEqual([G2, G]);
    for (const post of posts)
      expect(post.text).toBe('📰 Meduza.io\n• Второе новое — https://meduza.io/news/emulated-2');
    // Now both hold the same validators: one conditional GET each time, answered 304 while nothing changes.
    expect(await poll(T0 + 62 * MIN)).toEqual([]);
    const before = await stats('meduza');
    expect(before.fetches).toBe(fetched + 3);
    expect(await poll(T0 + 93 * MIN)).toEqual([]);
    expect(await stats('meduza')).toEqual({
      ...before,
      fetches: before.fetches + 1,
      notModified: before.notModified + 1,
    });
  });

  it('backs off a feed that goes down (5xx, timeout, broken XML) and keeps polling the others', async () => {
    const { ask, poll, publish, stats, control, logger, BBC, HABR } = await setUp();
    await ask(G, `/feed add ${BBC}`);
    await ask(G, `/feed add ${HABR}`);
    await control('POST', '/bbc/outage', { kind: '5xx' });
    await publish('habr', 'Статья про акторы');
    expect(await poll(T0)).toEqual([
      { chatId: G, text: expect.stringMatching(/^📰 Все статьи подряд \/ Хабр\n• Статья про акторы — /) },
    ]);
    expect(await ask(G, '/feed list')).toMatch(/#1 BBC News — .* ⚠️ не отвечает \(1 раз подряд\)\)/);
    const afterFirst = (await stats('bbc')).fetches;
    // One failure: an hour (twice 30 min) before the next try; Habr keeps its half hour.
    await poll(T0 + 31 * MIN);
    expect((await stats('bbc')).fetches).toBe(afterFirst);
    expect((await stats('habr')).notModified).toBe(1);
    await control('DELETE', '/bbc/outage');
    await control('POST', '/bbc/outage', { kind: 'timeout' });
    const started = Date.now();
    await poll(T0 + 61 * MIN);
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    expect((await stats('bbc')).fetches).toBe(afterFirst + 1);
    await control('DELETE', '/bbc/outage');
    await control('POST', '/bbc/outage', { kind: 'malformed' });
    // Two failures: two hours.
    await poll(T0 + 150 * MIN);
    expect((await stats('bbc')).fetches).toBe(afterFirst + 1);
    await poll(T0 + 182 * MIN);
    expect((await stats('bbc')).fetches).toBe(afterFirst + 2);
    expect(await ask(G, '/feed list')).toMatch(/⚠️ не отвечает \(3 раз подряд\)/);
    // Back up: four hours after the third failure it is read again, and its news arrives.
    await control('DELETE', '/bbc/outage');
    await publish('bbc', 'Back on air');
    const posts = await poll(T0 + 182 * MIN + 241 * MIN);
    expect(posts.map((p) => p.text)).toContain(
      '📰 BBC News\n• Back on air — https://www.bbc.com/news/articles/emulated-1',
    );
    expect(await ask(G, '/feed list')).not.toMatch(/не отвечает/);
    // Logged by the feed's host and what failed, never by the URL a member gave.
    const failed = logger.lines.filter((l) => l.msg === 'news: a feed failed').map((l) => l.obj);
    expect(failed).toEqual([
      { plugin: 'news', failure: 'down', status: 503, host: new URL(BBC).host, chats: 1 },
      { plugin: 'news', failure: 'unreachable', status: null, host: new URL(BBC).host, chats: 1 },
      { plugin: 'news', failure: 'not-feed', status: 200, host: new URL(BBC).host, chats: 1 },
    ]);
  });

  it('shows the latest headlines of the default feeds, by topic, in Russian and English, reading each feed once', async () => {
    const { ask, host, stats } = await setUp();
    const latest = await ask(G, '/news');
    expect(latest.split('\n')).toEqual([
      '🗞 Свежие новости:',
      '• В Москве ожидается первый снег: синоптики обещают до минус трех — https://meduza.io/news/2025/11/12/v-moskve-ozhidaetsya-pervyy-sneg',
      '• Climate talks agree new fund for flood defences — https://www.bbc.com/news/articles/c0climate01o',
      '• Астрономы нашли у ближайшей звезды еще одну планету размером с Землю — https://meduza.io/news/2025/11/12/astronomy-nashli-planetu',
      '• Moscow metro opens its longest line after a decade of work — https://www.bbc.com/news/articles/c1metro0002o',
      '• Третьяковская галерея откроет выставку Айвазовского на три месяца раньше — https://meduza.io/news/2025/11/12/tretyakovka-ayvazovskiy',
    ]);
    expect(await ask(G, '/news про Москву')).toBe(
      '🗞 Новости по теме «про Москву»:\n• В Москве ожидается первый снег: синоптики обещают до минус трех — https://meduza.io/news/2025/11/12/v-moskve-ozhidaetsya-pervyy-sneg',
    );
    expect(await ask(G, '/news квантовая гравитация')).toBe(
      'По теме «квантовая гравитация» в лентах ничего нет. Попробуй другое слово или просто /news.',
    );
    const english = await host.runCommand(
      G,
      callOf('news', 'news', 'heatwave in Europe', 'en'),
      {},
      chatAccess(G),
      live,
    );
    expect(english.texts).toEqual([
      '🗞 Headlines on “heatwave in Europe”:\n• Heatwave warning for southern Europe as temperatures pass 40C — https://www.bbc.com/news/articles/c4heat00005o',
    ]);
    // Four answers, one read of each feed: the rest came from the client's cache.
    expect((await stats('meduza')).fetches).toBe(1);
    expect((await stats('bbc')).fetches).toBe(1);
    const fewer = await host.runCommand(
      G,
      callOf('news', 'news'),
      { news: { settings: { maxItems: 2 } } },
      chatAccess(G),
      live,
    );
    expect(fewer.texts[0]!.split('\n')).toHaveLength(3);
  });

  it('reads the chat’s own feeds for /news, noting those that do not answer, and fails in persona when none does', async () => {
    const { ask, HABR, BBC } = await setUp();
    await ask(G, `/feed add ${HABR}`);
    await ask(G, `/feed add ${BBC}`);
    expect(await ask(G, '/news погода')).toBe(
      '🗞 Новости по теме «погода»:\n• Погода из космоса: как устроены метеоспутники — https://habr.com/ru/articles/861003/?utm_campaign=861003&utm_source=habrahabr&utm_medium=rss',
    );
    const fresh = await setUp();
    await fresh.control('POST', '/bbc/outage', { kind: '5xx' });
    expect((await fresh.ask(G, '/news')).split('\n').at(-1)).toBe('(не ответили ленты: 1 из 2)');
    const down = await setUp();
    await down.control('POST', '/bbc/outage', { kind: '5xx' });
    await down.control('POST', '/meduza/outage', { kind: 'timeout' });
    expect(await down.ask(G, '/news')).toBe('Ленты новостей сейчас не отвечают. Попробуй чуть позже.');
  });

  it('answers the model’s tool call, and offers no tool that changes the chat', async () => {
    const { host } = await setUp();
    const caller = { chatId: G, userId: 5, language: 'ru', messageId: 1 };
    const answer = await host.runTool(
      caller,
      { id: 'c1', name: 'news', arguments: JSON.stringify({ topic: 'погода' }) },
      {},
      chatAccess(G),
      live,
    );
    expect(answer).toBe(
      '🗞 Новости по теме «погода»:\n• Погода в Петербурге: на выходных до плюс восьми и сильный ветер — https://meduza.io/news/2025/11/12/pogoda-v-peterburge',
    );
    const all = await host.runTool(caller, { id: 'c2', name: 'news', arguments: '{}' }, {}, chatAccess(G), live);
    expect(all.split('\n')[0]).toBe('🗞 Свежие новости:');
    const tools = host.toolsIn({}).map((t) => t.name);
    expect(tools).toContain('news');
    expect(tools).not.toContain('feed');
    expect(await host.runTool(caller, { id: 'c3', name: 'feed', arguments: '{}' }, {}, chatAccess(G), live)).toMatch(
      /^error: there is no tool named "feed"/,
    );
  });

  it('keeps a chat’s feeds and what it has seen when its actor restarts from a snapshot', async () => {
    const emulator = await startFeeds();
    const first = await setUp({ emulator });
    await first.ask(G, `/feed add ${first.BBC}`);
    await first.publish('bbc', 'Before the restart');
    expect(await first.poll(T0)).toHaveLength(1);
    const stored = parseChatState({ ...JSON.parse(JSON.stringify(await first.h.state(G))), lastUpdateId: -1 });
    stored.chat.lastMessageId = 0;
    const second = await setUp({ emulator, state: () => structuredClone(stored) });
    expect(await second.ask(G, '/feed list')).toMatch(/^📋 Ленты чата \(1 из 10\):\n#1 BBC News — /);
    expect(await second.poll(T0 + 31 * MIN)).toEqual([]);
    await second.publish('bbc', 'After the restart');
    expect(await second.poll(T0 + 62 * MIN)).toEqual([
      { chatId: G, text: '📰 BBC News\n• After the restart — https://www.bbc.com/news/articles/emulated-2' },
    ]);
  });

  it('never answers past Telegram’s limit', async () => {
    const { ask, url } = await setUp({ env: { PLUGIN_NEWS_MAX_ITEMS: '20' } });
    const long = (n: number) => `${url('/bbc/news/world/rss.xml')}?${'p'.repeat(380)}=${n}`;
    for (let i = 0; i < 10; i++) await ask(G, `/feed add ${long(i)}`);
    for (const text of [await ask(G, '/feed list'), await ask(G, '/news')]) expect(text.length).toBeLessThan(4096);
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
