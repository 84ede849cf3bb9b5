import type {
  ChatMode,
  MemberChatData,
  ChatReport,
  ChatSettings,
  ChatSettingsPatch,
  ChatView,
  PluginChoice,
  PluginChoices,
  PluginEffects,
  StyleOverview,
  UserAnalytics,
} from '../chat/index.js';
import type { LlmReply } from '../llm/index.js';
import type { MemoryHit } from '../memory/index.js';
import type { OverflowPolicy, Outcome, Reply } from '../runtime/index.js';
import type { SentReply, TelegramUpdate } from '../telegram/index.js';
import type { ChatState } from './chat-state.js';
import type { PromptView } from './prompt-view.js';

/** An update from Telegram for this chat. */
export interface UpdateReceived {
  type: 'UpdateReceived';
  updateId: number;
  update: TelegramUpdate;
  /** An admin replays it from the dead letters: handled even if the chat has since seen later updates. */
  replayed?: true;
}

/** Telegram said who administers the chat (`null`: it could not say). */
export interface AdminsListed {
  type: 'AdminsListed';
  admins: readonly number[] | null;
}

/** The Telegram side of an anomaly's action (restricting members, telling admins) finished. */
export interface AnomalyActionDone {
  type: 'AnomalyActionDone';
  /** The alert in the anomaly log, 0 for members restricted during a raid already alerted. */
  alertId: number;
  /** The outcome of restricting members (not of telling admins). */
  restricted?: true;
  outcome: Outcome<{ status: 'done' | 'refused' | 'failed'; outcome: string | null }>;
}

/** The model (or the offline responder) answered for the trigger message `triggerId`. */
export interface ReplyReady {
  type: 'ReplyReady';
  triggerId: number;
  outcome: Outcome<LlmReply>;
}

/** The reply for `triggerId` went out (or was given up). */
export interface ReplySent {
  type: 'ReplySent';
  triggerId: number;
  outcome: Outcome<SentReply>;
}

/** Time to ask the model again for `triggerId` (the gateway was still busy with this chat). */
export interface ReplyRetryDue {
  type: 'ReplyRetryDue';
  triggerId: number;
}

/** A tool call the model asked for, in round `round` of the reply to `triggerId`, returned `result` (or its error text). */
export interface ToolRan {
  type: 'ToolRan';
  triggerId: number;
  round: number;
  callId: string;
  result: string;
}

/** Tool round `round` of the reply to `triggerId` took too long: the model goes on without the calls still running. */
export interface ToolsTimedOut {
  type: 'ToolsTimedOut';
  triggerId: number;
  round: number;
}

/** Time to refresh the typing indicator while the model works. */
export interface TypingDue {
  type: 'TypingDue';
}

/** An answer without the model (command, warning, catch-up) went out or failed. */
export interface AnswerSent {
  type: 'AnswerSent';
  outcome: Outcome<SentReply>;
}

/**
 * A plugin call ended (a command, or listeners of an event): what it asks
 * the chat to do. `replyToMessageId` is the message its texts answer (null:
 * they are posted without quoting).
 */
export interface PluginDone {
  type: 'PluginDone';
  plugin: string;
  replyToMessageId: number | null;
  outcome: Outcome<PluginEffects>;
}

/** A plugin's job posts a text to this chat, if the plugin is on here; `done` settles when it was sent (or refused). */
export interface PluginPost {
  type: 'PluginPost';
  plugin: string;
  text: string;
  done: Reply<boolean>;
}

/** Memories recalled for the reply to `triggerId` (or the recall failed). */
export interface MemoriesRecalled {
  type: 'MemoriesRecalled';
  triggerId: number;
  outcome: Outcome<MemoryHit[]>;
}

/** The recall for `triggerId` took too long: the reply goes on without memories. */
export interface RecallTimedOut {
  type: 'RecallTimedOut';
  triggerId: number;
}

/** A memory write or feedback finished (or failed); counted and logged, nothing waits on it. */
export interface MemoryDone {
  type: 'MemoryDone';
  op: 'remember' | 'feedback';
  outcome: Outcome<unknown>;
}

/** A flagged message was deleted at Telegram (or could not be); counted and logged, nothing waits on it. */
export interface FlaggedDeleted {
  type: 'FlaggedDeleted';
  messageId: number;
  outcome: Outcome<unknown>;
}

/** The last prompt this chat sent to the model, with the memories in it (debug view); null when none since the actor started. */
export interface GetLastPrompt {
  type: 'GetLastPrompt';
  reply: Reply<PromptView | null>;
}

