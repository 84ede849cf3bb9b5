import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { TelegramId } from '../schemas/telegram-id.js';

/** `:id` of `/api/chats/:id/…`: a Telegram chat id. */
export const ChatParams = Type.Object({ id: TelegramId.chat() });

/** The audit target of a `/api/chats/:id/…` call, e.g. `chat:-100123`. */
export const chatTarget = (request: FastifyRequest): string =>
  `chat:${String((request.params as { id?: unknown }).id)}`;
