export { ChatActor, type ChatActorDeps } from './chat-actor.js';
export { ChatActorCounters } from './chat-actor-counters.js';
export {
  type ChatMsg,
  chatOverflowPolicy,
  type GetChatState,
  type ReplyReady,
  type ReplyRetryDue,
  type ReplySent,
  type TypingDue,
  type UpdateReceived,
} from './chat-messages.js';
export { CHAT_STATE_VERSION, type ChatState, emptyChatState, parseChatState, type HistoryEntry, type PendingReply, type ReplyTrigger } from './chat-state.js';
export { isAddressed } from './reply-decision.js';
export { buildReplyPrompt, MINIMAL_PERSONA } from './reply-prompt.js';
export type { ArchivedChat, ArchivedMessage, ArchivedUser, ChatArchive } from './chat-archive.js';
