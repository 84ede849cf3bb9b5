import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { ApiContext } from '../api-context.js';
import { Type } from 'typebox';
import { StatsHistory, StatsHistoryQuery, StatsSnapshot } from '../schemas/stats.js';

/** `GET /api/stats` and `/api/stats/history`: the dashboard's live figures and chart data. */
export const statsRoutes: FastifyPluginAsyncTypebox<{ ctx: ApiContext }> = async (app, { ctx }) => {
  app.get(
    '/stats',
    {
      // Polled every few seconds by every open dashboard: not worth a log line each.
      logLevel: ctx.quietLogLevel,
      config: { role: 'viewer' },
      schema: {
        summary: 'Runtime, throughput, LLM, actors, pools and persistence figures',
        description:
          'The figures move once per sampling tick; within a tick every caller gets the same answer. ' +
          'Send its ETag back as If-None-Match to get 304 Not Modified until the next tick.',
        tags: ['stats'],
        headers: Type.Object({ 'if-none-match': Type.Optional(Type.String()) }),
        response: { 200: StatsSnapshot, 304: Type.Null({ description: 'Not modified since the ETag sent' }) },
      },
    },
    async (request, reply) => {
      // Built, serialised and tagged once per tick; every poll of the tick sends the same bytes
      // (Fastify writes a Buffer as it is, past the response schema's serialiser).
      const { body, etag } = await ctx.snapshotter.current();
      // Every viewer sees the same figures, so one answer serves all roles.
      // no-cache: a browser may keep the answer but asks again each time, with If-None-Match.
      reply.header('etag', etag).header('cache-control', 'private, no-cache');
      if (matchesEtag(request.headers['if-none-match'], etag)) return reply.code(304).send(null);
      // The 200 schema documents these bytes: they are a StatsSnapshot serialised at build time.
      return reply
        .code(200)
        .type('application/json; charset=utf-8')
        .send(body as unknown as StatsSnapshot);
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

/** Whether `If-None-Match` names `etag` (a list of tags, weak or strong, or `*`). */
function matchesEtag(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  return header.split(',').some((tag) => {
    const t = tag.trim();
    return t === '*' || t === etag || t === `W/${etag}`;
  });
}
