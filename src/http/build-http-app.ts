import { randomBytes } from 'node:crypto';
import fastifyCookie from '@fastify/cookie';
import fastifyCsrfProtection from '@fastify/csrf-protection';
import fastifySwagger from '@fastify/swagger';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, {
  type FastifyInstance,
  type RawReplyDefaultExpression,
  type RawRequestDefaultExpression,
  type RawServerDefault,
} from 'fastify';
import type { Logger } from 'pino';
import { SystemClock } from '../runtime/index.js';
import type { ApiContext } from './api-context.js';
import { AuditTrail } from './audit-trail.js';
import { SessionManager } from './auth/session-manager.js';
import { TokenAuthenticator } from './auth/token-authenticator.js';
import { clusterProbe } from './cluster/cluster-probe.js';
import { handleError, handleNotFound } from './error-handler.js';
import type { HttpDeps } from './http-deps.js';
import { apiRoutes } from './routes/api-routes.js';
import { dashboardRoutes } from './routes/dashboard-routes.js';
import { healthRoutes } from './routes/health-routes.js';
import { loginRoutes } from './routes/login-routes.js';
import { metricsRoute } from './routes/metrics-route.js';
import { quietLogLevel } from './quiet-log-level.js';
import { ErrorBody } from './schemas/error-body.js';
import { textFormat } from './schemas/text.js';
import { createSecurityHeadersHook } from './security-headers.js';
import { PrometheusExporter } from './stats/prometheus-exporter.js';
import { KnownChats } from './stats/known-chats.js';
import { StatsSampler } from './stats/stats-sampler.js';
import { StatsSnapshotter } from './stats/stats-snapshotter.js';
import { validationMessage } from './validation-message.js';
import './fastify-augment.js';

/** The admin surface's Fastify instance (schemas typed through TypeBox). */
export type HttpApp = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  Logger,
  TypeBoxTypeProvider
>;

/**
 * Builds the admin surface — `/healthz`, `/readyz`, `/metrics`,
 * `/docs/json`, the token-protected `/api`, and the dashboard at `/` — on
 * the given ports, ready to `listen` or to `inject` requests in tests. The
 * stats sampler starts here and stops when the app closes.
 */
