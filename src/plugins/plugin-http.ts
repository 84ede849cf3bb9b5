import { isIP } from 'node:net';
import { Agent, cacheStores, type Dispatcher, interceptors, request } from 'undici';
import { RateLimiterMemory, type RateLimiterRes } from 'rate-limiter-flexible';
import type { z } from 'zod';
import { InvalidOptionError, LekhaError } from '../runtime/index.js';
import { isPrivateAddress, PRIVATE_HOST_CODE, publicOnlyLookup } from './private-address.js';

/** What a client is built with: one upstream under `baseUrl`, or any origin (see {@link AnyOriginOptions}). */
export type PluginHttpOptions = PluginHttpCommonOptions & (BaseUrlOptions | AnyOriginOptions);

export interface BaseUrlOptions {
  /** Where the upstream API lives (`https://api.open-meteo.com/v1`); request paths are resolved under it. */
  baseUrl: string;
  anyOrigin?: false;
}

/**
 * A client whose `get` takes absolute http(s) URLs on any host (a feed
 * reader's, for URLs members give). It refuses hosts that are or resolve to
 * loopback, private, link-local or unique-local addresses (the cloud
 * metadata service among them) unless `allowPrivateHosts`, so a member
 * cannot make the bot fetch from the network it runs in.
 */
export interface AnyOriginOptions {
  anyOrigin: true;
  baseUrl?: undefined;
  /** Lets it reach private addresses too (tests and the sandbox, whose emulators are local). */
  allowPrivateHosts?: boolean;
}

export interface PluginHttpCommonOptions {
  /** The longest one attempt may wait for the answer's headers and body (default 5 s). */
  timeoutMs?: number;
  /** Further attempts after a network error, a 5xx or a 429, with exponential backoff (default 2). */
  retries?: number;
  /**
   * How long a GET answer without caching headers is reused (default 0: only
   * what the upstream's `Cache-Control`/`Expires` allow is cached).
   */
  cacheTtlMs?: number;
  /**
   * Sent with every request (an API key header). Never logged. They are the
   * client's own, added beneath its cache: they neither split it nor make
   * answers uncacheable (a shared cache keeps nothing asked for with an
   * `Authorization` header, and every request of this client carries the same).
   */
  headers?: Record<string, string>;
  /** Answers bigger than this are refused (default 2 MiB). */
  maxResponseBytes?: number;
  /**
   * The most requests this bot sends the upstream a second or a minute (its
   * published limit, or a polite share of it); a request beyond waits for
   * the next window when that comes within `timeoutMs`, and fails at once
   * otherwise (so the member hears "busy" rather than waiting out the
   * handler's time limit). Cache hits never count. Unset: no limit.
   */
  rateLimit?: RateLimit;
}

export type RateLimit = { perSecond: number } | { perMinute: number };

export type QueryValue = string | number | boolean | undefined;

export interface RequestOptions {
  query?: Record<string, QueryValue>;
  headers?: Record<string, string>;
  /** The handler's signal: the request ends when the call does. */
  signal?: AbortSignal;
}

export interface HttpAnswer {
  /** The URL asked for (for an any-origin client, to resolve a redirect's `Location` against). */
  url: string;
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/** A plugin's client for one upstream API. */
export interface PluginHttpClient {
  /** GETs `path` and parses JSON; a non-2xx answer or bad JSON throws {@link PluginHttpError}. */
  getJson<T = unknown>(path: string, options?: RequestOptions): Promise<T>;
  /**
   * GETs `path` and reads the JSON through `schema` (a zod schema of the
   * fields the plugin uses): an answer in another shape throws
   * {@link PluginHttpError} like malformed JSON does.
   */
  getParsed<T>(path: string, schema: z.ZodType<T>, options?: RequestOptions): Promise<T>;
  /**
   * GETs `path` (for an any-origin client, an absolute http(s) URL), whatever
   * the status (a feed, a page). A request carrying its own validators
   * (`If-None-Match`, `If-Modified-Since`) skips the response cache: the
   * caller keeps its copy and gets the upstream's 304 as it is.
   */
  get(path: string, options?: RequestOptions): Promise<HttpAnswer>;
  close(): Promise<void>;
}

/**
 * What failed: the URL (not an absolute http(s) one, for an any-origin
 * client), the connection (network error, timeout), the answer's status,
 * its body (over the size limit, malformed or in another shape), the
 * host, refused because it is private (an any-origin client), or the
 * client's own rate limit, which held the request back.
 */
export type PluginHttpFailure =
  'bad-url' | 'network' | 'status' | 'too-large' | 'malformed' | 'private-host' | 'own-limit';

/**
 * An upstream request failed: network, timeout, status or body. The message
 * names the upstream's host and the status only — never the path or query,
 * which may carry what a member asked for or an API key.
 */
export class PluginHttpError extends LekhaError {
  declare readonly code: 'PLUGIN_HTTP_FAILED';
  readonly failure: PluginHttpFailure;

