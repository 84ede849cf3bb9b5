import { afterEach, describe, expect, it } from 'vitest';
import { BUILTIN_PLUGINS, type PluginHost } from '../../../src/plugins/index.js';
import { moviesPlugin } from '../../../src/plugins/integrations/movies/movies-plugin.js';
import { TMDB_INVALID_KEY, tmdbApi, UpstreamEmulator } from '../../../src/sandbox/index.js';
import { CapturingLogger } from '../../support/capturing-logger.js';
import { chatActorHarness } from '../../support/chat-actor-harness.js';
import { upstreamFaultCases } from '../../support/upstream-faults.js';
import { callOf, chatAccess, hostOf, live } from '../../support/plugin-kit.js';

const G = -3100;
/** A v3 API key and a v4 read access token, as TMDB issues them (made up). */
const API_KEY = '3f9c2a7be15d4c8e9a06b7d2c4e1f583';
const READ_TOKEN =
  'eyJhbGciOiJIUzI1NiJ9.eyJhdWQiOiIzZjljMmE3YmUxNWQ0YzhlIiwic2NvcGVzIjpbImFwaV9yZWFkIl19.q1Vx8mP3dK7sR2wT9yZ4bN6cF0hJ5lA';

/** The chat's admin. */
const ADMIN = { id: 6, firstName: 'Петя' };

const open: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((o) => o.close()));
});

async function setUp(options: { key?: string | null; env?: Record<string, string>; faultHoldMs?: number } = {}) {
  const emulator = await UpstreamEmulator.start({
    apis: [tmdbApi],
    ...(options.faultHoldMs === undefined ? {} : { faultHoldMs: options.faultHoldMs }),
  });
  open.push(emulator);
  const logger = new CapturingLogger();
  const key = options.key === undefined ? API_KEY : options.key;
  const { host } = await hostOf([...BUILTIN_PLUGINS, moviesPlugin], {
    env: { ...emulator.env(), ...(key === null ? {} : { TMDB_API_KEY: key }), ...options.env },
    logger,
  });
  open.push(host);
  const h = chatActorHarness({ plugins: host, admins: [ADMIN.id] });
  /** Sends `text` to the chat (from a new member unless `from` says) and waits for the answer. */
  const ask = async (text: string, from?: { id: number; firstName: string }): Promise<string> => {
    const answer = await h.ask(G, text, from);
    expect(answer.length).toBeLessThan(4096);
    return answer;
  };
  const requests = () => emulator.stats().requests['tmdb'] ?? 0;
  return { emulator, host, h, logger, ask, requests };
}

/** A command run straight on the host, in English unless told. */
async function run(host: PluginHost, command: string, args: string, choices = {}, language: 'en' | 'ru' = 'en') {
  const { texts } = await host.runCommand(G, callOf('movies', command, args, language), choices, chatAccess(G), live);
  expect(texts).toHaveLength(1);
  expect(texts[0]!.length).toBeLessThan(4096);
  return texts[0]!;
}