/** Reads the chat's whole state (tests, diagnostics). */
export interface GetChatState {
  type: 'GetChatState';
  reply: Reply<ChatState>;
}

/** The chat report with the chat's mode (admin API). */
export interface GetChatReport {
  type: 'GetChatReport';
  reply: Reply<{ report: ChatReport; mode: ChatMode }>;
}

/** One member's analytics; `null` when the chat has never seen them. */
export interface GetUserAnalytics {
  type: 'GetUserAnalytics';
  userId: number;
  reply: Reply<UserAnalytics | null>;
}

/** Analytics of every member the chat knows. */
export interface GetMembers {
  type: 'GetMembers';
  reply: Reply<UserAnalytics[]>;
}

/** The chat's settings. */
export interface GetSettings {
  type: 'GetSettings';
  reply: Reply<ChatSettings>;
}

/** Changes the chat's mode; answered with the settings after the change. */
export interface SetMode {
  type: 'SetMode';
  mode: ChatMode;
  reply: Reply<ChatSettings>;
}

/** Applies an admin's settings change; answered with the new settings, or rejected with `CHAT_SETTINGS_INVALID` and nothing changed. */
export interface PatchSettings {
  type: 'PatchSettings';
  patch: ChatSettingsPatch;
  reply: Reply<ChatSettings>;
}

/** The chat's plugin choices (switches and setting overrides). */
export interface GetPluginChoices {
  type: 'GetPluginChoices';
  reply: Reply<PluginChoices>;
}

/** An operator's change of one plugin's choice in the chat (null forgets it); answered with the choices after it. */
export interface ChoosePlugin {
  type: 'ChoosePlugin';
  plugin: string;
  choice: PluginChoice | null;
  reply: Reply<PluginChoices>;
}

/** A view of the chat as it is now, for a plugin's job to read outside the chat's turns (a copy: later turns do not change it). */
export interface GetChatView {
  type: 'GetChatView';
  reply: Reply<{ view: ChatView; choices: PluginChoices }>;
}

/** A plugin's data in the chat (a copy; undefined when it stored none). */
export interface GetPluginData {
  type: 'GetPluginData';
  plugin: string;
  reply: Reply<unknown>;
}

/**
 * A change of a plugin's data in the chat, made in the chat's turn; answered
 * with what was stored, or rejected with the change's error (nothing stored).
 */
export interface UpdatePluginData {
  type: 'UpdatePluginData';
  plugin: string;
  change: (current: unknown) => unknown;
  reply: Reply<unknown>;
}

/** What the chat holds about one member, for their data export; null when nothing. */
export interface GetMemberData {
  type: 'GetMemberData';
  userId: number;
  reply: Reply<MemberChatData | null>;
}

/**
 * Erases one member from the chat's state (GDPR erasure); answered with
 * whether anything changed. The change is written behind like any other.
 */
export interface ForgetMember {
  type: 'ForgetMember';
  userId: number;
  reply: Reply<boolean>;
}

export type ChatMsg =
  | UpdateReceived
  | AdminsListed
  | AnomalyActionDone
  | ReplyReady
  | ReplySent
  | ReplyRetryDue
  | ToolRan
  | ToolsTimedOut
  | TypingDue
  | AnswerSent
  | PluginDone
  | PluginPost
  | MemoriesRecalled
  | RecallTimedOut
  | MemoryDone
  | FlaggedDeleted
  | GetLastPrompt
  | GetChatState
  | GetChatReport
  | GetUserAnalytics
  | GetMembers
  | GetSettings
  | SetMode
  | PatchSettings
  | GetPluginChoices
  | ChoosePlugin
  | GetChatView
  | GetPluginData
  | UpdatePluginData
  | GetMemberData
  | ForgetMember
  | GetStyle
  | ResetStyle;

/** What feedback has done to the chat's style (lowered and muted rule keys). */
export interface GetStyle {
  type: 'GetStyle';
  reply: Reply<StyleOverview>;
}

/** Forgets the chat's style weights; answered with the overview after (empty). */
export interface ResetStyle {
  type: 'ResetStyle';
  reply: Reply<StyleOverview>;
}

/**
 * User messages are never dropped: a full mailbox rejects them back to
 * ingress, which waits (backpressure). A typing refresh is worthless late.
 */
export function chatOverflowPolicy(msg: ChatMsg): OverflowPolicy {
  return msg.type === 'TypingDue' ? 'drop-oldest' : 'reject';
}
