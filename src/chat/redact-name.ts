import { detectPii, PII_PLACEHOLDER, redactPii, replaceMatches } from './pii-detector.js';

const ONE_PLACEHOLDER = new RegExp(PII_PLACEHOLDER.source);

/**
 * A first or last name or a chat title with personal data replaced by the
 * placeholders message text gets: "Ivan +79161234567 ivan@example.com"
 * becomes "Ivan [phone] [email]". Names reach prompts, chat state, the
 * archive and the admin API, so they are redacted where they come in.
 */
export function redactName(name: string): string {
  return redactPii(name).text;
}

/**
 * A @username with personal data replaced ("ivan_[phone]"). Usernames are
 * letters, digits and underscores, so underscores are read as spaces to find
 * "ivan_89161234567". A placeholder's brackets can never be part of a real
 * username, so a redacted one matches no mention.
 */
export function redactUsername(username: string): string {
  return replaceMatches(username, detectPii(username.replaceAll('_', ' ')));
}

/** The name holds a placeholder of redacted data. */
export function hasRedaction(name: string): boolean {
  return name.includes('[') && ONE_PLACEHOLDER.test(name);
}
