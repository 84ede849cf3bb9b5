import type { ChatMode, ChatSettings, ChatSettingsPatch } from '../schemas/chat.js';

/**
 * Changes to a chat's bot behaviour. The chat actor owns its settings, so
 * every change is a message to it; the promise resolves with the settings
 * the actor holds after applying the change (and rejects with the runtime's
 * typed errors: `AskTimeoutError`, `ActorQuarantinedError`, `MailboxFullError`,
 * `ShuttingDownError`). `ActorChatControl` implements it over the supervisor.
 */
export interface ChatControl {
  setMode(chatId: number, mode: ChatMode): Promise<ChatSettings>;
  updateSettings(chatId: number, patch: ChatSettingsPatch): Promise<ChatSettings>;
  /** Ends a chat's quarantine early; false when it was not quarantined. */
  release(chatId: number): boolean;
}
