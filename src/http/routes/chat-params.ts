import { Type } from 'typebox';
import { TelegramId } from '../schemas/telegram-id.js';

/** `:id` of `/api/chats/:id/…`: a Telegram chat id. */
export const ChatParams = Type.Object({ id: TelegramId.chat() });
