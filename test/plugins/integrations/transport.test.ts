import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BUILTIN_PLUGINS, type PluginHost } from '../../../src/plugins/index.js';
import { transportPlugin } from '../../../src/plugins/integrations/transport/index.js';
import { openMeteoGeocodingApi } from '../../../src/sandbox/upstreams/open-meteo-geocoding.js';
import { osrmApi } from '../../../src/sandbox/upstreams/osrm.js';
import { UpstreamEmulator, type UpstreamFaultKind } from '../../../src/sandbox/upstreams/index.js';
import { chatActorHarness } from '../../support/chat-actor-harness.js';
import { CapturingLogger } from '../../support/capturing-logger.js';
import { callOf, chatAccess, hostOf, live } from '../../support/plugin-kit.js';

const G = -901;
const CAR = /^🚗 На машине: \d+ км, (\d+ ч( \d+ мин)?|\d+ мин)$/u;
const BIKE = /^🚲 На велосипеде: \d+ км, (\d+ сут( \d+ ч)?|\d+ ч( \d+ мин)?)$/u;
const FOOT = /^🚶 Пешком: \d+ км, (\d+ сут( \d+ ч)?|\d+ ч( \d+ мин)?)$/u;

let emulator: UpstreamEmulator;
const hosts: PluginHost[] = [];

beforeAll(async () => {
  emulator = await UpstreamEmulator.start({ apis: [osrmApi, openMeteoGeocodingApi], faultHoldMs: 5000 });
});
afterEach(async () => {
  emulator.clearFaults();
  await Promise.all(hosts.splice(0).map((host) => host.close()));
});
afterAll(async () => {
  await emulator.close();
});

/**
 * A chat with the transport plugin on the emulator. The demo server's one
 * request a second is lifted to 50 (an own server's setting) unless a test keeps it.
 */
async function setUp(env: Record<string, string> = { PLUGIN_TRANSPORT_REQUESTS_PER_MINUTE: '3000' }) {
  const logger = new CapturingLogger();
  const { host } = await hostOf([...BUILTIN_PLUGINS, transportPlugin], { env: { ...emulator.env(), ...env }, logger });
  hosts.push(host);
  const h = chatActorHarness({ plugins: host });
  const ask = (text: string): Promise<string> => h.ask(G, text);
  const run = async (args: string, language: 'ru' | 'en' = 'en', choices = {}) =>
    (await host.runCommand(G, callOf('transport', 'route', args, language), choices, chatAccess(G), live)).texts.join(
      '\n',
    );
  return { host, ask, run, logger };
}

/** The emulator's own car route between two points, in kilometres. */
async function carKm(from: [number, number], to: [number, number]): Promise<number> {
  const url = `${emulator.env().ROUTING_BASE_URL}/route/v1/car/${from.join(',')};${to.join(',')}?overview=false`;
  const answer = (await (await fetch(url)).json()) as { routes: Array<{ distance: number }> };
  return Math.round(answer.routes[0]!.distance / 1000);
}

