import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { ApiContext } from '../api-context.js';
import { AuditEntry, AuditQuery } from '../schemas/audit.js';
import { PageOf } from '../schemas/pagination.js';

/** `GET /api/audit`: who changed what, newest first, filterable. */
export const auditRoutes: FastifyPluginAsyncTypebox<{ ctx: ApiContext }> = async (app, { ctx }) => {
  app.get(
    '/audit',
    {
      config: { role: 'admin' },
      schema: {
        summary: 'The audit log, newest first; filter by token, action (prefix*), target and time',
        tags: ['audit'],
        querystring: AuditQuery,
        response: { 200: PageOf(AuditEntry) },
      },
    },
    async (request) => {
      const { cursor, limit, ...filter } = request.query;
      return ctx.deps.audit.query(filter, { cursor, limit: limit ?? 50 });
    },
  );
};
