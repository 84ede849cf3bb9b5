import type { Api } from 'grammy';
import { telegramApi } from './telegram-api.js';

/**
 * Asks Telegram who administers a chat (`getChatAdministrators`). Chat
 * actors cache the answer; this does one call per question.
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

  async administrators(chatId: number): Promise<readonly number[]> {
    const admins = await this.api.getChatAdministrators(chatId);
    return admins.map((member) => member.user.id);
  }
}
