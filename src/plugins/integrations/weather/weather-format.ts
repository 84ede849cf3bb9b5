import type { Language } from '../../../chat/index.js';
import { clip, dateTimeFormat, formatNumber, intlLocale, pluralRules, say } from '../integration-kit.js';
import type { Forecast } from './open-meteo.js';
import { type Place, placeLabel } from './place-choice.js';
import { weatherWords } from './wmo-codes.js';

/** `/weather`'s answer: the weather at `place` now and today's range, naming its namesakes when there are some. */
export function formatCurrent(place: Place, others: readonly Place[], forecast: Forecast, language: Language): string {
  const now = forecast.current;
  const t = forecast.current_units.temperature_2m;
  const wind = `${number(now.wind_speed_10m, language)} ${speedUnit(forecast.current_units.wind_speed_10m, language)}`;
  const words = weatherWords(now.weather_code, language);
  const feels = temperature(now.apparent_temperature, t, language);
  const feelsLike = say(language, {
    en: `feels like ${feels}`,
    ru: `ощущается как ${feels}`,
    uk: `відчувається як ${feels}`,
  });
  const humidity = number(now.relative_humidity_2m, language);
  const lines = [
    `${placeLabel(place)}: ${words.emoji} ${words.text}, ${temperature(now.temperature_2m, t, language)}, ${feelsLike}`,
    say(language, {
      en: `Humidity ${humidity}%, wind ${wind}`,
      ru: `Влажность ${humidity}%, ветер ${wind}`,
      uk: `Вологість ${humidity}%, вітер ${wind}`,
    }),
  ];
  const daily = forecast.daily;
  const low = temperature(daily.temperature_2m_min[0] ?? null, '', language);
  const high = temperature(daily.temperature_2m_max[0] ?? null, t, language);
  const rain = daily.precipitation_probability_max[0] ?? null;
  lines.push(
    say(language, {
      en: `Today ${low} to ${high}${rain === null ? '' : `, chance of precipitation ${number(rain, language)}%`}`,
      ru: `Сегодня от ${low} до ${high}${rain === null ? '' : `, вероятность осадков ${number(rain, language)}%`}`,
      uk: `Сьогодні від ${low} до ${high}${rain === null ? '' : `, імовірність опадів ${number(rain, language)}%`}`,
    }),
  );
  if (others.length > 0) lines.push(namesakes(others, '/weather', language));
  return clip(lines.join('\n'));
}

/**
 * `/forecast`'s answer: a line a day for `days` days from the place's
 * today, each named by its weekday, then its namesakes when there are some.
 */
export function formatForecast(
  place: Place,
  others: readonly Place[],
  forecast: Forecast,
  days: number,
  language: Language,
): string {
  const daily = forecast.daily;
  const t = forecast.daily_units.temperature_2m_max;
  const count = Math.min(days, daily.time.length);
  const title = say(language, {
    en: `${placeLabel(place)}, ${count}-day forecast:`,
    ru: `${placeLabel(place)}, прогноз на ${count} ${dayWord(count, 'ru')}:`,
    uk: `${placeLabel(place)}, прогноз на ${count} ${dayWord(count, 'uk')}:`,
  });
  const lines = daily.time.slice(0, count).map((date, i) => {
    const words = weatherWords(daily.weather_code[i] ?? null, language);
    const range = `${temperature(daily.temperature_2m_min[i] ?? null, '', language)}…${temperature(daily.temperature_2m_max[i] ?? null, t, language)}`;
    const rain = daily.precipitation_probability_max[i] ?? null;
    const chance =
      rain === null
        ? ''
        : say(language, {
            en: `, precipitation ${number(rain, language)}%`,
            ru: `, осадки ${number(rain, language)}%`,
            uk: `, опади ${number(rain, language)}%`,
          });
    return `${weekday(date, language)}: ${words.emoji} ${words.text}, ${range}${chance}`;
  });
  if (others.length > 0) lines.push(namesakes(others, '/forecast', language));
  return clip([title, ...lines].join('\n'));
}

/** A line naming the place's namesakes and how to ask for one of them. */
export function namesakes(others: readonly Place[], command: string, language: Language): string {
  const list = others.map(placeLabel).join('; ');
  const other = others[0] as Place;
  const region = [other.admin1, other.country].find((part) => part !== undefined && part !== '');
  const example = region === undefined ? `${command} ${other.name}` : `${command} ${other.name}, ${region}`;
  return say(language, {
    en: `Other places with this name: ${list}. For one of them, add its region after a comma: ${example}`,
    ru: `С таким названием есть ещё: ${list}. Нужен другой — уточни через запятую: ${example}`,
    uk: `З такою назвою є ще: ${list}. Потрібне інше — уточни через кому: ${example}`,
  });
}

/** A day (`2024-06-10`) as its weekday and date in the language (`Пн, 10 июн.`, `Mon, Jun 10`). */
export function weekday(date: string, language: Language): string {
  const day = new Date(`${date}T00:00:00Z`);
  if (Number.isNaN(day.getTime())) return date;
  const text = dateTimeFormat(intlLocale(language), {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    timeZone: 'UTC',
  }).format(day);
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** A temperature rounded to a degree, signed in Russian and Ukrainian (`+3 °C`), `?` when unknown. */
function temperature(value: number | null, unit: string, language: Language): string {
  if (value === null) return '?';
  const n = formatNumber(Math.round(value) || 0, language, { signDisplay: language === 'en' ? 'auto' : 'exceptZero' });
  return unit === '' ? n : `${n} ${unit}`;
}

function number(value: number | null, language: Language): string {
  return value === null ? '?' : formatNumber(Math.round(value), language);
}

/** Open-Meteo's speed units as people write them. */
function speedUnit(unit: string, language: Language): string {
  if (unit === 'km/h') return say(language, { en: 'km/h', ru: 'км/ч', uk: 'км/год' });
  if (unit === 'mp/h') return say(language, { en: 'mph', ru: 'миль/ч', uk: 'миль/год' });
  return unit;
}

function dayWord(n: number, language: 'ru' | 'uk'): string {
  const form = pluralRules(language).select(n);
  if (language === 'uk') return form === 'one' ? 'день' : form === 'few' ? 'дні' : 'днів';
  return form === 'one' ? 'день' : form === 'few' ? 'дня' : 'дней';
}
