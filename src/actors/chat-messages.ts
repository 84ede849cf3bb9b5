import type { LlmReply } from '../llm/index.js';
import type { OverflowPolicy, Outcome, Reply } from '../runtime/index.js';
import type { SentReply, TelegramUpdate } from '../telegram/index.js';
import type { ChatState } from './chat-state.js';

/** An update from Telegram for this chat. */
export interface UpdateReceived {
  type: 'UpdateReceived';
  updateId: number;
  update: TelegramUpdate;
}

/** The model (or the offline responder) answered for `triggerUpdateId`. */
export interface ReplyReady {
  type: 'ReplyReady';
  triggerUpdateId: number;
  outcome: Outcome<LlmReply>;
}

/** The reply for `triggerUpdateId` went out (or was given up). */
export interface ReplySent {
  type: 'ReplySent';
  triggerUpdateId: number;
  outcome: Outcome<SentReply>;
}

/** Time to ask the model again for `triggerUpdateId` (the gateway was still busy with this chat). */
export interface ReplyRetryDue {
  type: 'ReplyRetryDue';
  triggerUpdateId: number;
}

/** Time to refresh the typing indicator while the model works. */
export interface TypingDue {
  type: 'TypingDue';
}

/** Reads the chat's state (admin surface, tests). */
export interface GetChatState {
  type: 'GetChatState';
  reply: Reply<ChatState>;
}

export type ChatMsg = UpdateReceived | ReplyReady | ReplySent | ReplyRetryDue | TypingDue | GetChatState;

/**
 * User messages are never dropped: a full mailbox rejects them back to
 * ingress, which waits (backpressure). A typing refresh is worthless late.
 */
export function chatOverflowPolicy(msg: ChatMsg): OverflowPolicy {
  return msg.type === 'TypingDue' ? 'drop-oldest' : 'reject';
}
