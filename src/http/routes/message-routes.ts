import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { ApiContext } from '../api-context.js';
import { InvalidRequestError } from '../errors.js';
import { MessageView } from '../schemas/message.js';
import { DateTime, PageOf, pageQueryFields } from '../schemas/pagination.js';
import { TelegramId } from '../schemas/telegram-id.js';
import { Text } from '../schemas/text.js';
import { ChatParams } from './chat-params.js';
import { requireChat } from './require-chat.js';

/** Message history search of one chat. */
export const messageRoutes: FastifyPluginAsyncTypebox<{ ctx: ApiContext }> = async (app, { ctx }) => {
  const { directory } = ctx.deps;

  app.get(
    '/chats/:id/messages',
    {
      config: { role: 'viewer' },
      schema: {
        summary: 'Searches the chat history, newest first',
        description: 'q is a full-text query over Russian and English word forms; from/to bound the date (inclusive); user narrows to one member.',
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
      return directory.searchMessages(chat.id, { q: q?.trim() || undefined, from, to, userId: user, cursor, limit: limit ?? 50 });
    },
  );
};
