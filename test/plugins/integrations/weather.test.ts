import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BUILTIN_PLUGINS, type PluginHost } from '../../../src/plugins/index.js';
import { MAX_ANSWER_CHARS } from '../../../src/plugins/integrations/integration-kit.js';
import { weatherPlugin } from '../../../src/plugins/integrations/weather/index.js';
import type { ToolCaller } from '../../../src/ports/index.js';
import { openMeteoApi } from '../../../src/sandbox/upstreams/open-meteo.js';
import { openMeteoGeocodingApi } from '../../../src/sandbox/upstreams/open-meteo-geocoding.js';
import { UpstreamEmulator, type UpstreamFaultKind } from '../../../src/sandbox/upstreams/index.js';
import { chatActorHarness } from '../../support/chat-actor-harness.js';
import { CapturingLogger } from '../../support/capturing-logger.js';
import { callOf, chatAccess, hostOf, live } from '../../support/plugin-kit.js';

const G = -900;
const ADMIN = 77;
const NUMBER = '[+-]?\\d+';
const CURRENT_RU = new RegExp(
  `^Москва, Россия: \\S+ [а-яё ]+, ${NUMBER} °C, ощущается как ${NUMBER} °C\\n` +
    `Влажность \\d+%, ветер \\d+ км/ч\\n` +
    `Сегодня от ${NUMBER} до ${NUMBER} °C, вероятность осадков \\d+%$`,
  'u',
);

let emulator: UpstreamEmulator;
const hosts: PluginHost[] = [];

beforeAll(async () => {
  // A hung call is held 5 s; the plugin's own timeout (300 ms in those tests) gives up first.
  emulator = await UpstreamEmulator.start({ apis: [openMeteoApi, openMeteoGeocodingApi], faultHoldMs: 5000 });
});
afterEach(async () => {
  emulator.clearFaults();
  await Promise.all(hosts.splice(0).map((host) => host.close()));
});
afterAll(async () => {
  await emulator.close();
});

/** A chat with the weather plugin on the emulator; each `ask` comes from another member (the chat limits each one). */
async function setUp(env: Record<string, string> = {}) {
  const logger = new CapturingLogger();
  const { host } = await hostOf([...BUILTIN_PLUGINS, weatherPlugin], { env: { ...emulator.env(), ...env }, logger });
  hosts.push(host);
  const h = chatActorHarness({ plugins: host, admins: [ADMIN] });
  const ask = (text: string, from?: number): Promise<string> =>
    h.ask(G, text, from === undefined ? undefined : { id: from, firstName: 'Гость' });
  const run = async (command: string, args: string, language: 'ru' | 'en' = 'en', choices = {}) =>
    (await host.runCommand(G, callOf('weather', command, args, language), choices, chatAccess(G), live)).texts.join(
      '\n',
    );
  const tool = (name: string, args: unknown, language: ToolCaller['language'] = 'en') =>
    host.runTool(
      { chatId: G, userId: 5, language, messageId: 1 },
      { id: 'c1', name, arguments: JSON.stringify(args) },
      {},
      chatAccess(G),
      live,
    );
  return { host, h, ask, run, tool, logger };
}

/** Calls each emulated API got since `before`. */
function callsSince(before: Record<string, number>) {
  const now = emulator.stats().requests;
  return {
    geocoding: (now['open-meteo-geocoding'] ?? 0) - (before['open-meteo-geocoding'] ?? 0),
    forecast: (now['open-meteo'] ?? 0) - (before['open-meteo'] ?? 0),
  };
}

/** The emulator's own daily forecast for a point, as the plugin asks for it. */
async function dailyAt(latitude: number, longitude: number) {
  const url = new URL(`${emulator.env().WEATHER_BASE_URL}/forecast`);
  url.search = new URLSearchParams({
    latitude: String(latitude),
    longitude: String(longitude),
    daily: 'temperature_2m_max,temperature_2m_min,precipitation_probability_max',
    timezone: 'auto',
    forecast_days: '7',
  }).toString();
  const answer = (await (await fetch(url)).json()) as {
    daily: { time: string[]; temperature_2m_max: number[]; temperature_2m_min: number[] };
  };
  return answer.daily;
}

