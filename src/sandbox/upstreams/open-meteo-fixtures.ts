/**
 * The Open-Meteo forecast API as its documentation shows it
 * (open-meteo.com/en/docs, "JSON Return Object" and "Errors"; the site's
 * source is github.com/open-meteo/open-meteo-website), and the units its
 * JSON writer names for each variable (github.com/open-meteo/open-meteo,
 * `Sources/App/Helper/Writer/JsonWriter.swift`; "mp/h" is how it writes mph).
 */

/** The documented example answer (Berlin, hourly temperature), its series cut to three hours. */
export const DOCUMENTED_FORECAST = {
  latitude: 52.52,
  longitude: 13.419,
  elevation: 44.812,
  generationtime_ms: 2.2119,
  utc_offset_seconds: 0,
  timezone: 'Europe/Berlin',
  timezone_abbreviation: 'CEST',
  hourly: {
    time: ['2022-07-01T00:00', '2022-07-01T01:00', '2022-07-01T02:00'],
    temperature_2m: [13, 12.7, 12.7],
  },
  hourly_units: { temperature_2m: '°C' },
} as const;

/** The documented error answer (HTTP 400) for a misspelt variable. */
export const DOCUMENTED_ERROR = {
  error: true,
  reason: 'Cannot initialize WeatherVariable from invalid String value tempeture_2m for key hourly',
} as const;

/** What a variable measures, which decides its unit and decimals. */
export type Quantity = 'temperature' | 'percent' | 'wmo' | 'speed' | 'precipitation' | 'flag';

/** The variables the emulator serves, for `current` and `hourly`. */
export const INSTANT_VARIABLES: Readonly<Record<string, Quantity>> = {
  temperature_2m: 'temperature',
  apparent_temperature: 'temperature',
  relative_humidity_2m: 'percent',
  weather_code: 'wmo',
  wind_speed_10m: 'speed',
  precipitation: 'precipitation',
  precipitation_probability: 'percent',
  cloud_cover: 'percent',
  is_day: 'flag',
};

/** The variables the emulator serves for `daily`. */
export const DAILY_VARIABLES: Readonly<Record<string, Quantity>> = {
  weather_code: 'wmo',
  temperature_2m_max: 'temperature',
  temperature_2m_min: 'temperature',
  apparent_temperature_max: 'temperature',
  apparent_temperature_min: 'temperature',
  precipitation_sum: 'precipitation',
  precipitation_probability_max: 'percent',
  wind_speed_10m_max: 'speed',
};

/** Units as the API writes them, by the `temperature_unit` and `wind_speed_unit` asked for. */
export const UNIT_NAMES = {
  temperature: { celsius: '°C', fahrenheit: '°F' },
  speed: { kmh: 'km/h', ms: 'm/s', mph: 'mp/h', kn: 'kn' },
  percent: '%',
  wmo: 'wmo code',
  precipitation: 'mm',
  flag: '',
} as const;
