import type { Api } from 'grammy';
import { telegramApi } from './telegram-api.js';

/** Everything a restricted member may not do (Telegram's ChatPermissions, all off). */
const MUTED = {
  can_send_messages: false,
  can_send_audios: false,
  can_send_documents: false,
  can_send_photos: false,
  can_send_videos: false,
  can_send_video_notes: false,
  can_send_voice_notes: false,
  can_send_polls: false,
  can_send_other_messages: false,
  can_add_web_page_previews: false,
  can_change_info: false,
  can_invite_users: false,
  can_pin_messages: false,
  can_manage_topics: false,
};

/**
 * Restricts members through the Bot API (`restrictChatMember`) after asking
 * whether the bot may (`getChatMember` on itself: the creator, or an
 * administrator with `can_restrict_members`). One call per question.
 */
export class TelegramChatModeration {
  private readonly api: Api;
  private readonly botId: number;

  constructor(options: { token: string; apiRoot?: string | undefined; botId: number }) {
    this.api = telegramApi(options.token, options.apiRoot === undefined ? {} : { apiRoot: options.apiRoot });
    this.botId = options.botId;
  }

  async canRestrict(chatId: number): Promise<boolean> {
    const self = await this.api.getChatMember(chatId, this.botId);
    return self.status === 'creator' || (self.status === 'administrator' && self.can_restrict_members);
  }

  async restrict(chatId: number, userId: number, untilMs: number): Promise<void> {
    await this.api.restrictChatMember(chatId, userId, MUTED, { until_date: Math.floor(untilMs / 1000) });
  }

  async deleteMessage(chatId: number, messageId: number): Promise<void> {
    await this.api.deleteMessage(chatId, messageId);
  }
}
