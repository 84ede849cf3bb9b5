/**
 * Who administers a chat, asked of Telegram (`getChatAdministrators`: the
 * creator and the administrators, bots included). A chat actor asks when it
 * needs to know — `/mode`, plugins' admin checks, a link from a member the
 * link filters would flag — and keeps the list for a while rather than
 * tracking admin changes: one call answers for every member.
 */
export interface ChatAdmins {
  administrators(chatId: number): Promise<readonly number[]>;
}
