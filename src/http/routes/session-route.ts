import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { ApiContext } from '../api-context.js';
import { Me } from '../schemas/session.js';
import type { Identity } from '../schemas/token.js';

/**
 * `GET /api/me`: who is calling; the dashboard's login check. A session
 * caller also gets the CSRF token its state-changing calls must carry.
 */
export const sessionRoute: FastifyPluginAsyncTypebox<{ ctx: ApiContext }> = async (app) => {
  app.get(
    '/me',
    {
      config: { role: 'viewer' },
      schema: {
        summary: 'The caller: id, label and role; for a dashboard session its CSRF token',
        tags: ['session'],
        response: { 200: Me },
      },
    },
    async (request, reply) => {
      const identity = request.identity as Identity;
      const session = request.adminSession;
      if (session === null) return { ...identity, via: 'token' as const, csrfToken: null, expiresAt: null };
      return {
        ...identity,
        via: 'session' as const,
        csrfToken: reply.generateCsrf({ userInfo: session.id }),
        expiresAt: session.expiresAt,
      };
    },
  );
};
