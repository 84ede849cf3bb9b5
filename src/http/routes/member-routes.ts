import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { ApiContext } from '../api-context.js';
import { NotFoundError } from '../errors.js';
import { InsightSource, UserAnalytics } from '../schemas/insights.js';
import { MemberSummary } from '../schemas/member.js';
import { Nullable } from '../schemas/nullable.js';
import { PageOf, pageQueryFields } from '../schemas/pagination.js';
import { ChatParams } from './chat-params.js';
import { requireChat } from './require-chat.js';

/** Members of a chat and what the bot learned about each. */
export const memberRoutes: FastifyPluginAsyncTypebox<{ ctx: ApiContext }> = async (app, { ctx }) => {
  const { directory, insights } = ctx.deps;

  app.get(
    '/chats/:id/users',
    {
      config: { role: 'viewer' },
      schema: {
        summary: 'Members of the chat, most active first',
        tags: ['users'],
        params: ChatParams,
        querystring: Type.Object(
          { query: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'part of the name or username' })), ...pageQueryFields },
          { additionalProperties: false },
        ),
        response: { 200: PageOf(MemberSummary) },
      },
    },
    async (request) => {
      const chat = await requireChat(directory, request.params.id);
      const { query, cursor, limit } = request.query;
      return directory.listMembers(chat.id, { query, cursor, limit: limit ?? 50 });
    },
  );

  app.get(
    '/chats/:id/users/:userId',
    {
      config: { role: 'viewer' },
      schema: {
        summary: "A member's profile and analytics (toxicity, favourite words, activity, relations)",
        tags: ['users'],
        params: Type.Object({ id: ChatParams.properties.id, userId: Type.Integer() }),
        response: { 200: Type.Object({ member: MemberSummary, analytics: Nullable(UserAnalytics), source: InsightSource }) },
      },
    },
    async (request) => {
      const chat = await requireChat(directory, request.params.id);
      const member = await directory.getMember(chat.id, request.params.userId);
      if (member === undefined) throw new NotFoundError('USER_NOT_FOUND', `user ${request.params.userId} is not a member of chat ${chat.id}`);
      const analytics = await insights.userAnalytics(chat.id, member.userId);
      return { member, analytics: analytics?.value ?? null, source: analytics?.source ?? ('none' as const) };
    },
  );
};