describe('the transport plugin', () => {
  it('answers /route with the distance and time by car, bike and on foot, in Russian, through the chat', async () => {
    const { ask } = await setUp();
    const lines = (await ask('/route Москва — Санкт-Петербург')).split('\n');
    expect(lines[0]).toBe('Москва, Россия → Санкт-Петербург, Россия');
    expect(lines[1]).toMatch(CAR);
    expect(lines[2]).toMatch(BIKE);
    expect(lines[3]).toMatch(FOOT);
    expect(lines).toHaveLength(4);
    const km = await carKm([37.61556, 55.75222], [30.31413, 59.93863]);
    expect(lines[1]).toContain(`: ${km} км, `);
  });

  it('reads the ways people write a route, and answers for the mode asked only', async () => {
    const { ask } = await setUp();
    const foot = (await ask('/route Москва - Тверь пешком')).split('\n');
    expect(foot[0]).toBe('Москва, Россия → Тверь, Тверская область, Россия');
    expect(foot).toHaveLength(2);
    expect(foot[1]).toMatch(FOOT);
    const bike = (await ask('/route от Москвы до Твери на велосипеде')).split('\n');
    expect(bike).toEqual([foot[0], expect.stringMatching(BIKE)]);
    expect((await ask('/route Ростов-на-Дону → Воронеж car')).split('\n')).toEqual([
      'Ростов-на-Дону, Ростовская область, Россия → Воронеж, Воронежская область, Россия',
      expect.stringMatching(CAR),
    ]);
  });

  it('answers in English', async () => {
    const { run } = await setUp();
    const lines = (await run('from London to Paris by car')).split('\n');
    expect(lines).toEqual([
      'London, England, United Kingdom → Paris, Île-de-France, France',
      expect.stringMatching(/^🚗 By car: \d+ km, \d+ h( \d+ min)?$/u),
    ]);
    const all = (await run('Berlin -> Prague')).split('\n');
    expect(all.slice(1).map((l) => l.split(':')[0])).toEqual(['🚗 By car', '🚲 By bike', '🚶 On foot']);
  });

  it('says when no road joins the places, and when they are one place', async () => {
    const { ask, run } = await setUp();
    expect(await ask('/route Москва — Нью-Йорк')).toBe(
      'Москва, Россия → Нью-Йорк, США: дороги туда нет — похоже, между ними море.',
    );
    expect(await run('Reykjavik — London foot')).toBe(
      'Reykjavík, Capital Region, Iceland → London, England, United Kingdom: no road joins them (there must be sea in between).',
    );
    expect(await ask('/route Москва — Moscow')).toBe('Это одно и то же место: ты уже на месте 🙂');
  });

  it('suggests near matches for a place it cannot find, and shows how to ask', async () => {
    const { ask, run } = await setUp();
    expect(await ask('/route Масква — Тверь')).toBe('Не нашёл «Масква». Может, ты про: Москва, Россия?');
    expect(await ask('/route Москва — Зюзюкино')).toBe(
      'Не нашёл «Зюзюкино» на карте. Проверь написание или напиши название полностью, например: /route Москва — Тверь',
    );
    expect(await ask('/route Москва')).toBe(
      'Откуда и куда? Пиши так: /route Москва — Тверь (можно добавить car, bike или foot — «пешком», «на велосипеде»)',
    );
    expect(await run('')).toBe(
      'From where to where? Like this: /route London — Paris (add car, bike or foot for one way of travel)',
    );
  });

  it('asks the route server once for the same route and mode', async () => {
    const { ask } = await setUp();
    const before = emulator.stats().requests;
    const first = await ask('/route Казань — Самара car');
    expect(await ask('/route Казань — Самара на машине')).toBe(first);
    const now = emulator.stats().requests;
    expect((now.osrm ?? 0) - (before.osrm ?? 0)).toBe(1);
    expect((now['open-meteo-geocoding'] ?? 0) - (before['open-meteo-geocoding'] ?? 0)).toBe(2);
  });

  it("keeps to the demo server's one request a second", async () => {
    const { ask } = await setUp({});
    const started = Date.now();
    const lines = (await ask('/route Омск — Новосибирск')).split('\n');
    expect(lines).toHaveLength(4);
    // Three profiles: the second and third wait for the next seconds.
    expect(Date.now() - started).toBeGreaterThanOrEqual(1900);
  });

  it('says so when the server answers every profile with car routes, and takes its own profile names', async () => {
    const demo = await setUp({
      PLUGIN_TRANSPORT_REQUESTS_PER_MINUTE: '3000',
      PLUGIN_TRANSPORT_PROFILES: JSON.stringify({ car: 'car', bike: 'demo', foot: 'demo' }),
    });
    const lines = (await demo.run('Kazan — Ufa')).split('\n');
    expect(lines[2]).toBe('🚲 By bike: the route server only knows car routes');
    expect(lines[3]).toBe('🚶 On foot: the route server only knows car routes');
    const named = await setUp({
      PLUGIN_TRANSPORT_REQUESTS_PER_MINUTE: '3000',
      PLUGIN_TRANSPORT_PROFILES: JSON.stringify({ car: 'driving', bike: 'cycling', foot: 'walking' }),
    });
    expect((await named.run('Kazan — Ufa')).split('\n')[2]).toMatch(/^🚲 By bike: \d+ km, \d+ d( \d+ h)?$/u);
  });

  it("serves the model's tool calls", async () => {
    const { host } = await setUp();
    const answer = await host.runTool(
      { chatId: G, userId: 5, language: 'en', messageId: 1 },
      { id: 'c1', name: 'route', arguments: JSON.stringify({ from: 'Berlin', to: 'Prague', mode: 'bike' }) },
      {},
      chatAccess(G),
      live,
    );
    expect(answer).toMatch(/^Berlin, Germany → Prague, Czechia\n🚲 By bike: \d+ km, \d+ h( \d+ min)?$/u);
  });

  const faults: Array<[UpstreamFaultKind, string, string]> = [
    ['429', 'osrm', 'Сервис маршрутов говорит, что запросов слишком много. Дай ему минутку.'],
    ['5xx', 'osrm', 'Сервис маршрутов сейчас не отвечает. Попробуй чуть позже.'],
    ['timeout', 'osrm', 'Сервис маршрутов сейчас не отвечает. Попробуй чуть позже.'],
    ['malformed', 'osrm', 'Сервис маршрутов сейчас не отвечает. Попробуй чуть позже.'],
    ['5xx', 'open-meteo-geocoding', 'Поиск мест сейчас не отвечает. Попробуй чуть позже.'],
    ['timeout', 'open-meteo-geocoding', 'Поиск мест сейчас не отвечает. Попробуй чуть позже.'],
  ];
  it.each(faults)('answers in persona when %s keeps coming from %s', async (kind, upstream, line) => {
    const { ask, host, logger } = await setUp({
      PLUGIN_TRANSPORT_REQUESTS_PER_MINUTE: '3000',
      PLUGIN_TRANSPORT_TIMEOUT_MS: '300',
    });
    // Six: both ends' searches (or the route) and their retries.
    emulator.fault({ kind, upstream, count: 6, retryAfterS: 0 });
    expect(await ask('/route Пермь — Уфа пешком')).toBe(line);
    expect(host.info('transport').stats.failures).toBe(1);
    expect(logger.lines.some((l) => JSON.stringify(l).includes('Пермь'))).toBe(false);
  });

  it('answers in persona when the route server refuses the request with an unknown code', async () => {
    const { run } = await setUp({
      PLUGIN_TRANSPORT_REQUESTS_PER_MINUTE: '3000',
      PLUGIN_TRANSPORT_PROFILES: JSON.stringify({ car: 'table/v1/car', bike: 'bike', foot: 'foot' }),
    });
    expect(await run('Kazan — Ufa car')).toBe("The route service isn't answering right now. Try again a bit later.");
  });
});
