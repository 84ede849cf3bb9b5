export { ChatActor } from './chat-actor.js';
export type { ChatActorDeps, ChatPipelineShared } from './chat-actor-deps.js';
export { ChatActorCounters } from './chat-actor-counters.js';
export type { ChatAdmins } from './chat-admins.js';
export type { ChatModeration } from './chat-moderation.js';
export { AnomalyLog } from './anomaly-log.js';
export {
  type AnswerSent,
  type ChatMsg,
  type ChoosePlugin,
  type GetPluginData,
  type UpdatePluginData,
  chatOverflowPolicy,
  type GetChatReport,
  type ForgetMember,
  type GetStyle,
  type ResetStyle,
  type GetChatState,
  type GetMemberData,
  type GetChatView,
  type GetLastPrompt,
  type GetMembers,
  type GetPluginChoices,
  type GetSettings,
  type GetUserAnalytics,
  type MemoriesRecalled,
  type MemoryDone,
  type PatchSettings,
  type PluginDone,
  type PluginPost,
  type RecallTimedOut,
  type ReplyReady,
  type ReplyRetryDue,
  type ReplySent,
  type SetMode,
  type ToolRan,
  type ToolsTimedOut,
  type TypingDue,
  type UpdateReceived,
} from './chat-messages.js';
export {
  CHAT_STATE_UPGRADES,
  CHAT_STATE_VERSION,
  type ChatState,
  emptyChatState,
  hasReplyInFlight,
  parseChatState,
  CHAT_SNAPSHOTS,
  upgradeChatStateV1,
  upgradeChatStateV2,
  upgradeChatStateV4,
} from './chat-state.js';
export type { ArchivedChat, ArchivedMessage, ArchivedUser, ChatArchive } from '../ports/index.js';
export { discardingArchive } from './discarding-archive.js';
export { discardingReplyLedger } from './discarding-reply-ledger.js';
export { type DeadLetterSink, settleQuarantined } from './quarantined-messages.js';
export { GROUP_ANONYMOUS_BOT_ID, toIncomingMessage } from './incoming-message.js';
export type { PromptMemory, PromptView } from './prompt-view.js';
export { LAST_PROMPTS_KEPT, LastPrompts } from './last-prompts.js';
