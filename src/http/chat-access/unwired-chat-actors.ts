import { LekhaError } from '../../runtime/index.js';
import type { ChatActorGateway } from '../ports/chat-actor-gateway.js';
import type { ChatControl } from '../ports/chat-control.js';
import type { ChatInsights, Sourced } from '../ports/chat-insights.js';
import type { ChatSettings } from '../schemas/chat.js';
import type { ChatReport, UserAnalytics } from '../schemas/insights.js';

/** A mode or settings change while no chat actor kind is wired into the process. */
export class ChatActorsUnavailableError extends LekhaError {
  constructor() {
    super('CHAT_ACTORS_UNAVAILABLE', 'this process runs no chat actors, so chat settings cannot be changed here');
  }
}

/**
 * The chat-state ports of a process that runs no chat actors (a supervisor
 * with no actor kind registered): reads find no state, changes are refused
 * with `CHAT_ACTORS_UNAVAILABLE` (503), quarantine release still goes to the
 * supervisor. `src/main.ts` replaces it with `LiveFirstChatInsights` and
 * `ActorChatControl` once the chat actor is wired.
 */
export class UnwiredChatActors implements ChatInsights, ChatControl {
  constructor(private readonly actors: Pick<ChatActorGateway<never>, 'release'>) {}

  async chatReport(): Promise<Sourced<ChatReport> | undefined> {
    return undefined;
  }

  async userAnalytics(): Promise<Sourced<UserAnalytics> | undefined> {
    return undefined;
  }

  async allUserAnalytics(): Promise<Sourced<UserAnalytics[]> | undefined> {
    return undefined;
  }

  async settings(): Promise<Sourced<ChatSettings> | undefined> {
    return undefined;
  }

  setMode(): Promise<ChatSettings> {
    return Promise.reject(new ChatActorsUnavailableError());
  }

  updateSettings(): Promise<ChatSettings> {
    return Promise.reject(new ChatActorsUnavailableError());
  }

  release(chatId: number): boolean {
    return this.actors.release(chatId);
  }
}