export async function buildHttpApp(deps: HttpDeps): Promise<HttpApp> {
  const clock = deps.clock ?? new SystemClock();
  const options = deps.options ?? {};

  const app: HttpApp = Fastify({
    loggerInstance: deps.logger,
    trustProxy: options.trustProxy ?? false,
    // Unknown fields are an error the caller hears about, not something
    // silently dropped (a typo in a settings patch must not "succeed").
    ajv: {
      customOptions: {
        removeAdditional: false,
        formats: { [textFormat.name]: { type: 'string', validate: textFormat.validate } },
      },
    },
    schemaErrorFormatter: (errors, dataVar) => new Error(validationMessage(errors, dataVar)),
  }).withTypeProvider<TypeBoxTypeProvider>();

  const sampler = new StatsSampler({
    runtime: deps.runtime,
    metrics: deps.metrics,
    clock,
    sampleMs: options.sampleMs,
    historyMs: options.historyMs,
  });
  const quiet = quietLogLevel(deps.logger);
  if (deps.login !== undefined && deps.sessions === undefined)
    throw new Error('login methods are configured but there is no session store to keep sessions in');
  const login = deps.login;
  const sessions =
    deps.sessions === undefined
      ? undefined
      : new SessionManager({
          store: deps.sessions,
          clock,
          idleMs: login?.idleMs ?? 3600_000,
          maxAgeMs: login?.maxAgeMs ?? 12 * 3600_000,
        });
  const secureCookies = login !== undefined && new URL(login.publicUrl).protocol === 'https:';
  const knownChats = new KnownChats({ directory: deps.directory, runtime: deps.runtime, clock, logger: deps.logger });
  const ctx: ApiContext = {
    deps,
    clock,
    sampler,
    knownChats,
    quietLogLevel: quiet,
    auditTrail: new AuditTrail(deps.audit, clock),
    sessions,
    secureCookies,
    authenticator: new TokenAuthenticator({
      store: deps.tokens,
      bootstrapAdminToken: deps.adminToken,
      clock,
      cacheMs: options.tokenCacheMs,
    }),
    snapshotter: new StatsSnapshotter({
      runtime: deps.runtime,
      metrics: deps.metrics,
      sampler,
      knownChats,
      clock,
    }),
  };
  const exporter = new PrometheusExporter({
    metrics: deps.metrics,
    clock,
    defaultMetrics: options.defaultMetrics,
    cacheMs: options.metricsCacheMs,
  });

  app.decorateRequest('identity', null);
  app.decorateRequest('auditDetails', null);
  app.decorateRequest('adminSession', null);
  await app.register(fastifyCookie);
  // The CSRF secret sits in its own cookie; tokens are bound to the session
  // (userInfo) under a per-process key, so a restart makes the dashboard
  // fetch a fresh token from /api/me, nothing more.
  await app.register(fastifyCsrfProtection, {
    cookieOpts: { path: '/', httpOnly: true, sameSite: 'strict', secure: secureCookies },
    csrfOpts: { hmacKey: options.csrfKey ?? randomBytes(32) },
    getUserInfo: (request) => request.adminSession?.id ?? '',
  });
  app.setErrorHandler(handleError);
  app.setNotFoundHandler(handleNotFound);
  app.addSchema(ErrorBody);
  app.addHook('onRoute', (route) => {
    if (route.schema === undefined) return;
    const response = (route.schema.response ??= {}) as Record<string, unknown>;
    response['4xx'] ??= { $ref: 'ErrorBody#' };
    response['5xx'] ??= { $ref: 'ErrorBody#' };
    if (route.url.startsWith('/api/')) route.schema.security ??= [{ bearerAuth: [] }];
  });

  app.addHook('onRequest', createSecurityHeadersHook({ telegramWidget: login?.telegram !== undefined }));
  await app.register(fastifySwagger, {
    openapi: {
      info: {
        title: 'Lekha admin API',
        version: '1',
        description:
          'Stats, metrics, chats, users, messages, settings, plugins, scheduled jobs, export and audit of a Lekha bot.',
      },
      components: { securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer' } } },
    },
    // Shared schemas keep their $id as their name in the document (ErrorBody, not def-0).
    refResolver: {
      buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`),
    },
  });

  await app.register(healthRoutes, {
    probes: [...(deps.readiness ?? []), ...(deps.cluster === undefined ? [] : [clusterProbe(deps.cluster)])],
    probeTimeoutMs: options.probeTimeoutMs ?? 2000,
    clock,
    logLevel: quiet,
  });
  await app.register(metricsRoute, { exporter, logLevel: quiet });
  app.get('/docs/json', { schema: { hide: true } }, async () => app.swagger());
  await app.register(dashboardRoutes, { logLevel: quiet });
  await app.register(async (outside) => {
    // Routes of outside plugins skip the token check, so they may not pose as admin routes.
    outside.addHook('onRoute', (route) => {
      if (route.url.startsWith('/api'))
        throw new Error(`${route.method} ${route.url}: plugin routes may not live under /api`);
    });
    for (const plugin of deps.plugins ?? []) await outside.register(plugin);
  });
  await app.register(loginRoutes, {
    settings: login,
    sessions,
    telegramAdmins: deps.telegramAdmins,
    audit: deps.audit,
    clock,
    secureCookies,
    rateLimit: options.rateLimit ?? { max: 1200, timeWindowMs: 60_000 },
  });
  await app.register(apiRoutes, { prefix: '/api', ctx });

  app.addHook('onClose', async () => sampler.stop());
  await app.ready();
  sampler.start();
  return app;
}
