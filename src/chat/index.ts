/**
 * Chat intelligence: the pure, I/O-free domain logic the chat actor runs for
 * every message — filters, PII redaction, rate limiting, profiles, group
 * dynamics, analytics, reply policy, persona prompt and leak guard.
 *
 * The actor's calls, in order:
 * - `restoreChatState(decoded)` / `createChatState(...)` when it starts, then `transitionReply(…, { type: 'Restarted' })`;
 * - `processMessage(state, incoming, now, ctx)` for each message, acting on `result.decision`;
 * - for a `reply` decision: `transitionReply(…, { type: 'ReplyStarted', plan })`, then every outcome of the
 *   reply's side effects (recall, model, send) through `transitionReply` too, carrying out the effects it returns
 *   (inside: `prepareReply` → LLM → `reviewReply` → send → `completeReply`, which may start a follow-up);
 * - for a `plugin` decision: the plugin host runs the command after the turn, and the actor applies its
 *   `PluginEffects` (texts through the leak guard and egress, settings, plugin choices) in a later turn.
 * Long-term memory: `memoryCandidate(text)` picks what to store from each member message,
 * `replyFeedback` / `reactionFeedback` score replies and reactions to the bot's messages, and
 * `rankMemories(hits, options)` turns similarity-search hits into the `memories` for `prepareReply`.
 * Reminders: `parseRemindCommand(args, …)` reads `/remind` arguments, `parseRemindPhrase(text, …)` tells
 * whether a message asks for a reminder at all (null when not) and reads it; `phrasebookFor(language)`
 * words the confirmation, the list, each rejection and the reminder itself.
 */
