/** One answer of a {@link CookieClient} request (never followed). */
export interface Hop {
  url: string;
  status: number;
  location: string | null;
  setCookies: string[];
  body: string;
}

/**
 * An HTTP client with a cookie jar per origin, following redirects one hop
 * at a time as a browser would (cookies set on a hop go with the next), so
 * a test can watch and tamper with each step of a login. Paths and
 * SameSite are not modelled: each origin's cookies go with every request to it.
 */
export class CookieClient {
  readonly jar = new Map<string, Map<string, string>>();

  cookie(origin: string, name: string): string | undefined {
    return this.jar.get(origin)?.get(name);
  }

  async request(
    url: string,
    init: { method?: string; headers?: Record<string, string>; body?: string } = {},
  ): Promise<Hop> {
    const origin = new URL(url).origin;
    const cookies = [...(this.jar.get(origin) ?? new Map<string, string>())].map(([k, v]) => `${k}=${v}`).join('; ');
    const response = await fetch(url, {
      method: init.method ?? 'GET',
      redirect: 'manual',
      headers: { ...(cookies === '' ? {} : { cookie: cookies }), ...init.headers },
      ...(init.body === undefined ? {} : { body: init.body }),
    });
    const setCookies = response.headers.getSetCookie();
    const jar = this.jar.get(origin) ?? new Map<string, string>();
    this.jar.set(origin, jar);
    for (const line of setCookies) {
      const [pair, ...attributes] = line.split(';');
      const at = (pair as string).indexOf('=');
      const name = (pair as string).slice(0, at).trim();
      const value = (pair as string).slice(at + 1).trim();
      const expired = attributes.some(
        (a) =>
          /^\s*max-age=0\s*$/i.test(a) ||
          (/^\s*expires=/i.test(a) && Date.parse(a.split('=')[1] as string) < Date.now()),
      );
      if (expired || value === '') jar.delete(name);
      else jar.set(name, value);
    }
    const location = response.headers.get('location');
    return {
      url,
      status: response.status,
      location: location === null ? null : new URL(location, url).href,
      setCookies,
      body: await response.text(),
    };
  }

  /** Follows redirects from `url` until `stop` says so (or an answer is not a redirect); answers every hop. */
  async follow(url: string, stop: (next: string) => boolean = () => false): Promise<Hop[]> {
    const hops: Hop[] = [];
    let next: string | null = url;
    while (next !== null && hops.length < 20) {
      const hop = await this.request(next);
      hops.push(hop);
      next = hop.status >= 300 && hop.status < 400 ? hop.location : null;
      if (next !== null && stop(next)) break;
    }
    return hops;
  }
}
