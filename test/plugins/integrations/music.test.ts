import { afterEach, describe, expect, it } from 'vitest';
import { BUILTIN_PLUGINS, type PluginHost } from '../../../src/plugins/index.js';
import { musicPlugin } from '../../../src/plugins/integrations/music/music-plugin.js';
import { itunesApi, UpstreamEmulator } from '../../../src/sandbox/index.js';
import { CapturingLogger } from '../../support/capturing-logger.js';
import { chatActorHarness } from '../../support/chat-actor-harness.js';
import { upstreamFaultCases } from '../../support/upstream-faults.js';
import { callOf, chatAccess, hostOf, live } from '../../support/plugin-kit.js';

const G = -3200;

/** The chat's admin. */
const ADMIN = { id: 6, firstName: 'Петя' };

const open: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((o) => o.close()));
});

async function setUp(options: { env?: Record<string, string>; faultHoldMs?: number } = {}) {
  const emulator = await UpstreamEmulator.start({
    apis: [itunesApi],
    ...(options.faultHoldMs === undefined ? {} : { faultHoldMs: options.faultHoldMs }),
  });
  open.push(emulator);
  const logger = new CapturingLogger();
  const { host } = await hostOf([...BUILTIN_PLUGINS, musicPlugin], {
    env: { ...emulator.env(), ...options.env },
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
  const requests = () => emulator.stats().requests['itunes'] ?? 0;
  return { emulator, host, logger, ask, requests };
}

/** A command run straight on the host, in English unless told. */
async function run(host: PluginHost, command: string, args: string, choices = {}, language: 'en' | 'ru' = 'en') {
  const { texts } = await host.runCommand(G, callOf('music', command, args, language), choices, chatAccess(G), live);
  expect(texts).toHaveLength(1);
  expect(texts[0]!.length).toBeLessThan(4096);
  return texts[0]!;
}

describe('/song through the chat', () => {
  it('answers in Russian with artist — title (album, year, length) and a readable link', async () => {
    const { ask } = await setUp();
    const text = await ask('/song Кино Группа крови');
    const lines = text.split('\n');
    expect(lines[0]).toBe('🎵 Кино — Группа крови (Группа крови, 1988, 4:46)');
    expect(lines[1]).toMatch(/^https:\/\/music\.apple\.com\/us\/album\/группа-крови\/\d+\?i=\d+&uo=4$/);
  });

  it('answers in English, every song that holds the words asked', async () => {
    const { host } = await setUp();
    expect((await run(host, 'song', 'Queen Bohemian Rhapsody')).split('\n')[0]).toBe(
      '🎵 Queen — Bohemian Rhapsody (A Night At the Opera, 1975, 5:55)',
    );
    const champions = await run(host, 'song', 'queen we');
    expect(champions.split('\n').filter((l) => l.startsWith('🎵'))).toEqual([
      '🎵 Queen — We Will Rock You (News of the World, 1977, 2:02)',
      '🎵 Queen — We Are the Champions (News of the World, 1977, 2:59)',
    ]);
  });

  it('says when nothing matched, with the near matches the store found and how to ask', async () => {
    const { ask, host } = await setUp();
    expect(await ask('/song Кино Пачка папирос')).toBe(
      [
        'По запросу «Кино Пачка папирос» ничего не нашёл.',
        'Может, имелось в виду: Кино — Пачка сигарет (Звезда по имени Солнце, 1989, 4:28)',
        'Напиши исполнителя и название: /song Кино Группа крови',
      ].join('\n'),
    );
    expect(await ask('/song Абырвалг')).toBe(
      'По запросу «Абырвалг» ничего не нашёл.\nНапиши исполнителя и название: /song Кино Группа крови',
    );
    expect(await run(host, 'song', '')).toBe('Which song? For example: /song Queen Bohemian Rhapsody');
  });

  it('searches the store the chat chose, and says so when the store has no shop there', async () => {
    const { host } = await setUp();
    expect(await run(host, 'song', 'Земфира Искала', { music: { settings: { country: 'ru' } } }, 'ru')).toMatch(
      /^🎵 Земфира — Искала \(Прости меня моя любовь, 2000, 4:16\)\nhttps:\/\/music\.apple\.com\/ru\/album\//,
    );
    expect(await run(host, 'song', 'Земфира Искала', { music: { settings: { country: 'ZZ' } } })).toBe(
      "The music store has no shop for country ZZ. The chat's settings need another country.",
    );
  });

  it('lets a chat admin choose the store from Telegram', async () => {
    const { ask } = await setUp();
    expect(await ask('/plugin set music country ru', ADMIN)).toBe('music: country = ru в этом чате.');
    expect(await ask('/song Кино Кукушка')).toMatch(
      /^🎵 Кино — Кукушка \(Чёрный альбом, 1990, 6:38\)\nhttps:\/\/music\.apple\.com\/ru\/album\/черный-альбом\//,
    );
  });

  it('serves a repeated search from its cache', async () => {
    const { ask, requests } = await setUp();
    const first = await ask('/song Metallica Nothing Else Matters');
    expect(await ask('/song Metallica Nothing Else Matters')).toBe(first);
    expect(requests()).toBe(1);
  });
});

describe('/artist', () => {
  it('answers with the genre in the asker’s language and the latest albums, newest first', async () => {
    const { ask, host } = await setUp();
    const kino = (await ask('/artist Кино')).split('\n');
    expect(kino.slice(0, 2)).toEqual([
      '🎤 Кино — Рок',
      'Последние альбомы: Чёрный альбом (1990); Последний герой (1989); Звезда по имени Солнце (1989); Группа крови (1988)',
    ]);
    expect(kino[2]).toMatch(/^https:\/\/music\.apple\.com\/us\/artist\/кино\/\d+\?uo=4$/);
    const queen = (await run(host, 'artist', 'queen')).split('\n');
    expect(queen.slice(0, 2)).toEqual([
      '🎤 Queen — Rock',
      'Latest albums: The Game (1980); News of the World (1977); A Night At the Opera (1975)',
    ]);
  });

  it('says when there is no such artist, with near names', async () => {
    const { ask, host } = await setUp();
    expect(await ask('/artist Кино Сплин')).toBe(
      [
        'По запросу «Кино Сплин» ничего не нашёл.',
        'Может, имелось в виду: Кино; Сплин',
        'Напиши имя, как его пишут на обложках: /artist Кино',
      ].join('\n'),
    );
    expect(await run(host, 'artist', 'Abyrvalg')).toBe(
      'Nothing found for «Abyrvalg».\nTry the name as the store writes it: /artist Queen',
    );
  });

  it('serves a repeated artist from its cache: one search and one lookup for two asks', async () => {
    const { ask, requests } = await setUp();
    const first = await ask('/artist Radiohead');
    expect(await ask('/artist Radiohead')).toBe(first);
    expect(requests()).toBe(2);
  });
});

describe('the music tools', () => {
  it('let the model find a song and an artist', async () => {
    const { host } = await setUp();
    const caller = { chatId: G, userId: 5, language: 'ru' as const, messageId: 1 };
    const tool = (name: string, args: object) =>
      host.runTool(caller, { id: 'c1', name, arguments: JSON.stringify(args) }, {}, chatAccess(G), live);
    expect(await tool('song', { query: 'Пугачёва Миллион алых роз' })).toMatch(
      /^🎵 Алла Пугачёва — Миллион алых роз \(Как тревожен этот путь, 1982, 4:20\)/,
    );
    expect(await tool('artist', { name: 'Daft Punk' })).toMatch(/^🎤 Daft Punk — Электронная музыка\n/);
    expect(await tool('artist', {})).toMatch(/^error: bad arguments: name/);
  });
});

describe('the music store failing', () => {
  const cases = upstreamFaultCases('Музыкальный магазин');

  it.each(cases)('answers %s in persona, and answers again once it is over', async (_name, fault, line) => {
    const { ask, emulator, host, logger } = await setUp({
      faultHoldMs: 5_000,
      env: { PLUGIN_MUSIC_TIMEOUT_MS: '300' },
    });
    emulator.fault({ ...fault, upstream: 'itunes' });
    expect(await ask('/song Nirvana Smells Like Teen Spirit')).toBe(line);
    expect(host.info('music').stats.failures).toBe(1);
    expect(logger.lines.some((l) => l.level !== 'info' && (l.obj as { plugin?: string }).plugin === 'music')).toBe(
      true,
    );
    expect(await ask('/song Nirvana Smells Like Teen Spirit')).toMatch(
      /^🎵 Nirvana — Smells Like Teen Spirit \(Nevermind, 1991, 5:01\)/,
    );
  });
});
