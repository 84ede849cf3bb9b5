// The plugin API: what a plugin module imports (see examples/), and the host the wiring builds once.
export { definePlugin } from './define-plugin.js';
export { PluginFailure } from './plugin-api.js';
export type {
  ChatData,
  ChatContext,
  CommandContext,
  CommandHandler,
  CommandOptions,
  EventOf,
  HandlerResult,
  JobContext,
  JobHandler,
  JobOptions,
  Listener,
  ListenerContext,
  ListenerEvent,
  Localized,
  MemberJoinedEvent,
  MessageEvent,
  Plugin,
  PluginDefinition,
  PluginEvent,
  PluginSetup,
  PluginSummary,
  ReactionEvent,
  RecalledMemory,
  RouteOptions,
  SettingsSchema,
  ToolOptions,
} from './plugin-api.js';
export {
  createPluginHttp,
  type HttpAnswer,
  type PluginHttpClient,
  PluginHttpError,
  type PluginHttpOptions,
  type RateLimit,
  type RequestOptions,
} from './plugin-http.js';
export type { ChatMemberView, ChatView } from '../chat/index.js';
export { BUILTIN_PLUGINS } from './builtin/index.js';
export { INTEGRATION_PLUGINS } from './integrations/index.js';
export { type ExportDelivery, type PrivacyDesk, privacyPlugin } from './builtin/privacy.js';
export { personaPlugin } from './builtin/persona.js';
export { type PendingReminder, type ReminderBook, remindersPlugin } from './builtin/reminders.js';
export { loadPluginModules } from './load-plugins.js';
export {
  ALWAYS_ON_PLUGINS,
  type HostedPlugin,
  localize,
  maskSecrets,
  PluginHost,
  type PluginHostOptions,
  type PluginOutbox,
  type PluginSource,
} from './plugin-host.js';
export { PluginTimeoutError } from './plugin-invoker.js';
