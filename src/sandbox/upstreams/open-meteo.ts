import type { FastifyReply } from 'fastify';
import { fnv1a } from '../../runtime/index.js';
import { SeededRandom } from '../seeded-random.js';
import { generationTime } from './open-meteo-geocoding.js';
import { DAILY_VARIABLES, INSTANT_VARIABLES, type Quantity, UNIT_NAMES } from './open-meteo-fixtures.js';
import type { UpstreamApi } from './upstream-emulator.js';
import { nearestCity } from './world-map.js';

/** Within this of a world city a point shares its weather, elevation and time zone. */
const CITY_RADIUS_M = 25_000;
const MAX_FORECAST_DAYS = 16;
const DAY_MS = 24 * 60 * 60 * 1000;

type TemperatureUnit = keyof typeof UNIT_NAMES.temperature;
type SpeedUnit = keyof typeof UNIT_NAMES.speed;

/**
 * The Open-Meteo forecast API (open-meteo.com/en/docs): `GET /v1/forecast`
 * with `latitude`, `longitude`, `current`, `hourly`, `daily`, `timezone`
 * (an IANA name, `auto` or GMT), `forecast_days` (0–16),
 * `temperature_unit` and `wind_speed_unit`, answering the documented shape
 * (`current`/`current_units`, `hourly`/`hourly_units`, `daily`/`daily_units`,
 * `utc_offset_seconds`, `timezone`, `timezone_abbreviation`) with values
 * from a plain climate model (latitude, season, elevation) and a day's
 * weather drawn from a hash of the place and the date: answers differ from
 * day to day and place to place, and repeat within a day. A point near a
 * world city has its weather and time zone; `auto` elsewhere takes the
 * nearest city's zone. Unknown variables and bad parameters answer 400
 * with `{"error": true, "reason": …}` as the real API does.
 */
export const openMeteoApi: UpstreamApi = {
  name: 'open-meteo',
  env: { WEATHER_BASE_URL: '/v1' },
  routes(app, ctx) {
    app.get('/v1/forecast', async (request, reply) => {
      const q = request.query as Record<string, string | undefined>;
      const latitude = Number(q.latitude);
      const longitude = Number(q.longitude);
      if (q.latitude === undefined || q.longitude === undefined || q.latitude === '' || q.longitude === '')
        return refuse(reply, "Value of type 'String' required for key 'latitude'.");
      if (!Number.isFinite(latitude) || latitude < -90 || latitude > 90)
        return refuse(reply, `Latitude must be in range of -90 to 90°. Given: ${q.latitude}.`);
      if (!Number.isFinite(longitude) || longitude < -180 || longitude > 180)
        return refuse(reply, `Longitude must be in range of -180 to 180°. Given: ${q.longitude}.`);
      const days = q.forecast_days === undefined ? 7 : Number(q.forecast_days);
      if (!Number.isInteger(days) || days < 0 || days > MAX_FORECAST_DAYS)
        return refuse(reply, `Forecast days is invalid. Allowed range 0 to ${MAX_FORECAST_DAYS}.`);
      const temperatureUnit = (q.temperature_unit ?? 'celsius') as TemperatureUnit;
      if (!(temperatureUnit in UNIT_NAMES.temperature))
        return refuse(reply, `Cannot initialize TemperatureUnit from invalid String value ${temperatureUnit}`);
      const speedUnit = (q.wind_speed_unit ?? q.windspeed_unit ?? 'kmh') as SpeedUnit;
      if (!(speedUnit in UNIT_NAMES.speed))
        return refuse(reply, `Cannot initialize WindspeedUnit from invalid String value ${speedUnit}`);
      const sections = { current: list(q.current), hourly: list(q.hourly), daily: list(q.daily) };
      for (const [key, names] of Object.entries(sections)) {
        const known = key === 'daily' ? DAILY_VARIABLES : INSTANT_VARIABLES;
        const unknown = names.find((n) => !(n in known));
        if (unknown !== undefined)
          return refuse(reply, `Cannot initialize WeatherVariable from invalid String value ${unknown} for key ${key}`);
      }

      const near = nearestCity(latitude, longitude);
      const atCity = near.meters <= CITY_RADIUS_M;
      const zone = timeZoneFor(q.timezone, near.city.timezone);
      if (zone === null) return refuse(reply, 'Invalid timezone');
      const place = {
        key: atCity ? String(near.city.id) : `${latitude.toFixed(2)},${longitude.toFixed(2)}`,
        latitude,
        elevation: atCity ? near.city.elevation : 100,
      };
      const now = localTime(zone, Date.now());
      const dates = Array.from({ length: days }, (_, i) => addDays(now.date, i));
      const convert = converter(temperatureUnit, speedUnit);
      const units = (quantity: Quantity) => unitName(quantity, temperatureUnit, speedUnit);

      const answer: Record<string, unknown> = {
        latitude: snap(latitude),
        longitude: snap(longitude),
        generationtime_ms: generationTime(ctx),
        utc_offset_seconds: now.offsetS,
        timezone: zone,
        timezone_abbreviation: now.abbreviation,
        elevation: place.elevation,
      };
      if (sections.current.length > 0) {
        const minute = Math.floor(now.minute / 15) * 15;
        const hour = now.hour + minute / 60;
        const values = instant(dayWeather(place, now.date), hour);
        answer.current_units = {
          time: 'iso8601',
          interval: 'seconds',
          ...Object.fromEntries(sections.current.map((n) => [n, units(INSTANT_VARIABLES[n] as Quantity)])),
        };
        answer.current = {
          time: `${now.date}T${pad(now.hour)}:${pad(minute)}`,
          interval: 900,
          ...Object.fromEntries(
            sections.current.map((n) => [n, convert(INSTANT_VARIABLES[n] as Quantity, values[n] ?? 0)]),
          ),
        };
      }
      if (sections.hourly.length > 0) {
        const hours = dates.flatMap((date) => Array.from({ length: 24 }, (_, h) => ({ date, h })));
        const rows = hours.map(({ date, h }) => instant(dayWeather(place, date), h));
        answer.hourly_units = {
          time: 'iso8601',
          ...Object.fromEntries(sections.hourly.map((n) => [n, units(INSTANT_VARIABLES[n] as Quantity)])),
        };
        answer.hourly = {
          time: hours.map(({ date, h }) => `${date}T${pad(h)}:00`),
          ...Object.fromEntries(
            sections.hourly.map((n) => [n, rows.map((r) => convert(INSTANT_VARIABLES[n] as Quantity, r[n] ?? 0))]),
          ),
        };
      }
      if (sections.daily.length > 0) {
        const rows = dates.map((date) => daily(dayWeather(place, date)));
        answer.daily_units = {
          time: 'iso8601',
          ...Object.fromEntries(sections.daily.map((n) => [n, units(DAILY_VARIABLES[n] as Quantity)])),
        };
        answer.daily = {
          time: dates,
          ...Object.fromEntries(
            sections.daily.map((n) => [n, rows.map((r) => convert(DAILY_VARIABLES[n] as Quantity, r[n] ?? 0))]),
          ),
        };
      }
      return answer;
    });
  },
};

