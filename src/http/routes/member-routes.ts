import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { ApiContext } from '../api-context.js';
import { HttpError, NotFoundError } from '../errors.js';
import { InsightSource, UserAnalytics } from '../schemas/insights.js';
import { MemberSummary } from '../schemas/member.js';
import { Nullable } from '../schemas/nullable.js';
import { PageOf, pageQueryFields } from '../schemas/pagination.js';
import { TelegramId } from '../schemas/telegram-id.js';
import { Text } from '../schemas/text.js';
import { ChatParams } from './chat-params.js';
import { requireChat } from './require-chat.js';

const MemberParams = Type.Object({ id: ChatParams.properties.id, userId: TelegramId.user() });

const memberTarget = (request: FastifyRequest): string => {
  const params = request.params as { id?: unknown; userId?: unknown };
  return `chat:${String(params.id)}:user:${String(params.userId)}`;
};

/** Members of a chat and what the bot learned about each. */
export const memberRoutes: FastifyPluginAsyncTypebox<{ ctx: ApiContext }> = async (app, { ctx }) => {
  const { directory, insights, memories } = ctx.deps;

  app.get(
    '/chats/:id/users',
    {
      config: { role: 'viewer' },
      schema: {
        summary: 'Members of the chat, most active first',
        tags: ['users'],
        params: ChatParams,
        querystring: Type.Object(
          {
            query: Type.Optional(Text({ minLength: 1, maxLength: 100, description: 'part of the name or username' })),
            ...pageQueryFields,
          },
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
        params: MemberParams,
        response: {
          200: Type.Object({ member: MemberSummary, analytics: Nullable(UserAnalytics), source: InsightSource }),
        },
      },
    },
    async (request) => {
      const chat = await requireChat(directory, request.params.id);
      const member = await directory.getMember(chat.id, request.params.userId);
      if (member === undefined)
        throw new NotFoundError('USER_NOT_FOUND', `user ${request.params.userId} is not a member of chat ${chat.id}`);
      const analytics = await insights.userAnalytics(chat.id, member.userId);
      return { member, analytics: analytics?.value ?? null, source: analytics?.source ?? ('none' as const) };
    },
  );

  app.delete(
    '/chats/:id/users/:userId/memories',
    {
      config: {
        role: 'admin',
        audit: { action: 'member.memories.forget', target: memberTarget },
      },
      schema: {
        summary:
          "Forgets what the bot remembered of a member in the chat: their memories leave the database and the chat's index",
        description:
          'Works for former members too. The bot’s own replies stay; the chat’s history and profiles are not touched.',
        tags: ['users'],
        params: MemberParams,
        response: { 200: Type.Object({ deleted: Type.Integer({ minimum: 0 }) }) },
      },
    },
    async (request) => {
      const chat = await requireChat(directory, request.params.id);
      if (memories === undefined)
        throw new HttpError(503, 'MEMORY_UNAVAILABLE', 'long-term memory is not running in this process');
      return { deleted: await memories.forget(chat.id, request.params.userId) };
    },
  );
};
