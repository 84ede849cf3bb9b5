import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { ApiContext } from '../api-context.js';
import { Alerts } from '../schemas/alerts.js';

/** `GET /api/alerts`: quarantined chats, a stalled ingress, dead letters, circuit breakers, recent errors, raids and takeovers. */
export const alertRoutes: FastifyPluginAsyncTypebox<{ ctx: ApiContext }> = async (app, { ctx }) => {
  app.get(
    '/alerts',
    {
      config: { role: 'viewer' },
      schema: {
        summary:
          'What needs attention: quarantined chats, circuit breakers, recent errors, raids and account takeovers',
        tags: ['stats'],
        querystring: Type.Object(
          {
            errors: Type.Optional(
              Type.Integer({ minimum: 0, maximum: 200, default: 50, description: 'recent errors to include' }),
            ),
            anomalies: Type.Optional(
              Type.Integer({ minimum: 0, maximum: 200, default: 50, description: 'recent anomaly alerts to include' }),
            ),
          },
          { additionalProperties: false },
        ),
        response: { 200: Alerts },
      },
    },
    async (request) => {
      const stats = ctx.deps.runtime.stats();
      const ingress = ctx.deps.ingress?.ingress();
      return {
        quarantined: stats.quarantined.map((q) => ({
          chatId: q.key,
          reason: q.reason,
          until: new Date(q.untilMs).toISOString(),
        })),
        breakers: ctx.deps.breakers?.breakers() ?? [],
        ingress:
          ingress === undefined
            ? null
            : {
                stalled: ingress.stalled,
                stalledForS: ingress.stalledForMs / 1000,
                updatesWaiting: ingress.updatesWaiting,
              },
        deadLetters: await countDeadLetters(ctx),
        recentErrors: ctx.deps.errors?.recent(request.query.errors ?? 50) ?? [],
        anomalies:
          ctx.deps.anomalies
            ?.recent(request.query.anomalies ?? 50)
            .map(({ atMs, ...alert }) => ({ ...alert, at: new Date(atMs).toISOString() })) ?? null,
        counters: {
          deadLetters: stats.deadLetters,
          persistFailures: stats.persistFailures,
          overflowRejected: stats.overflowRejected,
          restarts: stats.restarts,
        },
      };
    },
  );
};

/** Null when they are not kept here or cannot be counted: the alerts panel must answer most when storage fails. */
async function countDeadLetters(ctx: ApiContext): Promise<number | null> {
  try {
    return (await ctx.deps.deadLetters?.count()) ?? null;
  } catch (error) {
    ctx.deps.logger.warn({ err: error }, 'dead letters cannot be counted for the alerts panel');
    return null;
  }
}
