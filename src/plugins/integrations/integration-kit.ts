import { z } from 'zod';
import type { Language } from '../../chat/index.js';
import { type Localized, PluginFailure, type PluginSetup } from '../plugin-api.js';
import { type PluginHttpClient, PluginHttpError } from '../plugin-http.js';
import { localize } from '../plugin-host.js';

/**
 * What the integration plugins share: their answers in the asker's language,
 * kept within a Telegram message, and their upstream's failures turned into
 * a short in-persona line (thrown, so the plugin's breaker counts them).
 */

/**
 * The settings every upstream client takes, as zod fields with defaults:
 * where the API is, how long one attempt may take, and how many requests a
 * minute the bot may send it (the polite default suits the free tier; an
 * operator with a paid plan raises it). Spread into a plugin's settings:
 * `z.object({ ...upstreamSettings('https://api.open-meteo.com/v1', 300), units: … })`.
 */
export function upstreamSettings(baseUrl: string, requestsPerMinute: number) {
  return {
    baseUrl: z.url({ protocol: /^https?$/ }).default(baseUrl),
    timeoutMs: z.number().int().min(100).max(60_000).default(5000),
    requestsPerMinute: z.number().int().min(1).max(1_000_000).default(requestsPerMinute),
  };
}

/** A setting holding an ISO 3166-1 country code (`US`, `RU`), as the stores and streaming services key their catalogues. */
export function countryCodeSetting(defaultCode: string) {
  return z
    .string()
    .regex(/^[A-Za-z]{2}$/, 'a two-letter country code')
    .default(defaultCode);
}

/** What {@link upstreamSettings} adds to a plugin's settings. */
export interface UpstreamSettings {
  baseUrl: string;
  timeoutMs: number;
  requestsPerMinute: number;
}

/**
 * The client of an integration's upstream, from its {@link upstreamSettings}:
 * two retries, the rate limit the settings give, and the cache lifetime the
 * data suits (and any headers the API wants).
 */
export function upstreamClient(
  p: Pick<PluginSetup<unknown>, 'http'>,
  settings: UpstreamSettings,
  options: { cacheTtlMs: number; headers?: Record<string, string> },
): PluginHttpClient {
  return p.http({
    baseUrl: settings.baseUrl,
    timeoutMs: settings.timeoutMs,
    retries: 2,
    rateLimit: { perMinute: settings.requestsPerMinute },
    ...options,
  });
}

/** The longest answer an integration writes: under Telegram's 4096, with room for the leak guard's changes. */
export const MAX_ANSWER_CHARS = 3500;

/**
 * A text of an integration's answer in each language the bot speaks: an
 * answer missing one would reach its speakers in another language.
 */
export interface Spoken {
  en: string;
  ru: string;
  uk: string;
}

/** A text in the asker's language (English for a language the bot does not speak). */
export function say(language: Language, text: Spoken): string {
  return localize(text, language);
}

/**
 * Cuts a text to `max` characters at a line (or word) end, marking the cut
 * with `…`, so a long list never goes past Telegram's limit.
 */
export function clip(text: string, max = MAX_ANSWER_CHARS): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  const line = cut.lastIndexOf('\n');
  const at = line > max / 2 ? line : cut.lastIndexOf(' ');
  return `${(at > max / 2 ? cut.slice(0, at) : cut).trimEnd()}…`;
}

/** A number as the asker's language writes it (`1 234,5` / `1,234.5`). */
export function formatNumber(value: number, language: Language, options: Intl.NumberFormatOptions = {}): string {
  return numberFormat(intlLocale(language), options).format(value);
}

/** The locale `Intl` formats the asker's language in (American English for English). */
export function intlLocale(language: Language): string {
  return language === 'en' ? 'en-US' : language;
}

/*
 * Intl objects, each built once per locale and options: building one costs
 * 20–80 µs (a 7-day forecast's weekdays took half a millisecond), using one
 * about 1 µs. `toLocaleString` with options builds one on every call.
 */
const intlObjects = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat | Intl.PluralRules>();

function intl<T extends Intl.NumberFormat | Intl.DateTimeFormat | Intl.PluralRules>(
  kind: string,
  locale: string,
  options: object,
  build: () => T,
): T {
  const key = `${kind}\u0000${locale}\u0000${JSON.stringify(options)}`;
  let made = intlObjects.get(key) as T | undefined;
  if (made === undefined) intlObjects.set(key, (made = build()));
  return made;
}

/** `new Intl.NumberFormat(locale, options)`, built once. */
export function numberFormat(locale: string, options: Intl.NumberFormatOptions = {}): Intl.NumberFormat {
  return intl('number', locale, options, () => new Intl.NumberFormat(locale, options));
}

/** `new Intl.DateTimeFormat(locale, options)`, built once. */
export function dateTimeFormat(locale: string, options: Intl.DateTimeFormatOptions = {}): Intl.DateTimeFormat {
  return intl('date', locale, options, () => new Intl.DateTimeFormat(locale, options));
}

/** `new Intl.PluralRules(locale, options)`, built once. */
export function pluralRules(locale: string, options: Intl.PluralRulesOptions = {}): Intl.PluralRules {
  return intl('plural', locale, options, () => new Intl.PluralRules(locale, options));
}

/**
 * The failure to throw when an upstream call failed: a {@link PluginFailure}
 * whose answer says, in the asker's language, that `service` is busy (429,
 * or the bot's own limit) or not answering (anything else). Errors that are
 * not the upstream's (a bug in the plugin) are rethrown as they are.
 */
export function upstreamFailure(error: unknown, language: Language, service: Localized): PluginFailure {
  if (!(error instanceof PluginHttpError)) throw error;
  const name = localize(service, language);
  // 429: the upstream's, or the bot's own limit refusing before the request went out.
  const busy = error.status === 429;
  const answer = busy
    ? say(language, {
        en: `${name} says too many requests just now. Give it a minute.`,
        ru: `${name} говорит, что запросов слишком много. Дай ему минутку.`,
        uk: `${name} каже, що запитів забагато. Дай йому хвилинку.`,
      })
    : say(language, {
        en: `${name} isn't answering right now. Try again a bit later.`,
        ru: `${name} сейчас не отвечает. Попробуй чуть позже.`,
        uk: `${name} зараз не відповідає. Спробуй трохи згодом.`,
      });
  return new PluginFailure(answer, { cause: error, upstreamFault: error.failure !== 'own-limit' });
}

/**
 * Answers for upstream statuses that mean something other than busy or
 * down, by status: a refused key (401), a refused setting (400). Each
 * builds the failure to throw (and may log what an operator must fix).
 */
export type StatusAnswers = Partial<Record<number, (error: PluginHttpError) => PluginFailure>>;

/**
 * Runs an upstream call, turning its failure into {@link upstreamFailure}
 * (or into what `answers` says for its status):
 * `await upstream(() => api.forecast(...), ctx.language, 'Open-Meteo')`.
 */
export async function upstream<T>(
  call: () => Promise<T>,
  language: Language,
  service: Localized,
  answers: StatusAnswers = {},
): Promise<T> {
  try {
    return await call();
  } catch (error) {
    const answer = error instanceof PluginHttpError && error.status !== null ? answers[error.status] : undefined;
    throw answer === undefined ? upstreamFailure(error, language, service) : answer(error as PluginHttpError);
  }
}

/** The year of an ISO date or time an API gives (`2021-09-15`, `1988-01-01T12:00:00Z`), or null for an empty or odd one. */
export function yearOf(date: string | null | undefined): string | null {
  return /^(\d{4})(?:-|$)/.exec(date ?? '')?.[1] ?? null;
}
