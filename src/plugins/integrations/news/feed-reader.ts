import { type PluginHttpClient, PluginHttpError } from '../../plugin-http.js';
import { feedLinkIn, type ParsedFeed, readFeedText } from './feed-parse.js';

/** The validators of the copy a reader has, sent so that an unchanged feed answers 304. */
export interface Validators {
  etag?: string | undefined;
  lastModified?: string | undefined;
}

/** Why a feed could not be read. */
export type FeedFailure =
  /** 404 or 410: nothing there. */
  | 'missing'
  /** Another 4xx (401, 403, 451…): the site will not give it. */
  | 'refused'
  /** A 5xx or 429, after the client's retries. */
  | 'down'
  | 'too-large'
  /** The host is or resolves to a private address. */
  | 'private-host'
  /** Network error or timeout. */
  | 'unreachable'
  /** Not an http(s) URL, or redirects that go nowhere readable. */
  | 'bad-url'
  /** It answered, but not with a feed (an HTML page, broken XML). */
  | 'not-feed';

export type FeedRead =
  | { kind: 'feed'; feed: ParsedFeed; etag: string | undefined; lastModified: string | undefined }
  | { kind: 'not-modified' }
  | {
      kind: 'failed';
      failure: FeedFailure;
      status: number | null;
      /** For `not-feed`: the feed an HTML page points at, if it does. */
      feedLink?: string | null;
    };

const MAX_REDIRECTS = 3;

/** How a feed is read. */
export interface ReadOptions {
  /** The validators of the copy the caller has: an unchanged feed then answers 304. */
  validators?: Validators;
  /**
   * Whether a copy in the client's cache may do (`/news`). Otherwise a read
   * without validators asks for the feed as it is now (`Cache-Control:
   * no-cache`: a cached copy is revalidated first), as following a feed and
   * polling it need.
   */
  cached?: boolean;
}

/**
 * GETs a feed through an any-origin client, following up to three
 * redirects (each hop checked like the first), and reads it. Never throws
 * for what the feed or its site does: every failure comes back as a
 * {@link FeedRead} of kind `failed`.
 */
export async function readFeed(
  http: PluginHttpClient,
  url: string,
  signal: AbortSignal,
  options: ReadOptions = {},
): Promise<FeedRead> {
  const { validators = {}, cached = false } = options;
  const headers: Record<string, string> = {};
  if (validators.etag !== undefined) headers['if-none-match'] = validators.etag;
  if (validators.lastModified !== undefined) headers['if-modified-since'] = validators.lastModified;
  if (!cached && Object.keys(headers).length === 0) headers['cache-control'] = 'no-cache';
  let current = url;
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    let answer;
    try {
      answer = await http.get(current, { headers, signal });
    } catch (err) {
      if (!(err instanceof PluginHttpError)) throw err;
      return { kind: 'failed', failure: failureOf(err), status: err.status };
    }
    const { status } = answer;
    if (status >= 300 && status < 400 && status !== 304) {
      const location = [answer.headers['location']].flat()[0];
      if (location === undefined) return { kind: 'failed', failure: 'bad-url', status };
      try {
        current = new URL(location, answer.url).href;
      } catch {
        return { kind: 'failed', failure: 'bad-url', status };
      }
      continue;
    }
    if (status === 304) return { kind: 'not-modified' };
    if (status === 404 || status === 410) return { kind: 'failed', failure: 'missing', status };
    if (status === 429 || status >= 500) return { kind: 'failed', failure: 'down', status };
    if (status < 200 || status >= 300) return { kind: 'failed', failure: 'refused', status };
    const feed = readFeedText(answer.text);
    if (feed === null)
      return { kind: 'failed', failure: 'not-feed', status, feedLink: feedLinkIn(answer.text, answer.url) };
    return {
      kind: 'feed',
      feed,
      etag: header(answer.headers['etag']),
      lastModified: header(answer.headers['last-modified']),
    };
  }
  return { kind: 'failed', failure: 'bad-url', status: null };
}

function failureOf(err: PluginHttpError): FeedFailure {
  switch (err.failure) {
    case 'too-large':
      return 'too-large';
    case 'private-host':
      return 'private-host';
    case 'bad-url':
      return 'bad-url';
    case 'status':
      // The retry interceptor gives up with the last status as an error.
      return err.status === 404 || err.status === 410
        ? 'missing'
        : err.status !== null && (err.status === 429 || err.status >= 500)
          ? 'down'
          : 'refused';
    default:
      return 'unreachable';
  }
}

/** A header's value; one too long to keep in a chat's data (a validator) is left out. */
function header(value: string | string[] | undefined): string | undefined {
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined || first === '' || first.length > 300 ? undefined : first;
}
