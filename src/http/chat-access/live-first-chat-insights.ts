import { LekhaError, type LekhaErrorCode, type Message, type Reply } from '../../runtime/index.js';
import type { ChatActorGateway } from '../ports/chat-actor-gateway.js';
import type { ChatInsights, Sourced } from '../ports/chat-insights.js';
import type { ChatSettings } from '../schemas/chat.js';
import type { ChatReport, UserAnalytics } from '../schemas/insights.js';
import type { DebugPrompt } from '../schemas/prompt.js';

/** The ask messages a chat actor answers with its own view of its state. */
export interface ChatInsightRequests<M extends Message> {
  report(reply: Reply<ChatReport>): M;
  userAnalytics(userId: number, reply: Reply<UserAnalytics | undefined>): M;
  allUserAnalytics(reply: Reply<UserAnalytics[]>): M;
  settings(reply: Reply<ChatSettings>): M;
  lastPrompt(reply: Reply<DebugPrompt | null>): M;
}

/** The same views computed from a stored snapshot (pure functions of the state). */
export interface ChatStateReaders<S> {
  report(chatId: number, state: S): ChatReport;
  userAnalytics(state: S, userId: number): UserAnalytics | undefined;
  allUserAnalytics(state: S): UserAnalytics[];
  settings(state: S): ChatSettings;
}

export interface LiveFirstChatInsightsOptions<M extends Message, S> {
  actors: Pick<ChatActorGateway<M>, 'isLive' | 'ask'>;
  requests: ChatInsightRequests<M>;
  /** The chat's last persisted state, read without activating its actor. */
  loadSnapshot(chatId: number): Promise<S | undefined>;
  readers: ChatStateReaders<S>;
  askTimeoutMs?: number;
}

/** Runtime errors that mean "the live actor cannot answer right now", not "the request is wrong". */
const unavailable: ReadonlySet<LekhaErrorCode> = new Set<LekhaErrorCode>([
  'ASK_TIMEOUT',
  'ACTOR_STOPPED',
  'MAILBOX_FULL',
  'ACTOR_QUARANTINED',
]);

/**
 * Chat insights that never activate an actor: a chat whose actor is in
 * memory is asked (with a timeout), any other chat is read from its stored
 * snapshot. A live actor that cannot answer in time (busy, stopping,
 * quarantined meanwhile) is also read from its snapshot, and the answer says
 * so (`source: 'snapshot'`). Listing or opening chats therefore costs at most
 * one ask per chat that is already live.
 */
export class LiveFirstChatInsights<M extends Message, S> implements ChatInsights {
  private readonly askTimeoutMs: number;

  constructor(private readonly options: LiveFirstChatInsightsOptions<M, S>) {
    this.askTimeoutMs = options.askTimeoutMs ?? 2000;
  }

  chatReport(chatId: number): Promise<Sourced<ChatReport> | undefined> {
    return this.read(
      chatId,
      (reply) => this.options.requests.report(reply),
      (state) => this.options.readers.report(chatId, state),
    );
  }

  async userAnalytics(chatId: number, userId: number): Promise<Sourced<UserAnalytics> | undefined> {
    const found = await this.read(
      chatId,
      (reply: Reply<UserAnalytics | undefined>) => this.options.requests.userAnalytics(userId, reply),
      (state) => this.options.readers.userAnalytics(state, userId),
    );
    return found === undefined || found.value === undefined ? undefined : { value: found.value, source: found.source };
  }

  allUserAnalytics(chatId: number): Promise<Sourced<UserAnalytics[]> | undefined> {
    return this.read(
      chatId,
      (reply) => this.options.requests.allUserAnalytics(reply),
      (state) => this.options.readers.allUserAnalytics(state),
    );
  }

  settings(chatId: number): Promise<Sourced<ChatSettings> | undefined> {
    return this.read(
      chatId,
      (reply) => this.options.requests.settings(reply),
      (state) => this.options.readers.settings(state),
    );
  }

  /** Live only: a prompt is not part of the stored state. */
  async lastPrompt(chatId: number): Promise<DebugPrompt | null> {
    if (!this.options.actors.isLive(chatId)) return null;
    try {
      return await this.options.actors.ask<DebugPrompt | null>(
        chatId,
        (reply) => this.options.requests.lastPrompt(reply),
        this.askTimeoutMs,
      );
    } catch (error) {
      if (error instanceof LekhaError && unavailable.has(error.code)) return null;
      throw error;
    }
  }

  /**
   * Any view of a chat the same way: `ask` the live actor, else `compute`
   * it from the stored snapshot (for views outside {@link ChatInsights},
   * such as the chat's style).
   */
  async read<T>(
    chatId: number,
    ask: (reply: Reply<T>) => M,
    compute: (state: S) => T,
  ): Promise<Sourced<T> | undefined> {
    if (this.options.actors.isLive(chatId)) {
      try {
        return { value: await this.options.actors.ask<T>(chatId, ask, this.askTimeoutMs), source: 'live' };
      } catch (error) {
        if (!(error instanceof LekhaError && unavailable.has(error.code))) throw error;
      }
    }
    const state = await this.options.loadSnapshot(chatId);
    return state === undefined ? undefined : { value: compute(state), source: 'snapshot' };
  }
}