describe('/movie through the chat', () => {
  it('answers in Russian with title, rating, genres, runtime, plot, where to watch and other matches', async () => {
    const { ask } = await setUp();
    expect(await ask('/movie Дюна')).toBe(
      [
        '🎬 Дюна (Dune, 2021)',
        '★ 7,8/10 · голосов: 12\u00a0560',
        'фантастика, приключения · 2 ч 35 мин',
        'Пол Атрейдес прибывает с семьёй на пустынную планету Арракис — единственный источник самого ценного ' +
          'вещества во вселенной. После предательства он становится беглецом среди народа пустыни.',
        '📺 Где смотреть (US): подписка — Netflix, Max; аренда — Apple TV, Google Play Movies; покупка — Apple TV, Google Play Movies',
        'Ещё нашлось: Дюна (Dune, 1984); Дюна: Часть вторая (Dune: Part Two, 2024)',
      ].join('\n'),
    );
  });

  it('answers in English, finding a film by its title in another language', async () => {
    const { host } = await setUp();
    const text = await run(host, 'movie', 'Начало');
    expect(text.split('\n').slice(0, 3)).toEqual([
      '🎬 Inception (2010)',
      '★ 8.4/10 · 36,120 votes',
      'Action, Science Fiction, Adventure · 2h 28m',
    ]);
    expect(text).toContain('📺 Where to watch (US): stream — Netflix, Max');
  });

  it('narrows by a year, and takes a number that is part of the title as the title', async () => {
    const { ask } = await setUp();
    expect(await ask('/movie Дюна (1984)')).toMatch(/^🎬 Дюна \(Dune, 1984\)\n★ 6,3\/10/);
    expect(await ask('/movie Бегущий по лезвию 2049')).toMatch(
      /^🎬 Бегущий по лезвию 2049 \(Blade Runner 2049, 2017\)/,
    );
    expect(await ask('/movie Брат 2')).toMatch(/^🎬 Брат 2 \(2000\)/);
  });

  it('says when nothing is found: the title in other years when a year narrowed it, else how to ask', async () => {
    const { ask, host } = await setUp();
    expect(await ask('/movie Дюна 1990')).toBe(
      'Фильма «Дюна» (1990) не нашёл. Есть такие: Дюна (Dune, 2021); Дюна (Dune, 1984); Дюна: Часть вторая (Dune: Part Two, 2024)',
    );
    expect(await ask('/movie Абырвалг')).toBe(
      'Не нашёл фильм «Абырвалг». Попробуй оригинальное название или добавь год: /movie Дюна 2021',
    );
    expect(await run(host, 'movie', '')).toBe('Which film? For example: /movie Dune 2021');
  });

  it('shows where to watch in the region the chat chose, and nothing where the film is not offered', async () => {
    const { host } = await setUp();
    const inRussia = { movies: { settings: { region: 'ru' } } };
    expect(await run(host, 'movie', 'Начало', inRussia, 'ru')).toContain(
      '📺 Где смотреть (RU): подписка — Kinopoisk, Okko; аренда — Okko, Ivi',
    );
    const interstellar = await run(host, 'movie', 'Interstellar');
    expect(interstellar).toMatch(/^🎬 Interstellar \(2014\)/);
    expect(interstellar).not.toContain('Where to watch');
  });

  it('lets a chat admin choose the region from Telegram, never the key', async () => {
    const { ask } = await setUp();
    expect(await ask('/plugin set movies region RU', ADMIN)).toBe('movies: region = RU в этом чате.');
    expect(await ask('/movie Начало')).toContain(
      '📺 Где смотреть (RU): подписка — Kinopoisk, Okko; аренда — Okko, Ivi',
    );
    expect(await ask('/plugin set movies apiKey stolen', ADMIN)).toBe(
      '«apiKey» у movies в чате не меняется. Можно: region.',
    );
    expect(await ask('/plugin set movies region Russia', ADMIN)).toMatch(/^movies: «region» так не получится/);
  });

  it('serves a repeated film from its cache: one search, details and offers for two asks', async () => {
    const { ask, requests } = await setUp();
    const first = await ask('/movie Матрица');
    expect(requests()).toBe(3);
    expect(await ask('/movie Матрица')).toBe(first);
    expect(requests()).toBe(3);
  });
});

describe('/movies', () => {
  it('lists the ten films trending this week, alone or with "trending", from the cache the second time', async () => {
    const { ask, host, requests } = await setUp();
    const list = await ask('/movies');
    const lines = list.split('\n');
    expect(lines[0]).toBe('🔥 Фильмы недели:');
    expect(lines.slice(1, 11).map((l) => /^(\d+)\. .+ \(\d{4}\) ★ \d,\d$/.exec(l)?.[1])).toEqual([
      '1',
      '2',
      '3',
      '4',
      '5',
      '6',
      '7',
      '8',
      '9',
      '10',
    ]);
    expect(lines[11]).toBe('Подробнее: /movie <название>');
    expect(await ask('/movies trending')).toBe(list);
    expect(requests()).toBe(1);
    const english = await run(host, 'movies', 'trending');
    expect(english.split('\n')[0]).toBe('🔥 Trending films this week:');
  });

  it('takes other words as a title', async () => {
    const { host } = await setUp();
    expect(await run(host, 'movies', 'Gladiator')).toMatch(/^🎬 Gladiator \(2000\)/);
  });
});

