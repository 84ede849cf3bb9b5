import type { Api } from 'grammy';
import { telegramApi } from './telegram-api.js';

/**
 * Asks Telegram whether a member administers a chat (`getChatMember`):
 * creators and administrators are. Chat actors cache the answer; this does
 * one call per question.
 */
export class TelegramChatAdmins {
  private readonly api: Api;

  constructor(options: { token: string; apiRoot?: string | undefined }) {
    // A chat holds its updates while it asks (chat-updates.ts): never wait minutes for an answer.
    this.api = telegramApi(options.token, {
      timeoutSeconds: 10,
      ...(options.apiRoot === undefined ? {} : { apiRoot: options.apiRoot }),
    });
  }

  async isAdmin(chatId: number, userId: number): Promise<boolean> {
    const member = await this.api.getChatMember(chatId, userId);
    return member.status === 'creator' || member.status === 'administrator';
  }
}
