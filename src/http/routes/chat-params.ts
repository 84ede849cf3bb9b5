import { Type } from 'typebox';

/** `:id` of `/api/chats/:id/…`: a Telegram chat id. */
export const ChatParams = Type.Object({ id: Type.Integer({ description: 'Telegram chat id' }) });
