/**
 * How a chat actor tells ingress that an update's turn has run. Ingress then
 * waits for that chat's effects to be durable before it lets Telegram forget
 * the update.
 */
export interface UpdateAcks {
  processed(chatId: number, updateId: number): void;
}
