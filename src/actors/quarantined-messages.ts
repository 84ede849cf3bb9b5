import { ActorQuarantinedError } from '../runtime/index.js';
import type { TelegramUpdate } from '../telegram/index.js';
import type { ChatMsg } from './chat-messages.js';

/** Where the updates of a quarantined chat go: kept durably, so ingress can move past them. */
export interface DeadLetterSink {
  deadLetter(chatId: number, updateId: number, update: TelegramUpdate, reason: string): void;
}

/**
 * Settles what a chat held when it was quarantined (the message whose turn
 * kept failing included): updates become dead letters, questions are
 * answered with `ActorQuarantinedError`. What is left are outcomes of the
 * failed incarnation's side effects, which its successor starts over; their
 * count is returned.
 */
export function settleQuarantined(
  chatId: number,
  messages: readonly ChatMsg[],
  { reason, untilMs }: { reason: string; untilMs: number },
  sink: DeadLetterSink,
): number {
  let dropped = 0;
  for (const msg of messages) {
    if (msg.type === 'UpdateReceived') sink.deadLetter(chatId, msg.updateId, msg.update, reason);
    else if ('reply' in msg) msg.reply.reject(new ActorQuarantinedError(chatId, reason, untilMs));
    else dropped++;
  }
  return dropped;
}
