// The contracts between the edges and the code that uses them, declared once:
// types only, importing nothing outside this folder, so every layer may
// depend on them (DESIGN.md §2).
export type { AdminRole, Identity } from './admin-identity.js';
export type {
  AdminSessionRecord,
  AdminSessionStore,
  LoginMethod,
  OidcRoleRule,
  TelegramAdminGrant,
  TelegramAdminStore,
} from './admin-session.js';
export type { AnomalyActionKind, AnomalyActionStatus, AnomalyAlert, AnomalyAlerts } from './anomaly-alerts.js';
export type { AuditEntry, AuditFilter, AuditLog, AuditRecord, AuditResult } from './audit-log.js';
export type { ChatOwner, ClusterMember, ClusterStatus, ClusterView, PartitionStatus } from './cluster.js';
export type { ArchivedChat, ArchivedMessage, ArchivedUser, ChatArchive } from './chat-archive.js';
export type {
  ChatDirectory,
  ChatListRequest,
  ChatMode,
  ChatSummary,
  ChatType,
  ExportFilter,
  MemberExportRow,
  MemberListRequest,
  MemberSummary,
  MessageSearchRequest,
  MessageView,
} from './chat-directory.js';
export type {
  DeadLetter,
  DeadLetterAdmin,
  DeadLetterStore,
  DeadLetterSummary,
  NewDeadLetter,
  ReplayOutcome,
} from './dead-letters.js';
export type {
  ExperimentRecord,
  ExperimentSource,
  ExperimentStatus,
  ExperimentStore,
  ExperimentUnit,
  ExperimentVariant,
  NewExperiment,
  PersonaOverrides,
  ReplyLedger,
  ReplyOutcome,
  ReplyRecord,
  ReplySignal,
  ReplySignalKind,
} from './experiments.js';
export type { FieldCipher, SealedField } from './field-cipher.js';
export type { FinetuneMember, FinetuneQuery, FinetuneReply, FinetuneSource, FinetuneTurn } from './finetune-source.js';
export type {
  ErasedRows,
  ErasureRecord,
  MemberChats,
  MemberDataStore,
  MemberMemoryEraser,
  StoredMemberData,
  StoredUser,
} from './member-data.js';
export type { FeedbackUpdate, IndexStamp, MemoryItem, MemoryKind, MemoryStore, NewMemory } from './memory-store.js';
export type { Page, PageRequest } from './page.js';
export type { PersonaStore, StoredPersona } from './persona-store.js';
export type { TokenRecord, TokenStore } from './token-store.js';
export type {
  BreakerState,
  ChatPluginInfo,
  PluginAdmin,
  PluginCallStats,
  PluginCommandInfo,
  PluginConfigEntry,
  PluginConfigStore,
  PluginInfo,
  PluginJobInfo,
  PluginKind,
  PluginRoute,
  PluginRouteMethod,
  PluginRouteRequest,
} from './plugins.js';
export type {
  ClaimedJob,
  Job,
  JobQuery,
  JobSchedule,
  JobStatus,
  JobClaimScope,
  JobStore,
  MissedRunPolicy,
  NewJob,
  SchedulerAdmin,
  SchedulerStats,
} from './scheduler.js';
export type { ChatTools, ToolCall, ToolCaller, ToolSpec } from './tools.js';
