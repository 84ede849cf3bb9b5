import { LekhaError } from '../runtime/index.js';

/** A chat's outgoing queue (or the sender as a whole) is full; the message was not queued. */
export class EgressOverflowError extends LekhaError {
  constructor(readonly chatId: number, readonly scope: 'chat' | 'global', readonly capacity: number) {
    super('EGRESS_OVERFLOW', `outgoing queue ${scope === 'chat' ? `of chat ${chatId}` : 'of the sender'} is full (${capacity} messages)`);
  }
}

/**
 * Telegram refused a call for good (a 4xx other than 429, e.g. the bot was
 * blocked), or transient failures outlasted the retries.
 */
export class TelegramSendFailedError extends LekhaError {
  constructor(
    readonly chatId: number,
    readonly method: string,
    readonly errorCode: number | undefined,
    description: string,
    options: { cause?: unknown; retryable: boolean },
  ) {
    super('TELEGRAM_SEND_FAILED', `${method} to chat ${chatId} failed${errorCode === undefined ? '' : ` (${errorCode})`}: ${description}`, options);
  }
}

/** The sender was closed before the message could go out. */
export class EgressClosedError extends LekhaError {
  constructor() {
    super('EGRESS_CLOSED', 'the Telegram sender is closed');
  }
}
