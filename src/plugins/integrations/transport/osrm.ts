import { z } from 'zod';
import type { Language } from '../../../chat/index.js';
import type { Localized, PluginSetup } from '../../plugin-api.js';
import { type HttpAnswer, type PluginHttpClient, PluginHttpError } from '../../plugin-http.js';
import { upstream } from '../integration-kit.js';
import type { Place } from '../weather/place-choice.js';

/** The OSRM demo server (project-osrm.org/docs/v5.24.0/api). */
export const ROUTING_BASE_URL = 'https://router.project-osrm.org';

/** Roads change slowly: a route is reused for a day. */
const ROUTE_TTL_MS = 24 * 60 * 60 * 1000;

/** The service's name in a failure's answer. */
const SERVICE: Localized = { en: 'The route service', ru: 'Сервис маршрутов', uk: 'Сервіс маршрутів' };

/** A route service answer: `Ok` with routes, best first (the fields Lekha uses). */
const routeSchema = z.looseObject({
  code: z.literal('Ok'),
  routes: z.array(z.looseObject({ distance: z.number(), duration: z.number() })).min(1),
});

/** Why there is no route: an error code (`NoRoute`, `NoSegment`, `InvalidQuery`…), which comes with HTTP 400. */
const errorSchema = z.looseObject({ code: z.string(), message: z.string().optional() });

/** What the route service found between two places for one profile. */
export type RouteOutcome =
  | { kind: 'route'; distanceM: number; durationS: number }
  /** `NoRoute`: no road joins them (an ocean between). */
  | { kind: 'no-route' }
  /** `NoSegment`: no road near one of the ends. */
  | { kind: 'no-road' };

/** Where `setup` takes the routing client's settings. */
export interface RoutingSettings {
  baseUrl: string;
  timeoutMs: number;
  requestsPerMinute: number;
}

/** Reads routes from an OSRM server's route service. */
export class RoutingApi {
  private readonly host: string;

  constructor(
    private readonly http: PluginHttpClient,
    baseUrl: string,
  ) {
    this.host = new URL(baseUrl).host;
  }

  /** A routing client of the plugin being set up. */
  static of(p: Pick<PluginSetup<unknown>, 'http'>, settings: RoutingSettings): RoutingApi {
    const http = p.http({
      baseUrl: settings.baseUrl,
      timeoutMs: settings.timeoutMs,
      retries: 2,
      cacheTtlMs: ROUTE_TTL_MS,
      rateLimit: perWindow(settings.requestsPerMinute),
    });
    return new RoutingApi(http, settings.baseUrl);
  }

  /**
   * The fastest route from `from` to `to` for `profile`: an OSRM profile
   * name (`car`), or the whole path before the coordinates where a server
   * serves each profile under its own prefix (`routed-bike/route/v1/driving`).
   * A failure, or an answer that is neither a route nor a known "no route",
   * throws the in-persona failure of `upstream`.
   */
  route(profile: string, from: Place, to: Place, language: Language, signal: AbortSignal): Promise<RouteOutcome> {
    const service = profile.includes('/') ? profile.replace(/^\/+|\/+$/g, '') : `route/v1/${profile}`;
    const path = `${service}/${coordinates(from)};${coordinates(to)}`;
    const query = { overview: 'false' };
    return upstream(
      async () => {
        try {
          const [best] = (await this.http.getParsed(path, routeSchema, { query, signal })).routes;
          return { kind: 'route', distanceM: best!.distance, durationS: best!.duration };
        } catch (err) {
          // OSRM says why there is no route with a 400 and a code. Read through the schema first, so that a
          // garbled answer is never cached; a 400 never is, so asking again for its body costs one request.
          if (!(err instanceof PluginHttpError) || err.status !== 400) throw err;
          return this.noRoute(await this.http.get(path, { query, signal }));
        }
      },
      language,
      SERVICE,
    );
  }

  /** What a refusal says: no route, no road near an end, or a code that means the request was wrong. */
  private noRoute(answer: HttpAnswer): RouteOutcome {
    let json: unknown;
    try {
      json = JSON.parse(answer.text);
    } catch (err) {
      throw new PluginHttpError(this.host, answer.status, 'answered with malformed JSON', { cause: err });
    }
    const parsed = errorSchema.safeParse(json);
    if (answer.status !== 400 || !parsed.success)
      throw new PluginHttpError(this.host, answer.status, `answered ${answer.status}`);
    const { code } = parsed.data;
    if (code === 'NoRoute') return { kind: 'no-route' };
    if (code === 'NoSegment') return { kind: 'no-road' };
    // The code only (the message may quote the request), and only when it looks like one.
    throw new PluginHttpError(this.host, 400, `answered ${/^\w{1,40}$/.test(code) ? code : 'an error'}`);
  }
}

/**
 * A whole number a second when the limit allows it: the demo server counts
 * by the second, and a minute's window would let 60 requests go at once.
 */
function perWindow(requestsPerMinute: number): { perSecond: number } | { perMinute: number } {
  return requestsPerMinute % 60 === 0 ? { perSecond: requestsPerMinute / 60 } : { perMinute: requestsPerMinute };
}

/** `lon,lat` as OSRM wants it, to six decimals (about 10 cm). */
function coordinates(place: Place): string {
  return `${place.longitude.toFixed(6)},${place.latitude.toFixed(6)}`;
}
