import fastifyRateLimit from '@fastify/rate-limit';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { ApiContext } from '../api-context.js';
import { createAuthHook, createCsrfHook } from '../auth/auth-hook.js';
import { ChatForwarding } from '../cluster/chat-forwarding.js';
import { HttpError } from '../errors.js';
import { alertRoutes } from './alert-routes.js';
import { auditRoutes } from './audit-routes.js';
import { chatPluginRoutes } from './chat-plugin-routes.js';
import { chatRoutes } from './chat-routes.js';
import { chatStyleRoutes } from './chat-style-routes.js';
import { clusterRoutes } from './cluster-routes.js';
import { deadLetterRoutes } from './dead-letter-routes.js';
import { experimentRoutes } from './experiment-routes.js';
import { backupRoute } from './backup-route.js';
import { exportRoute } from './export-route.js';
import { finetuneExportRoute } from './finetune-export-route.js';
import { memberRoutes } from './member-routes.js';
import { messageRoutes } from './message-routes.js';
import { personaRoutes } from './persona-routes.js';
import { pluginOwnRoutes } from './plugin-own-routes.js';
import { pluginRoutes } from './plugin-routes.js';
import { schedulerRoutes } from './scheduler-routes.js';
import { sessionRoute } from './session-route.js';
import { statsRoutes } from './stats-routes.js';
import { sessionRoutes } from './session-routes.js';
import { telegramAdminRoutes } from './telegram-admin-routes.js';
import { tokenRoutes } from './token-routes.js';
import { userPrivacyRoutes } from './user-privacy-routes.js';

/**
 * Everything under `/api`: rate limit first (so guessing tokens is limited
 * too), then the token and role check, then (in cluster mode) the hand-over
 * of a call about one chat to the member serving it (see `ChatForwarding`),
 * then the schema, then the audit row of an audited route (see
 * `AuditTrail`), then the route. A route without a
 * declared role is a start-up error, so nothing under `/api` can be public
 * by accident.
 */
export const apiRoutes: FastifyPluginAsyncTypebox<{ ctx: ApiContext }> = async (app, { ctx }) => {
  const limit = ctx.deps.options?.rateLimit ?? { max: 1200, timeWindowMs: 60_000 };
  if (limit !== false) {
    await app.register(fastifyRateLimit, {
      max: limit.max,
      timeWindow: limit.timeWindowMs,
      errorResponseBuilder: (_request, context) =>
        new HttpError(429, 'RATE_LIMITED', `too many requests; retry in ${context.after}`),
    });
  }

  const authenticate = createAuthHook(ctx.authenticator, ctx.sessions);
  const checkCsrf = createCsrfHook(app.csrfProtection.bind(app));
  const cluster = ctx.deps.cluster;
  const forwarding =
    cluster === undefined
      ? undefined
      : new ChatForwarding({
          cluster,
          metrics: ctx.deps.metrics,
          timeoutMs: ctx.deps.options?.clusterForwardTimeoutMs,
          relayed: (request) => ctx.auditTrail.handledElsewhere(request),
        });
  if (forwarding !== undefined) app.addHook('onClose', () => forwarding.close());
  // Registered after the rate limiter's own onRoute hook, so its per-route
  // onRequest handler runs first and ours after it.
  app.addHook('onRoute', (route) => {
    if (route.config?.role === undefined) throw new Error(`${route.method} ${route.url} must declare config.role`);
    const existing =
      route.onRequest === undefined ? [] : Array.isArray(route.onRequest) ? route.onRequest : [route.onRequest];
    const owned = forwarding !== undefined && ChatForwarding.appliesTo(route.url) ? [forwarding.hook] : [];
    route.onRequest = [...existing, authenticate, checkCsrf, ...owned];
  });
  app.addHook('preHandler', ctx.auditTrail.beforeHandler);
  app.addHook('onSend', ctx.auditTrail.afterHandler);

  await app.register(sessionRoute, { ctx });
  for (const routes of [
    statsRoutes,
    clusterRoutes,
    alertRoutes,
    deadLetterRoutes,
    personaRoutes,
    experimentRoutes,
    chatRoutes,
    chatStyleRoutes,
    memberRoutes,
    userPrivacyRoutes,
    messageRoutes,
    pluginRoutes,
    chatPluginRoutes,
    pluginOwnRoutes,
    schedulerRoutes,
    exportRoute,
    finetuneExportRoute,
    backupRoute,
    auditRoutes,
    tokenRoutes,
    sessionRoutes,
    telegramAdminRoutes,
  ]) {
    await app.register(routes, { ctx });
  }
};
