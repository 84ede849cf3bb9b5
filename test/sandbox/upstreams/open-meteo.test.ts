import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openMeteoApi } from '../../../src/sandbox/upstreams/open-meteo.js';
import { DOCUMENTED_ERROR, DOCUMENTED_FORECAST } from '../../../src/sandbox/upstreams/open-meteo-fixtures.js';
import { UpstreamEmulator } from '../../../src/sandbox/upstreams/index.js';

let emulator: UpstreamEmulator;
beforeAll(async () => {
  emulator = await UpstreamEmulator.start({ apis: [openMeteoApi] });
});
afterAll(async () => {
  await emulator.close();
});

/** The fields these tests read. */
interface ForecastBody {
  [key: string]: unknown;
  timezone: string;
  hourly: { time: string[]; temperature_2m: number[] };
  current: { time: string };
  daily: { time: string[]; temperature_2m_max: number[]; temperature_2m_min: number[] };
}

async function forecast(query: Record<string, string>) {
  const url = new URL(`${emulator.env().WEATHER_BASE_URL}/forecast`);
  url.search = new URLSearchParams(query).toString();
  const answer = await fetch(url);
  return { status: answer.status, body: (await answer.json()) as ForecastBody };
}

const MOSCOW = { latitude: '55.75222', longitude: '37.61556' };

describe('the Open-Meteo forecast emulator', () => {
  it('answers in the documented shape, hourly series included', async () => {
    const { status, body } = await forecast({ ...MOSCOW, hourly: 'temperature_2m', forecast_days: '2' });
    expect(status).toBe(200);
    for (const [key, value] of Object.entries(DOCUMENTED_FORECAST)) expect(typeof body[key], key).toBe(typeof value);
    expect(body.timezone).toBe('GMT');
    expect(body.utc_offset_seconds).toBe(0);
    expect(body.hourly_units).toEqual({ time: 'iso8601', temperature_2m: '°C' });
    expect(body.hourly.time).toHaveLength(48);
    expect(body.hourly.time[0]).toMatch(/^\d{4}-\d\d-\d\dT00:00$/);
    expect(body.hourly.temperature_2m).toHaveLength(48);
  });

  it("gives current and daily weather in the place's time zone and the units asked", async () => {
    const { body } = await forecast({
      ...MOSCOW,
      current: 'temperature_2m,relative_humidity_2m,weather_code,wind_speed_10m',
      daily: 'weather_code,temperature_2m_max,temperature_2m_min,precipitation_probability_max',
      timezone: 'auto',
      forecast_days: '3',
      temperature_unit: 'fahrenheit',
      wind_speed_unit: 'mph',
    });
    expect(body).toMatchObject({
      timezone: 'Europe/Moscow',
      utc_offset_seconds: 10800,
      timezone_abbreviation: 'GMT+3',
    });
    expect(body.current_units).toEqual({
      time: 'iso8601',
      interval: 'seconds',
      temperature_2m: '°F',
      relative_humidity_2m: '%',
      weather_code: 'wmo code',
      wind_speed_10m: 'mp/h',
    });
    expect(body.current).toMatchObject({ interval: 900, time: expect.stringMatching(/T\d\d:(00|15|30|45)$/) });
    expect(body.daily.time).toHaveLength(3);
    expect(body.daily.time[0]).toBe(body.current.time.slice(0, 10));
    for (let i = 0; i < 3; i++)
      expect(body.daily.temperature_2m_max[i]).toBeGreaterThanOrEqual(body.daily.temperature_2m_min[i]!);
  });

  it('repeats a day for a place and differs between places', async () => {
    const query = { daily: 'temperature_2m_max,weather_code', timezone: 'auto' };
    const first = await forecast({ ...MOSCOW, ...query });
    const again = await forecast({ ...MOSCOW, ...query });
    const sochi = await forecast({ latitude: '43.59917', longitude: '39.72569', ...query });
    expect(again.body.daily).toEqual(first.body.daily);
    expect(sochi.body.daily.temperature_2m_max).not.toEqual(first.body.daily.temperature_2m_max);
  });

  it('refuses a misspelt variable and bad parameters as the real API does', async () => {
    expect(await forecast({ ...MOSCOW, hourly: 'tempeture_2m' })).toEqual({ status: 400, body: DOCUMENTED_ERROR });
    expect((await forecast({ ...MOSCOW, forecast_days: '17' })).status).toBe(400);
    expect((await forecast({ latitude: '91', longitude: '0' })).body).toEqual({
      error: true,
      reason: 'Latitude must be in range of -90 to 90°. Given: 91.',
    });
    expect((await forecast({ ...MOSCOW, timezone: 'Mars/Olympus' })).status).toBe(400);
  });
});