/** One day's weather at a place, in °C, km/h, % and mm. */
interface DayWeather {
  low: number;
  high: number;
  code: number;
  rainChance: number;
  humidity: number;
  wind: number;
  rainMm: number;
}

/**
 * The day's weather from the place's climate (warmer towards the equator
 * and in its summer, cooler up high) and draws seeded by the place and the
 * date, so that the same day reads the same all day long.
 */
function dayWeather(place: { key: string; latitude: number; elevation: number }, date: string): DayWeather {
  const random = new SeededRandom(fnv1a(`${place.key}|${date}`));
  const dayOfYear = (Date.parse(`${date}T00:00:00Z`) - Date.UTC(Number(date.slice(0, 4)), 0, 1)) / DAY_MS;
  const summer = Math.cos((2 * Math.PI * (dayOfYear - 200)) / 365.25) * (place.latitude >= 0 ? 1 : -1);
  const lat = Math.abs(place.latitude);
  const mean = 28 - 0.4 * lat - 0.0065 * place.elevation + 0.22 * lat * summer + 3 * random.normal();
  const spread = 3 + 6 * random.next();
  const rainChance = Math.round(100 * random.next() ** 1.5);
  const snowy = mean < 0.5;
  const pick = (options: readonly number[]) => options[Math.floor(random.next() * options.length)] as number;
  let code: number;
  if (rainChance < 15) code = pick([0, 1, 2]);
  else if (rainChance < 40) code = pick([2, 3, 3, 45]);
  else if (rainChance < 65) code = snowy ? pick([71, 85]) : pick([51, 61, 80]);
  else if (rainChance < 85) code = snowy ? 73 : pick([63, 81]);
  else code = snowy ? pick([75, 86]) : mean > 18 ? pick([95, 82]) : 65;
  return {
    low: mean - spread / 2,
    high: mean + spread / 2,
    code,
    rainChance,
    humidity: Math.min(100, Math.round(40 + 0.45 * rainChance + 15 * random.next())),
    wind: 2 + 24 * random.next(),
    rainMm: code >= 51 ? (rainChance / 10) * random.next() : 0,
  };
}