const signed = (n: number, language: 'ru' | 'en') => {
  const r = Math.round(n) || 0;
  return language === 'en' || r <= 0 ? String(r) : `+${r}`;
};

describe('the weather plugin', () => {
  it("answers /weather with the weather now and today's range, in Russian, through the chat", async () => {
    const { ask } = await setUp();
    const answer = await ask('/weather Москва');
    expect(answer).toMatch(CURRENT_RU);
    const today = await dailyAt(55.75222, 37.61556);
    const [low, high] = [today.temperature_2m_min[0]!, today.temperature_2m_max[0]!];
    expect(answer).toContain(`Сегодня от ${signed(low, 'ru')} до ${signed(high, 'ru')} °C`);
  });

  it('answers in English, naming the namesakes of an ambiguous place and how to pick one', async () => {
    const { run } = await setUp();
    const london = await run('weather', 'London');
    expect(london).toMatch(
      /^London, England, United Kingdom: \S+ [a-z ]+, -?\d+ °C, feels like -?\d+ °C\nHumidity \d+%, wind \d+ km\/h\nToday -?\d+ to -?\d+ °C, chance of precipitation \d+%\n/u,
    );
    expect(london.split('\n')[3]).toBe(
      'Other places with this name: London, Ontario, Canada. For one of them, add its region after a comma: /weather London, Ontario',
    );
    expect(await run('weather', 'London, Ontario')).toMatch(/^London, Ontario, Canada: /u);
  });

  it('takes the most populous of namesakes and names its country, in Russian too', async () => {
    const { ask } = await setUp();
    const paris = await ask('/weather Париж');
    expect(paris).toMatch(/^Париж, Иль-де-Франс, Франция: /u);
    expect(paris.split('\n')[3]).toBe(
      'С таким названием есть ещё: Париж, Техас, США. Нужен другой — уточни через запятую: /weather Париж, Техас',
    );
    expect((await ask('/forecast Париж 2')).split('\n')[3]).toBe(
      'С таким названием есть ещё: Париж, Техас, США. Нужен другой — уточни через запятую: /forecast Париж, Техас',
    );
    expect(await ask('/weather Париж, Техас')).toMatch(/^Париж, Техас, США: /u);
    // An inflected name ("в Твери") finds the city.
    expect(await ask('/weather в Твери')).toMatch(/^Тверь, Тверская область, Россия: /u);
  });

  it('gives a forecast a line a day, each named by its weekday, for 3 days by default and at most 7', async () => {
    const { ask, run } = await setUp();
    const three = (await ask('/forecast Москва')).split('\n');
    expect(three[0]).toBe('Москва, Россия, прогноз на 3 дня:');
    expect(three).toHaveLength(4);
    const days = await dailyAt(55.75222, 37.61556);
    for (const [i, line] of three.slice(1).entries()) {
      const weekday = new Intl.DateTimeFormat('ru', {
        weekday: 'short',
        day: 'numeric',
        month: 'short',
        timeZone: 'UTC',
      })
        .format(new Date(`${days.time[i]}T00:00:00Z`))
        .replace(/^./u, (c) => c.toUpperCase());
      const range = `${signed(days.temperature_2m_min[i]!, 'ru')}…${signed(days.temperature_2m_max[i]!, 'ru')} °C`;
      expect(line.startsWith(`${weekday}: `)).toBe(true);
      expect(line).toContain(`, ${range}, осадки `);
    }
    expect(await ask('/forecast Москва 1')).toMatch(/^Москва, Россия, прогноз на 1 день:\n[^\n]+$/u);
    const week = await run('forecast', 'New York 10 days');
    const lines = week.split('\n');
    expect(lines[0]).toBe('New York, United States, 7-day forecast:');
    expect(lines).toHaveLength(8);
    expect(lines[1]).toMatch(
      /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), [A-Z][a-z]{2} \d{1,2}: \S+ [a-z ]+, -?\d+…-?\d+ °C, precipitation \d+%$/u,
    );
    expect(week.length).toBeLessThan(MAX_ANSWER_CHARS);
    expect((await ask('/forecast Нижний Новгород 7 дней')).split('\n')).toHaveLength(8);
  });

  it('suggests near matches for a place it cannot find, or says how to ask', async () => {
    const { ask, run } = await setUp();
    expect(await ask('/weather Масква')).toBe('Не нашёл «Масква». Может, ты про: Москва, Россия?');
    expect(await run('weather', 'Lodnon')).toBe(
      'I couldn\'t find "Lodnon". Did you mean: London, England, United Kingdom; London, Ontario, Canada?',
    );
    expect(await ask('/weather Зюзюкино-на-Луне')).toBe(
      'Не нашёл «Зюзюкино-на-Луне» на карте. Проверь написание или напиши название полностью, например: /weather Москва',
    );
    expect(await ask('/forecast')).toBe('Где именно? Назови место: /forecast Москва');
    expect(await run('weather', '')).toBe('Where? Name a place: /weather London');
  });

  it("uses the default city when none is named: the bot's, or the chat's own", async () => {
    const { ask, run } = await setUp({ PLUGIN_WEATHER_DEFAULT_CITY: 'Санкт-Петербург' });
    expect(await ask('/weather')).toMatch(/^Санкт-Петербург, Россия: /u);
    expect(await ask('/forecast 2')).toMatch(/^Санкт-Петербург, Россия, прогноз на 2 дня:/u);
    const chat = { weather: { settings: { defaultCity: 'Kazan' } } };
    expect(await run('weather', '', 'en', chat)).toMatch(/^Kazan, Tatarstan, Russia: /u);
  });

  it('shows °F and mph in a chat that chose imperial units, and °C elsewhere', async () => {
    const { run } = await setUp();
    const imperial = await run('weather', 'New York', 'en', { weather: { settings: { units: 'imperial' } } });
    expect(imperial).toMatch(
      /^New York, United States: \S+ [a-z ]+, -?\d+ °F, feels like -?\d+ °F\nHumidity \d+%, wind \d+ mph\n/u,
    );
    expect(await run('weather', 'New York')).toMatch(/ °C, feels like -?\d+ °C\nHumidity \d+%, wind \d+ km\/h/u);
    const ru = await run('forecast', 'Москва 2', 'ru', { weather: { settings: { units: 'imperial' } } });
    expect(ru.split('\n')[1]).toMatch(/°F, осадки/u);
  });

  it("lets a chat's admins choose imperial units and a default city for their chat", async () => {
    const { ask } = await setUp();
    await ask('/plugin set weather units imperial', ADMIN);
    await ask('/plugin set weather defaultCity Нью-Йорк', ADMIN);
    expect(await ask('/weather')).toMatch(
      /^Нью-Йорк, США: \S+ [а-яё ]+, [+-]?\d+ °F, ощущается как [+-]?\d+ °F\nВлажность \d+%, ветер \d+ миль\/ч\n/u,
    );
    await ask('/plugin reset weather units', ADMIN);
    expect(await ask('/weather')).toMatch(/^Нью-Йорк, США: .+ °C/u);
  });

  it('asks the upstream once for the same place: searches for a day, forecasts for ten minutes', async () => {
    const { ask } = await setUp();
    const before = emulator.stats().requests;
    const first = await ask('/weather Казань');
    expect(await ask('/weather Казань')).toBe(first);
    // /forecast reads the same cached forecast.
    expect(await ask('/forecast Казань 2')).toMatch(/^Казань, Татарстан, Россия, прогноз на 2 дня:/u);
    expect(callsSince(before)).toEqual({ geocoding: 1, forecast: 1 });
  });

  it("serves the model's tool calls with the same answers", async () => {
    const { host, tool } = await setUp();
    expect(host.toolsIn(undefined).find((t) => t.name === 'forecast')).toMatchObject({
      parameters: { required: ['place'], properties: { place: { type: 'string' }, days: { type: 'integer' } } },
    });
    expect(await tool('weather', { place: 'Berlin' })).toMatch(/^Berlin, Germany: \S+ [a-z ]+, -?\d+ °C/u);
    const forecast = await tool('forecast', { place: 'Санкт-Петербург', days: 2 }, 'ru');
    expect(forecast).toMatch(/^Санкт-Петербург, Россия, прогноз на 2 дня:\n.+\n.+$/u);
    expect(await tool('forecast', { place: 'Москва', days: 12 })).toMatch(/^error: bad arguments: days: /u);
    expect(await tool('weather', { place: 'Zzyzxqwv' })).toBe(
      'I couldn\'t find "Zzyzxqwv" on the map. Check the spelling or write the full name, like /weather London',
    );
  });

  it('rides out a single upstream error with a retry', async () => {
    const { ask } = await setUp();
    emulator.fault({ kind: '5xx', upstream: 'open-meteo', count: 1 });
    emulator.fault({ kind: '429', upstream: 'open-meteo-geocoding', count: 1, retryAfterS: 0 });
    expect(await ask('/weather Самара')).toMatch(/^Самара, Самарская область, Россия: /u);
  });

  const faults: Array<[UpstreamFaultKind, string, string]> = [
    ['429', 'open-meteo-geocoding', 'Поиск мест говорит, что запросов слишком много. Дай ему минутку.'],
    ['429', 'open-meteo', 'Сервис погоды говорит, что запросов слишком много. Дай ему минутку.'],
    ['5xx', 'open-meteo-geocoding', 'Поиск мест сейчас не отвечает. Попробуй чуть позже.'],
    ['5xx', 'open-meteo', 'Сервис погоды сейчас не отвечает. Попробуй чуть позже.'],
    ['timeout', 'open-meteo-geocoding', 'Поиск мест сейчас не отвечает. Попробуй чуть позже.'],
    ['timeout', 'open-meteo', 'Сервис погоды сейчас не отвечает. Попробуй чуть позже.'],
    ['malformed', 'open-meteo-geocoding', 'Поиск мест сейчас не отвечает. Попробуй чуть позже.'],
    ['malformed', 'open-meteo', 'Сервис погоды сейчас не отвечает. Попробуй чуть позже.'],
  ];
  it.each(faults)('answers in persona when %s keeps coming from %s', async (kind, upstream, line) => {
    const { ask, host, logger } = await setUp({ PLUGIN_WEATHER_TIMEOUT_MS: '300' });
    // Three: the call and both retries.
    emulator.fault({ kind, upstream, count: 3, retryAfterS: 0 });
    const started = Date.now();
    expect(await ask('/weather Омск')).toBe(line);
    if (kind === 'timeout') expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    expect(host.info('weather').stats.failures).toBe(1);
    expect(logger.lines.some((l) => JSON.stringify(l).includes('Омск'))).toBe(false);
  });

  it('asks again after a garbled answer instead of serving it from the cache', async () => {
    const { ask } = await setUp();
    emulator.fault({ kind: 'malformed', upstream: 'open-meteo', count: 1 });
    expect(await ask('/weather Уфа')).toBe('Сервис погоды сейчас не отвечает. Попробуй чуть позже.');
    expect(await ask('/weather Уфа')).toMatch(/^Уфа, Башкортостан, Россия: /u);
  });

  it('answers a failed tool call in English for the model', async () => {
    const { tool } = await setUp();
    emulator.fault({ kind: '5xx', upstream: 'open-meteo', count: 3 });
    expect(await tool('weather', { place: 'Tokyo' })).toBe(
      "error: The weather service isn't answering right now. Try again a bit later.",
    );
  });
});
