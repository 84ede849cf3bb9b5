import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { ApiContext } from '../api-context.js';
import { HttpError } from '../errors.js';
import type { MemberPrivacy } from '../ports/member-privacy.js';
import { TelegramId } from '../schemas/telegram-id.js';

const UserParams = Type.Object({ userId: TelegramId.user() });

const ErasureSummary = Type.Object({
  erasureId: Type.Integer({ minimum: 1 }),
  pseudonym: Type.String({ description: 'the keyed pseudonym audit rows name the member by' }),
  chats: Type.Integer({ minimum: 0, description: 'chats whose state was visited' }),
  memories: Type.Integer({ minimum: 0, description: 'memories deleted from the store and the indexes' }),
  rows: Type.Record(Type.String(), Type.Integer({ minimum: 0 }), {
    description: 'rows deleted or rewritten, by table',
  }),
});

/** GDPR: a member's data across every store, exported or erased, by admins only and audited under a pseudonym. */
export const userPrivacyRoutes: FastifyPluginAsyncTypebox<{ ctx: ApiContext }> = async (app, { ctx }) => {
  const privacy = (): MemberPrivacy => {
    const engine = ctx.deps.privacy;
    if (engine === undefined)
      throw new HttpError(
        503,
        'PRIVACY_UNAVAILABLE',
        'GDPR export and erasure need storage, which this process runs without',
      );
    return engine;
  };
  // The audit row names the member by pseudonym: it outlives their erasure, their id must not.
  const userTarget = (request: FastifyRequest): string => {
    const userId = Number((request.params as { userId?: unknown }).userId);
    const engine = ctx.deps.privacy;
    return Number.isSafeInteger(userId) && userId > 0 && engine !== undefined
      ? `user:~${engine.pseudonym(userId)}`
      : 'user:invalid';
  };

  app.get(
    '/users/:userId/data',
    {
      config: { role: 'admin', audit: { action: 'user.data.export', target: userTarget } },
      schema: {
        summary: 'Everything stored about a member, in every chat and store (GDPR access and portability)',
        description:
          'Profile and analytics per chat, messages, memories, reminders and dead letters, as one JSON document. 404 when nothing is stored about the id.',
        tags: ['users'],
        params: UserParams,
        response: { 200: Type.Object({}, { additionalProperties: true }) },
      },
    },
    async (request, reply) => {
      const data = await privacy().exportMember(request.params.userId);
      void reply.header('content-disposition', `attachment; filename="lekha-user-${request.params.userId}.json"`);
      return data;
    },
  );

  app.delete(
    '/users/:userId',
    {
      config: { role: 'admin', audit: { action: 'user.erase', target: userTarget } },
      schema: {
        summary: 'Erases a member everywhere (GDPR erasure); afterwards the bot treats them as new',
        description:
          "Messages, profile and analytics in every chat's state (live and stored in both snapshot tiers), memories and their index vectors, reminders, dead letters; audit rows naming them are rewritten to their pseudonym. Resumes after a crash. 404 when nothing is stored about the id (also for a second erase).",
        tags: ['users'],
        params: UserParams,
        response: { 200: ErasureSummary },
      },
    },
    async (request) => {
      const engine = privacy();
      // Throws MEMBER_DATA_NOT_FOUND (404) for an id with nothing stored.
      await engine.exportMember(request.params.userId);
      const summary = await engine.erase(request.params.userId, request.identity!);
      request.auditDetails = { erasureId: summary.erasureId, chats: summary.chats, memories: summary.memories };
      return summary;
    },
  );
};
