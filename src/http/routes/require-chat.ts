import { NotFoundError } from '../errors.js';
import type { ChatDirectory } from '../ports/chat-directory.js';
import type { ChatSummary } from '../schemas/chat.js';

/** The stored chat, or a 404 naming it. */
export async function requireChat(directory: ChatDirectory, chatId: number): Promise<ChatSummary> {
  const chat = await directory.getChat(chatId);
  if (chat === undefined) throw new NotFoundError('CHAT_NOT_FOUND', `no chat ${chatId} is known`);
  return chat;
}
