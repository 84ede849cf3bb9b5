import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { ApiContext } from '../api-context.js';
import { HttpError, NotFoundError } from '../errors.js';
import type { PersonaEditor } from '../ports/persona-directory.js';
import { PersonaDefinition, PersonaInfo, PersonaVersionView } from '../schemas/persona.js';

const PersonaParams = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 40, description: "the persona's name" }),
});
const personaTarget = (request: FastifyRequest): string =>
  `persona:${String((request.params as { name?: unknown }).name ?? (request.body as { name?: unknown } | undefined)?.name)}`;

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

  const editor = (): PersonaEditor => {
    const personaEditor = ctx.deps.personaEditor;
    if (personaEditor === undefined)
      throw new HttpError(503, 'PERSONAS_UNAVAILABLE', 'personas cannot be defined from the dashboard in this process');
    return personaEditor;
  };

  app.post(
    '/personas',
    {
      config: { role: 'admin', audit: { action: 'persona.save', target: personaTarget } },
      schema: {
        summary: "Defines a persona, or saves a new version of one defined here; every chat's from its next message",
        description:
          'The body is a persona-file entry without `version` (docs/personas.md#the-persona-file); the bot numbers versions. A persona from PERSONA_FILE is refused with 409 PERSONA_READONLY: change the file.',
        tags: ['chats'],
        body: PersonaDefinition,
        response: { 200: PersonaInfo },
      },
    },
    async (request) => {
      const by = request.identity?.label ?? 'unknown';
      const saved = await editor().save(request.body, by);
      request.auditDetails = { name: saved.name, version: saved.version };
      return saved;
    },
  );

  app.delete(
    '/personas/:name',
    {
      config: { role: 'admin', audit: { action: 'persona.retire', target: personaTarget } },
      schema: {
        summary: 'Retires a persona defined here; chats that had it follow the default from their next message',
        tags: ['chats'],
        params: PersonaParams,
        response: { 200: Type.Object({ retired: Type.Literal(true) }) },
      },
    },
    async (request) => {
      if (!(await editor().retire(request.params.name))) throw notDefinedHere(request.params.name);
      return { retired: true as const };
    },
  );

  app.get(
    '/personas/:name/versions',
    {
      config: { role: 'viewer' },
      schema: {
        summary: 'Every saved version of a persona defined here, newest first',
        tags: ['chats'],
        params: PersonaParams,
        response: { 200: Type.Object({ versions: Type.Array(PersonaVersionView) }) },
      },
    },
    async (request) => {
      const versions = await editor().versions(request.params.name);
      if (versions.length === 0) throw notDefinedHere(request.params.name);
      return {
        versions: versions.map((v) => ({
          version: v.version,
          createdAt: new Date(v.createdAtMs).toISOString(),
          createdBy: v.createdBy,
          definition: v.definition,
        })),
      };
    },
  );
};

function notDefinedHere(name: string): NotFoundError {
  return new NotFoundError('PERSONA_NOT_FOUND', `no persona defined from the dashboard is named "${name}"`);
}
