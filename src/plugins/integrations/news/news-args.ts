import { stemWord } from '../../../chat/index.js';
import type { FeedEntry } from './feed-parse.js';

/** What `/feed …` asks for. */
export type FeedCommand =
  { action: 'add'; url: string } | { action: 'list' } | { action: 'remove'; id: number | null } | { action: 'usage' };

const ACTIONS: ReadonlyArray<readonly [FeedCommand['action'], RegExp]> = [
  ['add', /^(add|\+|добавить|додати)$/i],
  ['list', /^(list|ls|список|лист)$/i],
  ['remove', /^(remove|rm|del|delete|-|удалить|убрать|видалити)$/i],
];

/**
 * Reads `/feed add <url>`, `/feed list`, `/feed remove <id>` (also in
 * Russian: `добавить`, `список`, `удалить`); a link alone means `add`.
 */
export function parseFeedCommand(args: string): FeedCommand {
  const [word = '', ...rest] = args.trim().split(/\s+/);
  if (rest.length === 0 && /^(https?:\/\/|<https?:\/\/)/i.test(word)) return { action: 'add', url: word };
  const action = ACTIONS.find(([, pattern]) => pattern.test(word))?.[0];
  const arg = rest.join(' ').trim();
  switch (action) {
    case 'add':
      return arg === '' ? { action: 'usage' } : { action: 'add', url: arg };
    case 'list':
      return { action: 'list' };
    case 'remove': {
      const id = /^#?(\d{1,6})$/.exec(arg);
      return { action: 'remove', id: id === null ? null : Number(id[1]) };
    }
    default:
      return { action: 'usage' };
  }
}

/** A feed URL as a member typed it, checked. */
export type FeedUrl = { ok: true; url: string } | { ok: false; reason: 'not-url' | 'not-http' };

const MAX_URL_CHARS = 500;

/**
 * Checks the URL of `/feed add`: an absolute http(s) URL without
 * credentials, at most 500 characters; a bare domain with a path
 * (`habr.com/ru/rss/articles/`) is read as https. Angle brackets around it
 * (as some clients paste links) are dropped.
 */
export function checkFeedUrl(text: string): FeedUrl {
  const trimmed = text.trim().replace(/^<(.*)>$/, '$1');
  if (trimmed.length > MAX_URL_CHARS || /\s/.test(trimmed)) return { ok: false, reason: 'not-url' };
  const withScheme = /^[a-z][a-z0-9+.-]*:/i.test(trimmed)
    ? trimmed
    : /^[\p{L}\p{N}-]+(\.[\p{L}\p{N}-]+)*\.\p{L}{2,}(:\d+)?([/?#]|$)/u.test(trimmed)
      ? `https://${trimmed}`
      : null;
  if (withScheme === null) return { ok: false, reason: 'not-url' };
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    return { ok: false, reason: 'not-url' };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { ok: false, reason: 'not-http' };
  if (url.username !== '' || url.password !== '' || url.hostname === '') return { ok: false, reason: 'not-url' };
  url.hash = '';
  // Percent-encoding makes a URL with non-Latin letters several times longer than typed.
  if (url.href.length > MAX_URL_CHARS) return { ok: false, reason: 'not-url' };
  return { ok: true, url: url.href };
}

/** The stems of a topic's words (three letters or more), which headlines are matched on. */
export function topicStems(topic: string): string[] {
  const words = topic.toLowerCase().match(/[\p{L}\p{N}]{3,}/gu) ?? [];
  return [...new Set(words.map(stemWord))];
}

/** How many of the topic's stems a headline's words have (0: it is not on the topic). */
export function topicScore(entry: FeedEntry, stems: readonly string[]): number {
  if (stems.length === 0) return 1;
  const words = new Set((entry.text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).map(stemWord));
  return stems.filter((stem) => words.has(stem)).length;
}
