import type { Outcome, SideEffect } from '../runtime/index.js';
import type { ChatMsg } from './chat-messages.js';

/**
 * The chat actor's side-effect and timer primitives, lent to the parts that
 * run its turns (update handling, the reply flow). Made once per actor.
 */
export interface ChatTurn {
  pipe<T>(work: SideEffect<T>, toMsg: (outcome: Outcome<T>) => ChatMsg): void;
  after(ms: number, msg: ChatMsg): number;
  every(ms: number, msg: ChatMsg): number;
  cancelTimer(id: number): void;
  markDirty(): void;
}
