import { encryptionKeysOf } from './encryption-keys.js';
import type { Config, secretKeys } from './schema.js';

/** The settings whose values never appear in a log line. */
export type SecretSettings = Partial<Pick<Config, (typeof secretKeys)[number] | 'DATABASE_URL' | 'REDIS_URL'>>;

/**
 * Shorter values are not looked for: they could match ordinary words (or a
 * JSON key) in any line. They are still redacted under their own names.
 */
export const MIN_SCRUBBED_SECRET_LENGTH = 8;

/** Any Telegram bot token (`<bot id>:<35 characters>`), configured or not, e.g. in a request URL `…/bot<token>/getUpdates`. */
const BOT_TOKEN = /\d{5,}:[A-Za-z0-9_-]{30,}/.source;

const CENSOR = '[redacted]';

/**
 * A function that replaces every configured secret value, and anything
 * shaped like a bot token, with `[redacted]` in a text (a serialised log
 * line: messages, nested error messages, causes and stacks alike). Each
 * secret is also looked for as it is written inside JSON strings and URLs,
 * and for connection URLs the password is what is looked for.
 */
export function secretScrubber(settings: SecretSettings, extra: readonly string[] = []): (text: string) => string {
  const values = new Set<string>();
  const add = (value: string | undefined): void => {
    if (value === undefined || value.length < MIN_SCRUBBED_SECRET_LENGTH) return;
    values.add(value);
    values.add(JSON.stringify(value).slice(1, -1));
    values.add(encodeURIComponent(value));
  };
  add(settings.TELEGRAM_BOT_TOKEN);
  add(settings.WEBHOOK_SECRET);
  add(settings.GROQ_API_KEY);
  add(settings.ADMIN_TOKEN);
  add(settings.ENCRYPTION_KEY);
  add(settings.ENCRYPTION_KEYS);
  const keys = encryptionKeysOf(settings);
  if (Array.isArray(keys)) for (const { key } of keys) add(key.toString('base64'));
  add(settings.OIDC_CLIENT_SECRET);
  for (const value of extra) add(value);
  for (const url of [settings.DATABASE_URL, settings.REDIS_URL]) {
    const password = passwordOf(url);
    add(password);
    if (password !== undefined) add(safeDecode(password));
  }
  // Longest first, so a secret that contains another is replaced whole.
  const alternatives = [...values].sort((a, b) => b.length - a.length).map(escapeRegExp);
  const pattern = new RegExp([...alternatives, BOT_TOKEN].join('|'), 'g');
  return (text) => text.replace(pattern, CENSOR);
}

/**
 * The values of environment variables named like credentials
 * (`TMDB_API_KEY`, `PLUGIN_NEWS_TOKEN`, `…_SECRET`, `…_PASSWORD`): plugins
 * read their keys from such variables, which the config schema does not
 * know, so the logger is handed them too.
 */
export function credentialsInEnv(env: Readonly<Record<string, string | undefined>>): string[] {
  return Object.entries(env)
    .filter(([name, value]) => CREDENTIAL_NAME.test(name) && value !== undefined && value !== '')
    .map(([, value]) => value!);
}

const CREDENTIAL_NAME = /(?:^|_)(?:API_KEY|KEY|TOKEN|SECRET|PASSWORD)$/;

function passwordOf(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  try {
    const password = new URL(url).password;
    return password === '' ? undefined : password;
  } catch {
    // The schema checked the scheme only; an unparsable URL has no password to find.
    return undefined;
  }
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    // A stray % is the password itself, not an escape.
    return text;
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
