/**
 * Whether a member is an admin of a chat, asked of Telegram
 * (`getChatMember`). Only `/mode` needs it, so the actor asks on demand and
 * caches the answer for a while rather than tracking admin changes.
 */
export interface ChatAdmins {
  isAdmin(chatId: number, userId: number): Promise<boolean>;
}
