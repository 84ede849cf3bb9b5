export { buildHttpApp, type HttpApp } from './build-http-app.js';
export { startHttpServer, type HttpServer } from './start-http-server.js';
export { HttpListenError } from './http-listen-error.js';
export type { HttpDeps, HttpOptions } from './http-deps.js';
export { FORWARDED_BY_HEADER } from './cluster/chat-forwarding.js';

export type { AuditLog } from './ports/audit-log.js';
export type { BreakerSource } from './ports/breaker-source.js';
export type { ChatActorGateway } from './ports/chat-actor-gateway.js';
export type { ChatControl } from './ports/chat-control.js';
export type { MemberMemories } from './ports/member-memories.js';
export type { ErasureSummary, MemberPrivacy } from './ports/member-privacy.js';
export type {
  ChatDirectory,
  ChatListRequest,
  ExportFilter,
  MemberExportRow,
  MemberListRequest,
  MessageSearchRequest,
} from './ports/chat-directory.js';
export type { ChatInsights, Sourced } from './ports/chat-insights.js';
export type { ChatStyles } from './ports/chat-styles.js';
export type { DatabaseBackup } from './ports/database-backup.js';
export type { FinetuneExports, FinetuneFile, FinetuneRequest } from './ports/finetune-exports.js';
export type { DeadLetterAdmin, DeadLetterSummary, ReplayOutcome } from './ports/dead-letter-admin.js';
export type { ErrorFeed } from './ports/error-feed.js';
export type { ChatPluginInfo, PluginAdmin, PluginInfo, PluginRoute, PluginRouteRequest } from './ports/plugin-admin.js';
export type { Job, JobQuery, JobStatus, SchedulerAdmin, SchedulerStats } from './ports/scheduler-admin.js';
export type { IngressStatus, IngressStatusSource } from './ports/ingress-status.js';
export type { ProbeResult, ReadinessProbe } from './ports/readiness-probe.js';
export type { RuntimeStatsSource } from './ports/runtime-stats-source.js';
export type { TokenRecord, TokenStore } from './ports/token-store.js';
export type {
  AdminSessionRecord,
  AdminSessionStore,
  LoginMethod,
  OidcRoleRule,
  TelegramAdminGrant,
  TelegramAdminStore,
} from './ports/admin-session.js';

export type { AuditEntry, AuditFilter, AuditRecord, AuditResult } from './schemas/audit.js';
export type { BreakerState, ErrorEvent } from './schemas/alerts.js';
export type { ChatMode, ChatSettings, ChatSettingsPatch, ChatSummary, ChatType } from './schemas/chat.js';
export type { ChatReport, UserAnalytics } from './schemas/insights.js';
export type { DebugPrompt } from './schemas/prompt.js';
export type { ChatStyle } from './schemas/style.js';
export type { MemberSummary } from './schemas/member.js';
export type { MessageView } from './schemas/message.js';
export type { Page, PageRequest } from './schemas/pagination.js';
export { type Role, roles } from './schemas/role.js';
export type { Identity } from './schemas/token.js';

export { ActorChatControl, type ChatControlRequests } from './chat-access/actor-chat-control.js';
export {
  type ChatInsightRequests,
  type ChatStateReaders,
  LiveFirstChatInsights,
  type LiveFirstChatInsightsOptions,
} from './chat-access/live-first-chat-insights.js';
export { toApiReport, toApiSettings, toApiUser, toDomainPatch } from './chat-access/chat-domain-views.js';
export { FileTokenStore, TokenFileCorruptError } from './auth/file-token-store.js';
export { FileSessionStore } from './auth/file-session-store.js';
export { FileTelegramAdminStore } from './auth/file-telegram-admin-store.js';
export { AdminFileCorruptError } from './auth/jsonl-event-file.js';
export type { LoginSettings, OidcSettings, TelegramLoginSettings } from './auth/login-settings.js';
export { checkTelegramLogin, type TelegramLoginCheck } from './auth/telegram-login.js';
export { oidcRole } from './auth/oidc-role.js';
export { type IssuedToken, issueToken } from './auth/issue-token.js';
export { runTokenCommand, type TokenCommandIo } from './token-command.js';
export { cliIdentity, localAuditRecord } from './local-audit-record.js';
export { TokenSecret } from './auth/token-secret.js';
export {
  AuditUnavailableError,
  ForbiddenError,
  HttpError,
  InvalidCursorError,
  InvalidRequestError,
  NotFoundError,
  UnauthorizedError,
} from './errors.js';
export { MemoryAuditLog } from './memory/memory-audit-log.js';
export { type IncomingMessage, MemoryChatDirectory } from './memory/memory-chat-directory.js';
export { MemoryTokenStore } from './memory/memory-token-store.js';
export { RecentErrorLog } from './stats/recent-error-log.js';
