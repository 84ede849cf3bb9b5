import { z } from 'zod';
import type { Language } from '../../../chat/index.js';
import { definePlugin } from '../../define-plugin.js';
import { say, upstreamSettings } from '../integration-kit.js';
import { Geocoder, geocoderSettings } from './geocoder.js';
import { ForecastApi, WEATHER_BASE_URL } from './open-meteo.js';
import { placeNotFound, placeQuery } from './place-choice.js';
import { FORECAST_MAX_DAYS, FORECAST_MIN_DAYS, parseForecastArgs } from './weather-args.js';
import { formatCurrent, formatForecast } from './weather-format.js';

const settings = z.object({
  // The forecast API: 300 requests a minute, half the 600 Open-Meteo's free tier allows (the geocoders take 30 each).
  ...upstreamSettings(WEATHER_BASE_URL, 300),
  ...geocoderSettings,
  /** °C and km/h, or °F and mph. */
  units: z.enum(['metric', 'imperial']).default('metric'),
  /** The place `/weather` and `/forecast` show when none is named ('' asks for one). */
  defaultCity: z.string().max(100).default(''),
});

/** A place name in the tool's arguments: the model is told to give the official one. */
const placeParameter = z
  .string()
  .min(1)
  .max(100)
  .describe('The place, its official name in the nominative case: "Санкт-Петербург", not "Питер" or "Петербурге"');

/**
 * `/weather [place]` and `/forecast <place> [days]`: the weather now and the
 * coming days anywhere, from Open-Meteo (no key), with places found by its
 * geocoder.
 */
export const weatherPlugin = definePlugin({
  name: 'weather',
  version: '1.0.0',
  kind: 'integration',
  description: {
    en: 'Weather now and forecasts (Open-Meteo)',
    ru: 'Погода сейчас и прогноз (Open-Meteo)',
    uk: 'Погода зараз і прогноз (Open-Meteo)',
  },
  settings,
  env: { baseUrl: 'WEATHER_BASE_URL', geocodingBaseUrl: 'GEOCODING_BASE_URL' },
  chatSettings: ['units', 'defaultCity'],
  setup(p) {
    const geocoder = Geocoder.of(p, p.settings);
    const forecasts = ForecastApi.of(p, p.settings);

    p.command(
      'weather',
      async (ctx) => {
        const query = placeQuery(ctx.args) || ctx.settings.defaultCity.trim();
        if (query === '') return askForPlace('/weather', ctx.language);
        const choice = await geocoder.find(query, ctx.language, ctx.signal);
        if (choice.kind !== 'found')
          return placeNotFound(query, choice, ctx.language, example('/weather', ctx.language));
        const forecast = await forecasts.forecast(choice.place, ctx.settings.units, ctx.language, ctx.signal);
        return formatCurrent(choice.place, choice.others, forecast, ctx.language);
      },
      {
        description: { en: 'the weather now', ru: 'погода сейчас', uk: 'погода зараз' },
        args: { en: '[place]', ru: '[место]', uk: '[місце]' },
        tool: {
          description:
            "The weather now (погода) at a place: conditions, temperature, humidity, wind, and today's range and chance of precipitation.",
          parameters: z.object({ place: placeParameter }),
          args: ({ place }) => place,
        },
      },
    );

    p.command(
      'forecast',
      async (ctx) => {
        const asked = parseForecastArgs(ctx.args);
        const query = asked.place || ctx.settings.defaultCity.trim();
        if (query === '') return askForPlace('/forecast', ctx.language);
        const choice = await geocoder.find(query, ctx.language, ctx.signal);
        if (choice.kind !== 'found')
          return placeNotFound(query, choice, ctx.language, example('/forecast', ctx.language));
        const forecast = await forecasts.forecast(choice.place, ctx.settings.units, ctx.language, ctx.signal);
        return formatForecast(choice.place, choice.others, forecast, asked.days, ctx.language);
      },
      {
        description: {
          en: `the forecast for the next days (${FORECAST_MIN_DAYS}–${FORECAST_MAX_DAYS}, 3 by default)`,
          ru: `прогноз на несколько дней (${FORECAST_MIN_DAYS}–${FORECAST_MAX_DAYS}, по умолчанию 3)`,
          uk: `прогноз на кілька днів (${FORECAST_MIN_DAYS}–${FORECAST_MAX_DAYS}, типово 3)`,
        },
        args: { en: '<place> [days]', ru: '<место> [дней]', uk: '<місце> [днів]' },
        tool: {
          description:
            'The weather forecast (прогноз погоды) at a place for the next days, one line a day: conditions, temperature range, chance of precipitation.',
          parameters: z.object({
            place: placeParameter,
            days: z
              .number()
              .int()
              .min(FORECAST_MIN_DAYS)
              .max(FORECAST_MAX_DAYS)
              .optional()
              .describe('How many days, 3 by default'),
          }),
          args: ({ place, days }) => (days === undefined ? place : `${place} ${days}`),
        },
      },
    );
  },
});

function example(command: string, language: Language): string {
  return `${command} ${language === 'en' ? 'London' : language === 'uk' ? 'Київ' : 'Москва'}`;
}

function askForPlace(command: string, language: Language): string {
  const sample = example(command, language);
  return say(language, {
    en: `Where? Name a place: ${sample}`,
    ru: `Где именно? Назови место: ${sample}`,
    uk: `Де саме? Назви місце: ${sample}`,
  });
}
