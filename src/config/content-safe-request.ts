/** The parts of a Fastify request its log line shows. */
interface LoggedRequest {
  method?: string;
  url?: string;
  host?: string;
  ip?: string;
  headers?: Record<string, string | string[] | undefined>;
  socket?: { remotePort?: number };
}

/**
 * Fastify's request log field with the query string's values hidden (names
 * kept): a message search's `q` is what an admin looked for, often a name or
 * a phone number.
 */
export function contentSafeRequest(request: LoggedRequest): object {
  return {
    method: request.method,
    url: withoutQueryValues(request.url),
    version: request.headers?.['accept-version'],
    host: request.host,
    remoteAddress: request.ip,
    remotePort: request.socket?.remotePort,
  };
}

function withoutQueryValues(url: string | undefined): string | undefined {
  const at = url?.indexOf('?') ?? -1;
  if (url === undefined || at < 0) return url;
  const names = url
    .slice(at + 1)
    .split('&')
    .map((pair) => `${pair.split('=')[0]}=…`);
  return `${url.slice(0, at)}?${names.join('&')}`;
}
