import { z } from 'zod';
import type { Language } from '../../../chat/index.js';
import type { Localized, PluginSetup } from '../../plugin-api.js';
import type { PluginHttpClient } from '../../plugin-http.js';
import { type UpstreamSettings, upstream, upstreamClient } from '../integration-kit.js';
import type { Place } from './place-choice.js';

/** The Open-Meteo forecast API (open-meteo.com/en/docs). */
export const WEATHER_BASE_URL = 'https://api.open-meteo.com/v1';

/** The models update every hour or so; ten minutes keeps "now" fresh. */
const FORECAST_TTL_MS = 10 * 60 * 1000;

/**
 * Days every request asks for, whatever is shown: `/weather` and
 * `/forecast` for a place then share one cached answer.
 */
export const FORECAST_DAYS = 7;

/** Metric (°C, km/h) or imperial (°F, mph). */
export type Units = 'metric' | 'imperial';

const CURRENT = ['temperature_2m', 'apparent_temperature', 'relative_humidity_2m', 'weather_code', 'wind_speed_10m'];
const DAILY = ['weather_code', 'temperature_2m_max', 'temperature_2m_min', 'precipitation_probability_max'];

/** The service's name in a failure's answer. */
const SERVICE: Localized = { en: 'The weather service', ru: 'Сервис погоды', uk: 'Сервіс погоди' };

// A value the model has not got is null.
const value = z.number().nullable();
const series = z.array(value);

const forecastSchema = z.looseObject({
  utc_offset_seconds: z.number(),
  timezone: z.string(),
  current_units: z.looseObject({ temperature_2m: z.string(), wind_speed_10m: z.string() }),
  current: z.looseObject({
    time: z.string(),
    temperature_2m: value,
    apparent_temperature: value,
    relative_humidity_2m: value,
    weather_code: value,
    wind_speed_10m: value,
  }),
  daily_units: z.looseObject({ temperature_2m_max: z.string() }),
  daily: z
    .looseObject({
      time: z.array(z.string()),
      weather_code: series,
      temperature_2m_max: series,
      temperature_2m_min: series,
      precipitation_probability_max: series,
    })
    .refine(
      (d) =>
        d.time.length > 0 &&
        [d.weather_code, d.temperature_2m_max, d.temperature_2m_min, d.precipitation_probability_max].every(
          (s) => s.length === d.time.length,
        ),
      'every daily series has a value for each day',
    ),
});

/** A place's weather now and for the next days, as Open-Meteo answers it (the fields Lekha uses). */
export type Forecast = z.infer<typeof forecastSchema>;

/** Reads forecasts from the Open-Meteo forecast API. */
export class ForecastApi {
  constructor(private readonly http: PluginHttpClient) {}

  /** A forecast client of the plugin being set up. */
  static of(p: Pick<PluginSetup<unknown>, 'http'>, settings: UpstreamSettings): ForecastApi {
    return new ForecastApi(upstreamClient(p, settings, { cacheTtlMs: FORECAST_TTL_MS }));
  }

  /**
   * The weather at `place` now and for {@link FORECAST_DAYS} days from its
   * today, in its time zone. A failure throws the in-persona failure of `upstream`.
   */
  forecast(place: Place, units: Units, language: Language, signal: AbortSignal): Promise<Forecast> {
    return upstream(
      () =>
        this.http.getParsed('forecast', forecastSchema, {
          query: {
            latitude: place.latitude,
            longitude: place.longitude,
            current: CURRENT.join(','),
            daily: DAILY.join(','),
            timezone: 'auto',
            forecast_days: FORECAST_DAYS,
            ...(units === 'imperial' ? { temperature_unit: 'fahrenheit', wind_speed_unit: 'mph' } : {}),
          },
          signal,
        }),
      language,
      SERVICE,
    );
  }
}
