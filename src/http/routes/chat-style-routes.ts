import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { ApiContext } from '../api-context.js';
import { HttpError, NotFoundError } from '../errors.js';
import type { ChatStyles } from '../ports/chat-styles.js';
import { ChatStyle } from '../schemas/style.js';
import { ChatParams, chatTarget } from './chat-params.js';
import { requireChat } from './require-chat.js';

/**
 * What feedback on the bot's replies taught a chat about style: the style
 * rules lowered or muted by complaints, with their weights; and the reset
 * that forgets them (what `/style reset` does in the chat).
 */
export const chatStyleRoutes: FastifyPluginAsyncTypebox<{ ctx: ApiContext }> = async (app, { ctx }) => {
  const { directory, styles } = ctx.deps;

  app.get(
    '/chats/:id/style',
    {
      config: { role: 'viewer' },
      schema: {
        summary: "Style rules the chat's feedback lowered or muted, with their weights",
        description:
          'From the live actor when the chat is active, else from its stored snapshot; reading never activates an actor.',
        tags: ['chats'],
        params: ChatParams,
        response: { 200: Type.Object({ style: ChatStyle, source: Type.Enum(['live', 'snapshot']) }) },
      },
    },
    async (request) => {
      const chat = await requireChat(directory, request.params.id);
      const found = await available(styles).style(chat.id);
      if (found === undefined) throw new NotFoundError('CHAT_STATE_NOT_FOUND', `chat ${chat.id} has no bot state yet`);
      return { style: found.value, source: found.source };
    },
  );

  app.delete(
    '/chats/:id/style',
    {
      config: { role: 'admin', audit: { action: 'chat.style.reset', target: chatTarget } },
      schema: {
        summary: 'Forgets what feedback taught the chat about style: every rule weighs 1 again',
        description: "Answers once the chat's actor applied it, with the weights that were forgotten.",
        tags: ['chats'],
        params: ChatParams,
        response: { 200: Type.Object({ style: ChatStyle, forgotten: Type.Array(Type.String()) }) },
      },
    },
    async (request) => {
      const chat = await requireChat(directory, request.params.id);
      const port = available(styles);
      const before = await port.style(chat.id);
      if (before === undefined) throw new NotFoundError('CHAT_STATE_NOT_FOUND', `chat ${chat.id} has no bot state yet`);
      const forgotten = before.value.rules.map((r) => r.key);
      request.auditDetails = { forgotten };
      return { style: await port.reset(chat.id), forgotten };
    },
  );
};

function available(styles: ChatStyles | undefined): ChatStyles {
  if (styles === undefined)
    throw new HttpError(503, 'STYLE_UNAVAILABLE', 'chat styles are not available in this process');
  return styles;
}
