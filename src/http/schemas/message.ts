import { type Static, Type } from 'typebox';
import { Nullable } from './nullable.js';
import { DateTime } from './pagination.js';

/** One stored chat message. */
export const MessageView = Type.Object({
  chatId: Type.Integer(),
  messageId: Type.Integer(),
  userId: Nullable(Type.Integer()),
  displayName: Type.String(),
  date: DateTime,
  text: Type.String(),
  replyToMessageId: Nullable(Type.Integer()),
});
export type MessageView = Static<typeof MessageView>;
