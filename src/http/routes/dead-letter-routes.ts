import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { ApiContext } from '../api-context.js';
import { HttpError, NotFoundError } from '../errors.js';
import type { DeadLetterAdmin } from '../ports/dead-letter-admin.js';
import { DeadLetterPage } from '../schemas/dead-letter.js';
import { idPage, idPageQueryFields } from '../schemas/pagination.js';
import { TelegramId } from '../schemas/telegram-id.js';

/** How long a replay waits for the update's turn before answering 202. */
const REPLAY_WAIT_MS = 10_000;

const LetterParams = Type.Object({
  id: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER, description: 'dead letter id' }),
});
const letterTarget = (request: FastifyRequest): string =>
  `dead_letter:${String((request.params as { id?: unknown }).id)}`;

/**
 * Updates of quarantined chats: list them, replay one into its chat once
 * the chat is healthy again (release it first), or discard it.
 */
export const deadLetterRoutes: FastifyPluginAsyncTypebox<{ ctx: ApiContext }> = async (app, { ctx }) => {
  const office = (): DeadLetterAdmin => {
    const letters = ctx.deps.deadLetters;
    if (letters === undefined)
      throw new HttpError(503, 'DEAD_LETTERS_UNAVAILABLE', 'dead letters are not kept in this process');
    return letters;
  };
  const notFound = (id: number): NotFoundError => new NotFoundError('DEAD_LETTER_NOT_FOUND', `no dead letter ${id}`);

  app.get(
    '/dead-letters',
    {
      config: { role: 'viewer' },
      schema: {
        summary: 'Updates kept because their chat was quarantined, oldest first',
        description: 'Lists where and why, never the message itself.',
        tags: ['alerts'],
        querystring: Type.Object(
          {
            chat: Type.Optional(TelegramId.chat('only this chat')),
            ...idPageQueryFields,
          },
          { additionalProperties: false },
        ),
        response: { 200: DeadLetterPage },
      },
    },
    async (request) => {
      const limit = request.query.limit ?? 50;
      const items = await office().list({ chatId: request.query.chat, afterId: request.query.after, limit: limit + 1 });
      return idPage(items, limit);
    },
  );

  app.post(
    '/dead-letters/:id/replay',
    {
      config: { role: 'operator', audit: { action: 'dead_letter.replay', target: letterTarget } },
      schema: {
        summary: 'Hands a dead letter to its chat again; the letter is removed once its turn has run',
        description: 'Refused with 409 while the chat is quarantined: fix the cause, release the chat, then replay.',
        tags: ['alerts'],
        params: LetterParams,
        response: {
          200: Type.Object({ replayed: Type.Literal(true) }),
          202: Type.Object({ replayed: Type.Literal(false), pending: Type.Literal(true) }),
        },
      },
    },
    async (request, reply) => {
      const outcome = await office().replay(request.params.id, REPLAY_WAIT_MS);
      if (outcome === 'not-found') throw notFound(request.params.id);
      if (outcome === 'pending') return reply.code(202).send({ replayed: false, pending: true });
      return { replayed: true as const };
    },
  );

  app.delete(
    '/dead-letters/:id',
    {
      config: { role: 'operator', audit: { action: 'dead_letter.discard', target: letterTarget } },
      schema: {
        summary: 'Forgets a dead letter for good',
        tags: ['alerts'],
        params: LetterParams,
        response: { 200: Type.Object({ discarded: Type.Literal(true) }) },
      },
    },
    async (request) => {
      if (!(await office().discard(request.params.id))) throw notFound(request.params.id);
      return { discarded: true as const };
    },
  );
};
