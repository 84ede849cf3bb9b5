import type { Sourced } from './chat-insights.js';
import type { ChatStyle } from '../schemas/style.js';

/**
 * What feedback taught a chat about style, read and reset through its actor
 * (which owns the weights). Reading never activates an actor: a passivated
 * chat is read from its stored snapshot, like the other insights. A reset is
 * a message to the actor (activating it), answered once applied.
 */
export interface ChatStyles {
  /** `undefined`: the chat has no state at all. */
  style(chatId: number): Promise<Sourced<ChatStyle> | undefined>;
  /** Forgets the chat's style weights; resolves with the style after (nothing lowered). */
  reset(chatId: number): Promise<ChatStyle>;
}