/** The weather at an hour of the day (`hour` may have a fraction): coolest before dawn, warmest mid-afternoon. */
function instant(day: DayWeather, hour: number): Record<string, number> {
  const temperature =
    (day.low + day.high) / 2 + ((day.high - day.low) / 2) * Math.cos((2 * Math.PI * (hour - 15)) / 24);
  const chill = temperature < 10 ? 0.12 * day.wind : 0;
  const muggy = temperature > 22 && day.humidity > 60 ? 2 : 0;
  return {
    temperature_2m: temperature,
    apparent_temperature: temperature - chill + muggy - 1,
    relative_humidity_2m: day.humidity,
    weather_code: day.code,
    wind_speed_10m: day.wind,
    precipitation: day.rainMm / 24,
    precipitation_probability: day.rainChance,
    cloud_cover: cloudCover(day.code),
    is_day: hour >= 6 && hour < 21 ? 1 : 0,
  };
}

function daily(day: DayWeather): Record<string, number> {
  const chill = day.high < 10 ? 0.12 * day.wind : 0;
  return {
    weather_code: day.code,
    temperature_2m_max: day.high,
    temperature_2m_min: day.low,
    apparent_temperature_max: day.high - chill - 1,
    apparent_temperature_min: day.low - 0.12 * day.wind - 1,
    precipitation_sum: day.rainMm,
    precipitation_probability_max: day.rainChance,
    wind_speed_10m_max: day.wind * 1.6,
  };
}

function cloudCover(code: number): number {
  if (code === 0) return 5;
  if (code === 1) return 25;
  if (code === 2) return 55;
  return code === 3 || code === 45 || code === 48 ? 100 : 90;
}

/** A value in the units asked for, rounded as the API rounds it. */
function converter(temperatureUnit: TemperatureUnit, speedUnit: SpeedUnit) {
  return (quantity: Quantity, value: number): number => {
    switch (quantity) {
      case 'temperature':
        return round(temperatureUnit === 'fahrenheit' ? (value * 9) / 5 + 32 : value, 1);
      case 'speed':
        return round(value / { kmh: 1, ms: 3.6, mph: 1.609344, kn: 1.852 }[speedUnit], 1);
      case 'precipitation':
        return round(value, 2);
      default:
        return Math.round(value);
    }
  };
}

function unitName(quantity: Quantity, temperatureUnit: TemperatureUnit, speedUnit: SpeedUnit): string {
  if (quantity === 'temperature') return UNIT_NAMES.temperature[temperatureUnit];
  if (quantity === 'speed') return UNIT_NAMES.speed[speedUnit];
  return UNIT_NAMES[quantity];
}

/** `auto`: the place's zone; GMT/UTC or none: GMT; an IANA name: itself; anything else: null. */
function timeZoneFor(asked: string | undefined, placeZone: string): string | null {
  if (asked === undefined || asked === '' || asked === 'GMT' || asked === 'UTC') return 'GMT';
  const zone = asked === 'auto' ? placeZone : asked;
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return zone;
  } catch {
    // Intl refuses an unknown zone: the API's 400.
    return null;
  }
}

/** The date, hour and minute in `timeZone` at `atMs`, and its offset from UTC then. */
function localTime(timeZone: string, atMs: number) {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
      timeZoneName: 'shortOffset',
    })
      .formatToParts(atMs)
      .map((p) => [p.type, p.value]),
  );
  const abbreviation = parts.timeZoneName ?? 'GMT';
  const offset = /GMT([+-])(\d{1,2})(?::(\d{2}))?/.exec(abbreviation);
  const offsetS =
    offset === null ? 0 : (offset[1] === '-' ? -1 : 1) * (Number(offset[2]) * 3600 + Number(offset[3] ?? 0) * 60);
  return {
    date: `${parts.year}-${parts.month}-${parts.day}`,
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    offsetS,
    abbreviation,
  };
}

function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

function list(value: string | undefined): string[] {
  return value === undefined || value === '' ? [] : value.split(',').map((v) => v.trim());
}

/** A coordinate on the model's grid (the real answer names the grid cell's centre). */
function snap(coordinate: number): number {
  return round(Math.round(coordinate * 40) / 40, 6);
}

function round(value: number, decimals: number): number {
  const f = 10 ** decimals;
  return Math.round(value * f) / f;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

function refuse(reply: FastifyReply, reason: string) {
  return reply.code(400).send({ error: true, reason });
}