export { type FoundLink, findLinks, linkAllowed } from './link-guard.js';
export {
  ANOMALY_KINDS,
  ANOMALY_THRESHOLDS,
  type Anomaly,
  type AnomalyKind,
  type AnomalyState,
  type AnomalyVerdict,
  createAnomalyState,
  isNewMember,
  type ObservedMessage,
  observeJoins,
  observeMessage,
  slowedChat,
  slowedFor,
} from './anomaly/index.js';
export { BotAddress, type BotIdentity, DEFAULT_BOT_NAMES } from './bot-address.js';
export { forgetMember } from './forget-member.js';
export { forgetOwnNames } from './forget-own-names.js';
export { type MemberChatData, memberChatData } from './member-data.js';
export type { ChatEvent } from './chat-events.js';
export { findInHistory } from './chat-history.js';
export { type ChatReport, chatReport, type NamedRelation } from './chat-report.js';
export {
  type AnomalyAction,
  type ChatMode,
  type ChatSettings,
  ChatSettingsInvalidError,
  type ChatSettingsPatch,
  chatSettingsSchema,
  DEFAULT_CHAT_SETTINGS,
  patchChatSettings,
  type PersonaTuning,
  personaTuningSchema,
  type ViolationAction,
} from './chat-settings.js';
export {
  CHAT_STATE_LIMITS,
  CHAT_STATE_VERSION,
  type ChatKind,
  type ChatState,
  createChatState,
  type HistoryEntry,
  type RecentReply,
  type Language,
  type MemberProfile,
  type TriggerKind,
} from './chat-state.js';
export { ChatStateInvalidError, restoreChatState, storedChatState } from './chat-state-schema.js';
export { type ChatSummary, isSummaryRequest, summariseChat } from './chat-summary.js';
export { type Command, parseCommand, splitArgs } from './command-parser.js';
export { DerivedCache, type StateChange } from './derived-cache.js';
export { type Relation, relations, runningConflicts } from './group-dynamics.js';
export { REPLY_TIMEOUT_MS, type ReplyPlan } from './in-flight-reply.js';
export type { IncomingMessage } from './incoming-message.js';
export { countGuardVerdict, type GuardVerdict, guardReply, type LeakReason } from './leak-guard.js';
export type { Sender } from './member-profiles.js';
export { reactionFeedback, replyFeedback } from './memory-feedback.js';
export {
  DEFAULT_RANK_OPTIONS,
  estimateTokens,
  type MemoryHit,
  type MemoryKind,
  rankMemories,
  type RankedMemory,
  type RankOptions,
} from './memory-ranking.js';
export { MEMORY_CANDIDATE_LIMITS, type MemoryCandidate, memoryCandidate } from './memory-worth.js';
export type { Violation, ViolationKind } from './message-filters.js';
export {
  buildPersonaPrompt,
  type ChatCompletionMessage,
  describePrompt,
  type PersonaPrompt,
  personaInstructions,
  PROMPT_HISTORY_MESSAGES,
  type PromptExperiment,
  type PromptRequest,
  type RecalledMemory,
  type ReplyVoice,
} from './persona-prompt.js';
export { PERSONA_TEMPLATE } from './persona-template.js';
export { type ChatLanguage, chatLanguage } from './chat-language.js';
export {
  DEFAULT_PERSONA,
  type OfflinePhrases,
  type Persona,
  type PersonaInput,
  personaId,
  PersonaInvalidError,
  PersonaReadOnlyError,
  personaSchema,
  personaTriggers,
  renamedPersona,
} from './persona.js';
export { tunedPersona, tuningRefusals, tuningRefusalText } from './persona-tuning.js';
export {
  type BotHandle,
  DEFAULT_CATALOG,
  findPersona,
  type PersonaCatalog,
  PersonaBook,
  personaKey,
} from './persona-book.js';
export type { PersonaLine, PersonaPhrases, TuningLimit, TuningLine } from './persona-phrases.js';
export type { StylePhrases } from './style-phrases.js';
export { declineName } from './name-declension.js';
export { type HelpLine, type Phrasebook, phrasebookFor, type PluginLine } from './phrasebook.js';
export { LiveChatView } from './chat-view.js';
export { stemWord } from './word-stemmer.js';
export {
  type AppliedEffects,
  applyPluginChoices,
  applyPluginEffects,
  changePluginData,
  type ChatAccess,
  type ChatMemberView,
  type ChatMemoryHit,
  type ChatPlugins,
  type ChatView,
  type CommandCall,
  type CommandRoute,
  type CommandTable,
  type MemberJoinedEvent,
  type MessageEvent,
  type PluginChoice,
  type PluginChoices,
  PLUGIN_DATA_MAX_BYTES,
  type PluginDataAccess,
  PluginDataRefusedError,
  type PluginEffects,
  type PluginEvent,
  type ReactionEvent,
} from './plugin-call.js';
export { detectPii, type PiiKind, type PiiMatch, redactPii } from './pii-detector.js';
export { hasRedaction, redactName, redactUsername } from './redact-name.js';
export { type ReminderListing } from './remind-format.js';
export { type ChatClock, type ReminderLimitScope, type ReminderPhrases } from './remind-phrases.js';
export {
  DEFAULT_REMIND_LIMITS,
  parseRemindCommand,
  parseRemindPhrase,
  type RemindFailure,
  type RemindLimits,
  type RemindRejection,
  type RemindRequest,
} from './remind-request.js';
export {
  type Decision,
  type IgnoreReason,
  type PipelineContext,
  type ProcessResult,
  processMessage,
} from './process-message.js';
export {
  completeReply,
  prepareReply,
  recoverReply,
  type ReplyOutcome,
  reviewReply,
  type ReviewedReply,
} from './reply-lifecycle.js';
export {
  type RecallStatus,
  REPLY_BUSY_RETRY_MS,
  type ReplyCounter,
  type ReplyEffect,
  type ReplyEvent,
  type ReplyFlowEnv,
  type ReplyFlowState,
  type ReplyWork,
  transitionReply,
} from './reply-flow.js';
export { MODE_REPLY_CHANCE } from './reply-policy.js';
export {
  MAX_TOOL_CALLS_PER_ROUND,
  MAX_TOOL_ROUNDS,
  type PendingToolRound,
  TOOL_RESULT_CHARS,
  toolErrorText,
  type ToolRound,
  vetToolCalls,
  type VettedCalls,
} from './tool-rounds.js';
export { RuleBook } from './rule-book.js';
export { type MutedStyleRule, type ReplyStyle, type StyleRule, deriveStyle, styleKeys } from './style-rules.js';
export {
  applyStyleFeedback,
  rememberStyledReply,
  resetStyleWeights,
  STYLE_FEEDBACK,
  type StyledReply,
  type StyleOverview,
  styleOverview,
  styleWeight,
  type StyleWeight,
  type StyleWeightLine,
} from './style-feedback.js';
export { TtlCache, type TtlCacheStats } from './ttl-cache.js';
export { allUserAnalytics, type UserAnalytics, userAnalytics } from './user-analytics.js';
export { Vocabulary, type VocabularyOptions } from './vocabulary.js';
export {
  assignVariant,
  DEFAULT_SCORE_WINDOW_MS,
  type ExperimentReadout,
  experimentReadout,
  FOLLOWUP_WINDOW_MS,
  messageSignals,
  newExperimentSchema,
  type ReadoutVerdict,
  RECENT_REPLIES,
  recentReply,
  rememberReply,
  replyScore,
  type ReplyScore,
  type ReplySignalDraft,
  type SignalingMessage,
  type VariantComparison,
  type VariantReadout,
  variantPersona,
} from './experiments/index.js';
export {
  conversationLine,
  FINETUNE_FORMATS,
  FinetuneBuilder,
  type FinetuneExportOptions,
  type FinetuneFormat,
  type FinetuneManifest,
  type FinetuneSkipReason,
  MemberMasker,
  type OpenaiExample,
  openaiExampleSchema,
  parseExportDate,
  type PairCandidate,
  PREFERENCE_MIN_GAP,
  type PreferenceExample,
  preferenceExampleSchema,
  preferenceLine,
  type PreferencePair,
  preferencePairs,
  type SharegptExample,
  sharegptExampleSchema,
  similarTriggerKey,
  type TrainingMessage,
} from './finetune/index.js';
