import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { LekhaError } from '../../runtime/index.js';
import type { ApiContext } from '../api-context.js';
import { HttpError, runtimeErrorStatus } from '../errors.js';
import type { PluginRoute } from '../ports/plugin-admin.js';

/** Fastify's own default, said out loud: a plugin's route takes no bigger body than the rest of the API. */
const BODY_LIMIT_BYTES = 1 << 20;
const DEFAULT_TIMEOUT_MS = 10_000;

const NAME = /^[a-z0-9][a-z0-9_-]{0,63}$/;
/** A path below the plugin's prefix: `/x`, `/items/:id`; no empty first segment, no `..`, nothing to escape. */
const URL_PATTERN = /^\/[A-Za-z0-9_:-][A-Za-z0-9_:.\-/]*$/;
/** First segments the admin API already serves under `/api/plugins/<name>/`. */
const RESERVED = new Set(['enabled', 'settings']);

/** Why a route cannot be mounted, or null. Checked at start-up: a bad route stops the start, like a bad manifest. */
function refusal(route: PluginRoute): string | null {
  if (!NAME.test(route.plugin)) return 'the plugin name is not a plain lower-case path segment';
  if (!URL_PATTERN.test(route.url) || route.url.includes('..')) return 'the url must be a plain path starting with /';
  const first = route.url.slice(1).split('/')[0] ?? '';
  if (RESERVED.has(first)) return `/${first} is the admin API's own route`;
  return null;
}

/**
 * Every plugin's own admin routes, under `/api/plugins/<plugin><url>`, behind
 * the same rate limit, token and role check as the rest of the API; every
 * call but a GET is audited (`plugin.route`, target `plugin:<name>`). A route
 * gets the parsed request, the caller's identity and a signal that aborts
 * when the caller goes away or the route's time is up (504). What it throws
 * stays in the server log: the caller gets a bare 500 `PLUGIN_ROUTE_FAILED`,
 * unless it is one of the runtime's typed refusals (a plugin not found,
 * settings refused).
 */
export const pluginOwnRoutes: FastifyPluginAsyncTypebox<{ ctx: ApiContext }> = async (app, { ctx }) => {
  const routes = ctx.deps.pluginAdmin?.routes() ?? [];
  const timeoutMs = ctx.deps.options?.pluginRouteTimeoutMs ?? DEFAULT_TIMEOUT_MS;
  for (const route of routes) {
    const why = refusal(route);
    if (why !== null) throw new Error(`plugin ${route.plugin}: cannot mount ${route.method} ${route.url}: ${why}`);
    const target = `plugin:${route.plugin}`;
    const name = `${route.method} ${route.url}`;
    app.route({
      method: route.method,
      url: `/plugins/${route.plugin}${route.url}`,
      bodyLimit: BODY_LIMIT_BYTES,
      config: {
        role: route.role,
        // The body is the plugin's business and may hold secrets: the row names the route only.
        ...(route.method === 'GET'
          ? {}
          : { audit: { action: 'plugin.route', target: () => target, requestDetails: () => ({ route: name }) } }),
      },
      schema: {
        summary: `${route.plugin}: ${route.method} ${route.url}`,
        description: `An admin route of the plugin ${route.plugin}; needs the ${route.role} role.`,
        tags: ['plugins'],
      },
      handler: (request, reply) => run(route, request, reply, timeoutMs, ctx),
    });
  }
};

async function run(
  route: PluginRoute,
  request: FastifyRequest,
  reply: FastifyReply,
  timeoutMs: number,
  ctx: ApiContext,
): Promise<FastifyReply> {
  const identity = request.identity;
  if (identity === null) throw new Error(`${request.method} ${request.url} reached its handler without a caller`);
  const abort = new AbortController();
  const callerLeft = (): void => abort.abort(new Error('the caller went away'));
  reply.raw.once('close', callerLeft);
  let timer: ReturnType<ApiContext['clock']['setTimer']> | undefined;
  const timedOut = new Promise<never>((_resolve, reject) => {
    timer = ctx.clock.setTimer(() => {
      const error = new HttpError(
        504,
        'PLUGIN_ROUTE_TIMEOUT',
        `plugin ${route.plugin} did not answer within ${timeoutMs} ms`,
      );
      abort.abort(error);
      reject(error);
    }, timeoutMs);
  });
  // A route that throws at once fails like one that rejects.
  const work = new Promise<unknown>((resolve) =>
    resolve(
      route.handler({
        params: strings(request.params),
        query: strings(request.query),
        body: request.body,
        identity,
        signal: abort.signal,
      }),
    ),
  );
  // After a timeout nobody waits for the route any more; what it does then is only logged.
  work.catch((error: unknown) => {
    if (abort.signal.aborted)
      request.log.warn({ err: error, plugin: route.plugin }, 'plugin route failed after its call ended');
  });
  let result: unknown;
  try {
    result = await Promise.race([work, timedOut]);
  } catch (error) {
    throw shown(route, error);
  } finally {
    reply.raw.off('close', callerLeft);
    if (timer !== undefined) ctx.clock.clearTimer(timer);
  }
  if (result === undefined) return reply.status(204).send();
  let json: string;
  try {
    json = JSON.stringify(result);
  } catch (error) {
    throw shown(route, error);
  }
  return reply.type('application/json; charset=utf-8').send(json);
}

/** The error the caller may see: our own typed refusals as they are, anything else as a bare 500. */
function shown(route: PluginRoute, error: unknown): Error {
  if (error instanceof HttpError && error.code === 'PLUGIN_ROUTE_TIMEOUT') return error;
  if (error instanceof LekhaError && !(error instanceof HttpError) && runtimeErrorStatus[error.code] !== undefined)
    return error;
  return new HttpError(
    500,
    'PLUGIN_ROUTE_FAILED',
    `plugin ${route.plugin} failed to answer ${route.method} ${route.url}; the server log has the details`,
    error,
  );
}

/** Path and query values as the port promises them: one string each (the first of a repeated query key). */
function strings(values: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (typeof values !== 'object' || values === null) return out;
  for (const [key, value] of Object.entries(values)) {
    const one: unknown = Array.isArray(value) ? value[0] : value;
    if (typeof one === 'string') out[key] = one;
  }
  return out;
}
