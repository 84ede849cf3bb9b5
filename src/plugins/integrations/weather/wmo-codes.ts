import type { Language } from '../../../chat/index.js';
import { say } from '../integration-kit.js';

/** A WMO weather code in words and an emoji. */
export interface WeatherWords {
  text: string;
  emoji: string;
}

type Entry = { emoji: string; en: string; ru: string; uk: string };

/**
 * The WMO weather interpretation codes (WW) Open-Meteo reports, as its
 * documentation lists them (open-meteo.com/en/docs, "WMO Weather
 * interpretation codes").
 */
const CODES: Readonly<Record<number, Entry>> = {
  0: { emoji: '☀️', en: 'clear sky', ru: 'ясно', uk: 'ясно' },
  1: { emoji: '🌤', en: 'mainly clear', ru: 'преимущественно ясно', uk: 'переважно ясно' },
  2: { emoji: '⛅', en: 'partly cloudy', ru: 'переменная облачность', uk: 'мінлива хмарність' },
  3: { emoji: '☁️', en: 'overcast', ru: 'пасмурно', uk: 'похмуро' },
  45: { emoji: '🌫', en: 'fog', ru: 'туман', uk: 'туман' },
  48: { emoji: '🌫', en: 'depositing rime fog', ru: 'туман с изморозью', uk: 'туман з памороззю' },
  51: { emoji: '🌦', en: 'light drizzle', ru: 'слабая морось', uk: 'слабка мряка' },
  53: { emoji: '🌦', en: 'drizzle', ru: 'морось', uk: 'мряка' },
  55: { emoji: '🌧', en: 'dense drizzle', ru: 'сильная морось', uk: 'сильна мряка' },
  56: { emoji: '🌧', en: 'light freezing drizzle', ru: 'слабая ледяная морось', uk: 'слабка крижана мряка' },
  57: { emoji: '🌧', en: 'dense freezing drizzle', ru: 'сильная ледяная морось', uk: 'сильна крижана мряка' },
  61: { emoji: '🌦', en: 'light rain', ru: 'небольшой дождь', uk: 'невеликий дощ' },
  63: { emoji: '🌧', en: 'rain', ru: 'дождь', uk: 'дощ' },
  65: { emoji: '🌧', en: 'heavy rain', ru: 'сильный дождь', uk: 'сильний дощ' },
  66: { emoji: '🌧', en: 'light freezing rain', ru: 'слабый ледяной дождь', uk: 'слабкий крижаний дощ' },
  67: { emoji: '🌧', en: 'heavy freezing rain', ru: 'сильный ледяной дождь', uk: 'сильний крижаний дощ' },
  71: { emoji: '🌨', en: 'light snow', ru: 'небольшой снег', uk: 'невеликий сніг' },
  73: { emoji: '🌨', en: 'snow', ru: 'снег', uk: 'сніг' },
  75: { emoji: '❄️', en: 'heavy snow', ru: 'сильный снег', uk: 'сильний сніг' },
  77: { emoji: '🌨', en: 'snow grains', ru: 'снежная крупа', uk: 'снігова крупа' },
  80: { emoji: '🌦', en: 'light showers', ru: 'небольшой ливень', uk: 'невелика злива' },
  81: { emoji: '🌧', en: 'showers', ru: 'ливень', uk: 'злива' },
  82: { emoji: '⛈', en: 'violent showers', ru: 'сильный ливень', uk: 'сильна злива' },
  85: { emoji: '🌨', en: 'light snow showers', ru: 'небольшой снегопад', uk: 'невеликий снігопад' },
  86: { emoji: '❄️', en: 'heavy snow showers', ru: 'сильный снегопад', uk: 'сильний снігопад' },
  95: { emoji: '⛈', en: 'thunderstorm', ru: 'гроза', uk: 'гроза' },
  96: { emoji: '⛈', en: 'thunderstorm with hail', ru: 'гроза с градом', uk: 'гроза з градом' },
  99: { emoji: '⛈', en: 'thunderstorm with heavy hail', ru: 'гроза с сильным градом', uk: 'гроза з сильним градом' },
};

/** The words and emoji for a WMO weather code; a code outside the table (or none) reads as unknown weather. */
export function weatherWords(code: number | null, language: Language): WeatherWords {
  const entry = code === null ? undefined : CODES[code];
  if (entry === undefined)
    return { emoji: '🌡', text: say(language, { en: 'unclear weather', ru: 'погода неясна', uk: 'погода неясна' }) };
  return { emoji: entry.emoji, text: say(language, entry) };
}
