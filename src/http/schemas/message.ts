import { Type } from 'typebox';
import type { MessageView as PortMessageView } from '../../ports/index.js';
import { Nullable } from './nullable.js';
import { DateTime } from './pagination.js';
import type { PortType } from './port-type.js';

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
export type MessageView = PortType<PortMessageView, typeof MessageView>;
