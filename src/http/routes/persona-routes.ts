import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { ApiContext } from '../api-context.js';
import { PersonaInfo } from '../schemas/persona.js';

/** The personas chats can choose (`/persona`, or `persona` in a chat's settings). */
export const personaRoutes: FastifyPluginAsyncTypebox<{ ctx: ApiContext }> = async (app, { ctx }) => {
  app.get(
    '/personas',
    {
      config: { role: 'viewer' },
      schema: {
        summary: 'The personas the bot can take, with version and aliases; one is the default',
        tags: ['chats'],
        response: { 200: Type.Object({ personas: Type.Array(PersonaInfo) }) },
      },
    },
    async () => ({ personas: ctx.deps.personas?.list() ?? [] }),
  );
};
