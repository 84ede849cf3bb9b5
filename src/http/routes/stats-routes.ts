import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { ApiContext } from '../api-context.js';
import { StatsHistory, StatsHistoryQuery, StatsSnapshot } from '../schemas/stats.js';

/** `GET /api/stats` and `/api/stats/history`: the dashboard's live figures and chart data. */
export const statsRoutes: FastifyPluginAsyncTypebox<{ ctx: ApiContext }> = async (app, { ctx }) => {
  // One snapshot is served for a while; serialising it once per snapshot
  // instead of once per poll keeps a busy /api/stats nearly free.
  const serialized = new WeakMap<StatsSnapshot, string>();
  app.get(
    '/stats',
    {
      // Polled every few seconds by every open dashboard: not worth a log line each.
      logLevel: ctx.quietLogLevel,
      config: { role: 'viewer' },
      schema: {
        summary: 'Runtime, throughput, LLM, actors, pools and persistence figures',
        tags: ['stats'],
        response: { 200: StatsSnapshot },
      },
    },
    async (_request, reply) => {
      await ctx.knownChats.refresh();
      const snapshot = ctx.snapshotter.snapshot();
      let json = serialized.get(snapshot);
      if (json === undefined) {
        const out = reply.serialize(snapshot);
        json = typeof out === 'string' ? out : new TextDecoder().decode(out);
        serialized.set(snapshot, json);
      }
      const body = json;
      // A custom serializer leaves the content type to the route.
      return reply
        .type('application/json; charset=utf-8')
        .serializer(() => body)
        .send(snapshot);
    },
  );

  app.get(
    '/stats/history',
    {
      logLevel: ctx.quietLogLevel,
      config: { role: 'viewer' },
      schema: {
        summary: 'Chart points of the last hour (updates/s, replies/s, LLM latency, active chats)',
        tags: ['stats'],
        querystring: StatsHistoryQuery,
        response: { 200: StatsHistory },
      },
    },
    async (request) => ctx.sampler.history(request.query.since),
  );
};