  constructor(
    readonly host: string,
    readonly status: number | null,
    detail: string,
    options?: { cause?: unknown; failure?: PluginHttpFailure },
  ) {
    const failure = options?.failure ?? (status === null ? 'network' : 'status');
    super('PLUGIN_HTTP_FAILED', `upstream ${host}: ${detail}`, {
      retryable:
        failure !== 'private-host' && failure !== 'bad-url' && (status === null || status >= 500 || status === 429),
      ...(options?.cause === undefined ? {} : { cause: options.cause }),
    });
    this.failure = failure;
  }
}

const RETRY_STATUS = [429, 500, 502, 503, 504];

/**
 * Builds an upstream client on undici: one connection pool per client, the
 * retry interceptor (network errors, 5xx and 429, backoff honouring
 * `Retry-After`) and the RFC 9111 cache interceptor over an in-memory store,
 * with the rate limit innermost so that only requests that reach the
 * upstream (each retry included) count against it, and the client's own
 * headers beneath it all.
 */
export function createPluginHttp(options: PluginHttpOptions): PluginHttpClient {
  const base = options.anyOrigin === true ? null : baseUrlOf(options.baseUrl);
  const guarded = options.anyOrigin === true && options.allowPrivateHosts !== true;
  const timeoutMs = options.timeoutMs ?? 5000;
  const retries = options.retries ?? 2;
  const maxBytes = options.maxResponseBytes ?? 2 * 1024 * 1024;
  if (!(timeoutMs > 0)) throw new InvalidOptionError('timeoutMs', 'timeoutMs must be positive');
  if (!Number.isInteger(retries) || retries < 0)
    throw new InvalidOptionError('retries', 'retries must be a whole number, 0 or more');
  const cacheTtlMs = options.cacheTtlMs ?? 0;
  const limitedAs = base?.host ?? 'any origin';
  const store = new cacheStores.MemoryCacheStore({ maxCount: 1000, maxSize: 16 * 1024 * 1024 });

  const uncached: Dispatcher.DispatcherComposeInterceptor[] = [
    ...(options.headers === undefined ? [] : [withHeaders(options.headers)]),
    ...(options.rateLimit === undefined ? [] : [rateLimited(options.rateLimit, timeoutMs, limitedAs)]),
    interceptors.retry({
      maxRetries: retries,
      minTimeout: 100,
      maxTimeout: 2000,
      timeoutFactor: 2,
      statusCodes: RETRY_STATUS,
      methods: ['GET', 'HEAD'],
    }),
  ];
  const cache = interceptors.cache({
    store,
    methods: ['GET'],
    // Milliseconds: undici adds it to the answer's time like the stale times it computes from max-age.
    ...(cacheTtlMs > 0 ? { cacheByDefault: cacheTtlMs } : {}),
  });
  const agent = new Agent({
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
    connections: 16,
    ...(guarded ? { connect: { lookup: publicOnlyLookup } } : {}),
  });
  const cached = agent.compose(...uncached, cache);
  // The caller's own revalidation: undici's cache would answer its 304 with the stored copy.
  const direct = agent.compose(...uncached);

  function urlOf(path: string, req: RequestOptions = {}): URL {
    const url = base === null ? absoluteUrl(path) : new URL(path.replace(/^\//, ''), base);
    for (const [key, value] of Object.entries(req.query ?? {})) {
      if (value !== undefined) url.searchParams.set(key, String(value));
    }
    return url;
  }

  /** Drops the cached answer to `url`: one that could not be read must not be served again for its whole TTL. */
  function forget(url: URL): void {
    store.delete({ origin: url.origin, method: 'GET', path: `${url.pathname}${url.search}` });
  }

  async function get(path: string, req: RequestOptions = {}): Promise<HttpAnswer> {
    const url = urlOf(path, req);
    const host = url.host;
    // An address in the URL is never looked up, so the lookup's check never sees it.
    if (guarded && isIP(url.hostname.replace(/^\[|\]$/g, '')) !== 0 && isPrivateAddress(url.hostname))
      throw privateHost(host);
    const headers = { accept: 'application/json', ...req.headers };
    const conditional = Object.keys(headers).some((name) => /^if-(none-match|modified-since)$/i.test(name));
    let answer: Dispatcher.ResponseData;
    try {
      answer = await request(url, {
        method: 'GET',
        dispatcher: conditional ? direct : cached,
        headers,
        ...(req.signal === undefined ? {} : { signal: req.signal }),
      });
    } catch (err) {
      if (err instanceof PluginHttpError) throw err;
      if ((err as { code?: unknown }).code === PRIVATE_HOST_CODE) throw privateHost(host);
      throw new PluginHttpError(host, statusOf(err), describe(err), { cause: err });
    }
    const text = await readCapped(answer.body, maxBytes, host);
    return { url: url.href, status: answer.statusCode, headers: answer.headers, text };
  }

  async function getJson<T>(path: string, req?: RequestOptions): Promise<T> {
    const answer = await get(path, req);
    const host = new URL(answer.url).host;
    if (answer.status < 200 || answer.status >= 300)
      throw new PluginHttpError(host, answer.status, `answered ${answer.status}`);
    try {
      return JSON.parse(answer.text) as T;
    } catch (err) {
      forget(new URL(answer.url));
      throw new PluginHttpError(host, answer.status, 'answered with malformed JSON', {
        cause: err,
        failure: 'malformed',
      });
    }
  }

  return {
    get,
    getJson,
    async getParsed<T>(path: string, schema: z.ZodType<T>, req?: RequestOptions): Promise<T> {
      const json = await getJson(path, req);
      const parsed = schema.safeParse(json);
      if (parsed.success) return parsed.data;
      forget(urlOf(path, req));
      // The paths of the bad fields only: their values may be anything the upstream sent.
      const where = parsed.error.issues
        .slice(0, 3)
        .map((issue) => issue.path.join('.') || '(root)')
        .join(', ');
      const host = base?.host ?? hostOf(path);
      throw new PluginHttpError(host, 200, `answered in an unexpected shape (${where})`, { failure: 'malformed' });
    },
    close: () => agent.close(),
  };
}

function baseUrlOf(baseUrl: string): URL {
  let base: URL;
  try {
    base = new URL(baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`);
  } catch {
    throw new InvalidOptionError('baseUrl', `baseUrl must be an absolute http(s) URL`);
  }
  if (base.protocol !== 'http:' && base.protocol !== 'https:')
    throw new InvalidOptionError('baseUrl', 'baseUrl must be an http(s) URL');
  return base;
}

/** An any-origin client's URL; anything but an absolute http(s) URL is refused before a request is made. */
function absoluteUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new PluginHttpError('(none)', null, 'not an absolute URL', { failure: 'bad-url' });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new PluginHttpError(url.host || '(none)', null, 'not an http(s) URL', { failure: 'bad-url' });
  return url;
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return '(none)';
  }
}

function privateHost(host: string): PluginHttpError {
  return new PluginHttpError(host, null, 'refused: the host is a private address', { failure: 'private-host' });
}

/** An interceptor adding the client's own headers to each request (over the request's). */
function withHeaders(headers: Record<string, string>): Dispatcher.DispatcherComposeInterceptor {
  return (dispatch) => (opts, handler) =>
    dispatch({ ...opts, headers: { ...headerRecord(opts.headers), ...headers } }, handler);
}

/** Request headers in any of undici's forms (a record, flat name/value pairs, or an iterable of pairs) as a record. */
function headerRecord(headers: Dispatcher.DispatchOptions['headers']): Record<string, string | string[] | undefined> {
  if (headers === null || headers === undefined) return {};
  if (Array.isArray(headers)) {
    const record: Record<string, string> = {};
    for (let i = 0; i + 1 < headers.length; i += 2) record[String(headers[i])] = String(headers[i + 1]);
    return record;
  }
  if (Symbol.iterator in headers)
    return Object.fromEntries(headers as Iterable<[string, string | string[] | undefined]>);
  return headers as Record<string, string | string[] | undefined>;
}

/**
 * An interceptor holding each request until the upstream's limit has room
 * (rate-limiter-flexible's fixed window), for at most `maxWaitMs`.
 */
function rateLimited(limit: RateLimit, maxWaitMs: number, host: string): Dispatcher.DispatcherComposeInterceptor {
  const [points, duration] = 'perSecond' in limit ? [limit.perSecond, 1] : [limit.perMinute, 60];
  if (!Number.isInteger(points) || points < 1)
    throw new InvalidOptionError('rateLimit', 'rateLimit.perSecond or perMinute must be a whole number, 1 or more');
  const limiter = new RateLimiterMemory({ points, duration });
  const admit = async (): Promise<void> => {
    const deadline = Date.now() + maxWaitMs;
    for (;;) {
      try {
        await limiter.consume(host);
        return;
      } catch (refusal) {
        if (refusal instanceof Error) throw refusal;
        const waitMs = (refusal as RateLimiterRes).msBeforeNext;
        if (Date.now() + waitMs > deadline) throw new Error('no room within the time limit', { cause: refusal });
        await new Promise((resolve) => setTimeout(resolve, waitMs));
      }
    }
  };
  return (dispatch) => (opts, handler) => {
    admit().then(
      () => dispatch(opts, handler),
      () =>
        handler.onResponseError?.(
          null as never,
          new PluginHttpError(host, 429, "too many requests for this upstream just now (the bot's own limit)", {
            failure: 'own-limit',
          }),
        ),
    );
    return true;
  };
}

async function readCapped(body: Dispatcher.ResponseData['body'], maxBytes: number, host: string): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) {
      body.destroy();
      throw new PluginHttpError(host, null, `answer is larger than ${maxBytes} bytes`, { failure: 'too-large' });
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function statusOf(err: unknown): number | null {
  const status = (err as { statusCode?: unknown }).statusCode;
  return typeof status === 'number' ? status : null;
}

/** What went wrong, without the URL (undici's messages do not carry it; ours never do). */
function describe(err: unknown): string {
  const status = statusOf(err);
  if (status !== null) return `answered ${status} (after retries)`;
  const name = (err as { name?: unknown }).name;
  if (name === 'AbortError') return 'request aborted';
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' ? `request failed (${code})` : 'request failed';
}
