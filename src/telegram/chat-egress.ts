/** What the bot sent for one reply: one message per part, in order. */
export interface SentReply {
  messageIds: number[];
}

/**
 * The outgoing side of Telegram as chat actors see it. Implementations keep
 * Telegram's rate limits and retry transient failures; a rejected promise
 * means the reply was given up (its error says why).
 */
export interface ChatEgress {
  /** Sends `text` (split at Telegram's length limit), quoting `replyToMessageId` when given. */
  sendReply(chatId: number, text: string, options?: { replyToMessageId?: number }): Promise<SentReply>;
  /** Shows "typing…" in the chat; best effort, throttled, never throws. */
  sendTyping(chatId: number): void;
}
