import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Identity } from '../schemas/token.js';

/** `GET /api/me`: who the token belongs to; the dashboard's login check. */
export const sessionRoute: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/me',
    {
      config: { role: 'viewer' },
      schema: { summary: 'The calling token: id, label and role', tags: ['session'], response: { 200: Identity } },
    },
    async (request) => request.identity as Identity,
  );
};
