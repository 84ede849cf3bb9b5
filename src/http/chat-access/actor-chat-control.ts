import type { Message, Reply } from '../../runtime/index.js';
import type { ChatActorGateway } from '../ports/chat-actor-gateway.js';
import type { ChatControl } from '../ports/chat-control.js';
import type { ChatMode, ChatSettings, ChatSettingsPatch } from '../schemas/chat.js';

/** The command messages a chat actor applies and answers with its settings afterwards. */
export interface ChatControlRequests<M extends Message> {
  setMode(mode: ChatMode, reply: Reply<ChatSettings>): M;
  updateSettings(patch: ChatSettingsPatch, reply: Reply<ChatSettings>): M;
}

/**
 * `ChatControl` over the supervisor: each change is a message to the chat's
 * actor (which owns its settings), and the call resolves only once the actor
 * has applied it and answered. A passivated chat is activated for the change,
 * which is the point: the actor must hold the new settings.
 */
export class ActorChatControl<M extends Message> implements ChatControl {
  constructor(
    private readonly actors: ChatActorGateway<M>,
    private readonly requests: ChatControlRequests<M>,
    private readonly askTimeoutMs = 5000,
  ) {}

  setMode(chatId: number, mode: ChatMode): Promise<ChatSettings> {
    return this.actors.ask<ChatSettings>(chatId, (reply) => this.requests.setMode(mode, reply), this.askTimeoutMs);
  }

  updateSettings(chatId: number, patch: ChatSettingsPatch): Promise<ChatSettings> {
    return this.actors.ask<ChatSettings>(
      chatId,
      (reply) => this.requests.updateSettings(patch, reply),
      this.askTimeoutMs,
    );
  }

  release(chatId: number): boolean {
    return this.actors.release(chatId);
  }
}
