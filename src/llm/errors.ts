import { LekhaError } from '../runtime/index.js';

/** A chat asked for a second reply while its first is still being generated. */
export class LlmChatBusyError extends LekhaError {
  declare readonly code: 'LLM_CHAT_BUSY';

  constructor(readonly chatId: number) {
    super('LLM_CHAT_BUSY', `chat ${chatId} already has a request in flight`, { retryable: false });
  }
}
