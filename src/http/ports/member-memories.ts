/** A member's long-term memories in a chat, as the admin API reaches them. */
export interface MemberMemories {
  /** Deletes the member's memories in the chat (store and index); returns how many. */
  forget(chatId: number, userId: number): Promise<number>;
}
