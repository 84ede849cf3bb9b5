import type { Update } from 'grammy/types';
import { Actor } from '../../src/runtime/index.js';

/** The one message kind of the kernel bench: a Telegram update routed to its chat. */
export interface UpdateReceived {
  readonly type: 'UpdateReceived';
  readonly update: Update;
  /** `performance.now()` when the ingress queued it; 0 when the phase does not time it. */
  readonly enqueuedMs: number;
}

/**
 * The work a turn does. The same function is installed as the grammY
 * middleware on the baseline side, so both systems run identical handlers.
 */
export type UpdateHandler = (update: Update, enqueuedMs: number) => void;

/** Which handler the actors run now; phases swap it without respawning actors. */
export interface HandlerSlot {
  handle: UpdateHandler;
}

/**
 * An actor class whose instances hold no state of their own: the handler is
 * reached through the class's closure, not a field, so the heap an idle
 * instance costs is the kernel's overhead and nothing else.
 */
export function defineUpdateActor(slot: HandlerSlot): new () => Actor<UpdateReceived, null> {
  return class UpdateActor extends Actor<UpdateReceived, null> {
    receive(msg: UpdateReceived): void {
      slot.handle(msg.update, msg.enqueuedMs);
    }

    snapshot(): null {
      return null;
    }
  };
}
