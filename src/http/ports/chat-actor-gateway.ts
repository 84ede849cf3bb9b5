import type { Message, Reply } from '../../runtime/index.js';

/**
 * The part of the supervisor the admin surface uses to reach chat actors
 * (`Supervisor<number, M>` satisfies it). Keys are Telegram chat ids.
 */
export interface ChatActorGateway<M extends Message> {
  /** True when the chat's actor is in memory; asking it then activates nothing. */
  isLive(chatId: number): boolean;
  ask<R>(chatId: number, build: (reply: Reply<R>) => M, timeoutMs?: number): Promise<R>;
  release(chatId: number): boolean;
}