describe('the movie tools', () => {
  it('let the model look a film up, by title and year, and list the trending films', async () => {
    const { host } = await setUp();
    const caller = { chatId: G, userId: 5, language: 'en' as const, messageId: 1 };
    const tool = (name: string, args: object) =>
      host.runTool(caller, { id: 'c1', name, arguments: JSON.stringify(args) }, {}, chatAccess(G), live);
    expect(await tool('movie', { title: 'Дюна', year: 1984 })).toMatch(/^🎬 Dune \(1984\)\n★ 6\.3\/10/);
    expect(await tool('movie', { title: 'Parasite' })).toMatch(/^🎬 Parasite \(기생충, 2019\)/);
    expect(await tool('movies', {})).toMatch(/^🔥 Trending films this week:\n1\. /);
    expect(await tool('movie', {})).toMatch(/^error: bad arguments: title/);
  });
});

describe('the movie service failing', () => {
  const cases = upstreamFaultCases('Сервис фильмов');

  it.each(cases)('answers %s in persona, and answers again once it is over', async (_name, fault, line) => {
    const { ask, emulator, host } = await setUp({ faultHoldMs: 5_000, env: { PLUGIN_MOVIES_TIMEOUT_MS: '300' } });
    emulator.fault({ ...fault, upstream: 'tmdb' });
    expect(await ask('/movie Титаник')).toBe(line);
    expect(host.info('movies').stats.failures).toBe(1);
    expect(await ask('/movie Титаник')).toMatch(/^🎬 Титаник \(Titanic, 1997\)/);
  });
});

describe('the TMDB credential', () => {
  it('keeps the plugin off without one, saying what it needs, until an operator sets it', async () => {
    const { ask, host, requests } = await setUp({ key: null });
    expect(host.info('movies').unavailable).toBe('needs TMDB_API_KEY (a TMDB API key or read access token)');
    expect(await ask('/movie Дюна')).toBe('/movie у этого бота пока не настроена: её подключает владелец бота.');
    expect(requests()).toBe(0);
    await host.setSettings('movies', { apiKey: READ_TOKEN });
    expect(host.info('movies').unavailable).toBeNull();
    expect(host.info('movies').settings['apiKey']).toBe('********');
    expect(await ask('/movie Дюна')).toMatch(/^🎬 Дюна \(Dune, 2021\)/);
  });

  it.each([
    ['an API key', API_KEY],
    ['a read access token', READ_TOKEN],
  ])('sends %s the way TMDB takes it, caches its answers and never shows or logs it', async (_kind, key) => {
    const { ask, logger, requests } = await setUp({ key });
    const answers = [await ask('/movie Джокер'), await ask('/movie Джокер'), await ask('/movies')];
    expect(answers[0]).toMatch(/^🎬 Джокер \(Joker, 2019\)/);
    expect(answers[1]).toBe(answers[0]);
    expect(requests()).toBe(4);
    expect(JSON.stringify(answers)).not.toContain(key);
    expect(JSON.stringify(logger.lines)).not.toContain(key);
  });

  it('answers a refused key in persona, logs it as a configuration problem without the key, and counts it', async () => {
    const refused = `${READ_TOKEN.split('.').slice(0, 2).join('.')}.${TMDB_INVALID_KEY}`;
    const { ask, logger, host } = await setUp({ key: refused });
    expect(await ask('/movie Дюна')).toBe(
      'Сервис фильмов не принимает наш ключ, так что фильмы пока не ищу. Админам бота надо поправить настройки.',
    );
    expect(await run(host, 'movies', '')).toBe(
      "The movie service refuses our key, so I can't look films up. The bot's admins need to fix its settings.",
    );
    const configuration = logger.lines.filter((l) => l.msg.includes('TMDB refuses the configured credential'));
    expect(configuration).toHaveLength(2);
    expect(configuration[0]).toMatchObject({
      level: 'error',
      obj: { plugin: 'movies', credential: 'read access token' },
    });
    expect(JSON.stringify(logger.lines)).not.toContain(refused);
    expect(host.info('movies').stats.failures).toBe(2);
  });

  it('refuses the key the emulator documents as invalid when it is sent as an API key', async () => {
    const { host } = await setUp({ key: TMDB_INVALID_KEY });
    expect(await run(host, 'movie', 'Dune')).toMatch(/^The movie service refuses our key/);
  });
});
