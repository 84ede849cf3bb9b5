import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { ApiContext } from '../api-context.js';
import { InvalidRequestError } from '../errors.js';
import { MessageView } from '../schemas/message.js';
import { DateTime, PageOf, pageQueryFields } from '../schemas/pagination.js';
import { TelegramId } from '../schemas/telegram-id.js';
import { Text } from '../schemas/text.js';
import { ChatParams, chatTarget } from './chat-params.js';
import { requireChat } from './require-chat.js';

/** Message history search of one chat; every read is audited (`messages.read`). */
export const messageRoutes: FastifyPluginAsyncTypebox<{ ctx: ApiContext }> = async (app, { ctx }) => {
  const { directory } = ctx.deps;

  app.get(
    '/chats/:id/messages',
    {
      config: { role: 'viewer', audit: { action: 'messages.read', target: chatTarget } },
      schema: {
        summary: 'Searches the chat history, newest first',
        description:
          'q is a full-text query over Russian and English word forms; from/to bound the date (inclusive); user narrows to one member. Audited as `messages.read` (the search words are not recorded, only that there were some).',
        tags: ['messages'],
        params: ChatParams,
        querystring: Type.Object(
          {
            q: Type.Optional(Text({ minLength: 1, maxLength: 200 })),
            from: Type.Optional(DateTime),
            to: Type.Optional(DateTime),
            user: Type.Optional(TelegramId.user('only messages of this user id')),
            ...pageQueryFields,
          },
          { additionalProperties: false },
        ),
        response: { 200: PageOf(MessageView) },
      },
    },
    async (request) => {
      const chat = await requireChat(directory, request.params.id);
      const { q, from, to, user, cursor, limit } = request.query;
      if (from !== undefined && to !== undefined && Date.parse(from) > Date.parse(to)) {
        throw new InvalidRequestError('INVALID_RANGE', '`from` is after `to`');
      }
      const words = q?.trim() || undefined;
      request.auditDetails = {
        search: words !== undefined,
        ...(user === undefined ? {} : { user }),
        ...(from === undefined ? {} : { from }),
        ...(to === undefined ? {} : { to }),
      };
      const page = await directory.searchMessages(chat.id, {
        q: words,
        from,
        to,
        userId: user,
        cursor,
        limit: limit ?? 50,
      });
      request.auditDetails.messages = page.items.length;
      return page;
    },
  );
};
