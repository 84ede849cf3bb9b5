import type { AdminRole, Identity } from './admin-identity.js';

/** What a plugin is for; the admin pages group plugins by it. */
export type PluginKind = 'command' | 'listener' | 'integration' | 'job';

/** A command a plugin adds, as `/help` and the admin API list it. */
export interface PluginCommandInfo {
  name: string;
  /** In the language asked for (the admin API: English). */
  description: string;
  /** How its arguments are written (`<place>`), or null when it takes none. */
  args: string | null;
  /** Whether the model may call it as a tool. */
  tool: boolean;
  /** Only chat admins may run it. */
  adminOnly: boolean;
}

export interface PluginJobInfo {
  name: string;
  /** `every 1h`, or the cron pattern. */
  schedule: string;
}

export type BreakerState = 'closed' | 'open' | 'half-open';

/** A plugin's call figures since start. */
export interface PluginCallStats {
  calls: number;
  failures: number;
  timeouts: number;
  /** Calls refused at once because the breaker was open. */
  rejected: number;
  latencyMs: { p50: number; p99: number };
}

/** A loaded plugin as operators see it. */
export interface PluginInfo {
  name: string;
  version: string;
  description: string;
  kind: PluginKind;
  /** Plugins it needs, with the version range of each. */
  requires: Record<string, string>;
  /** `builtin` (part of Lekha) or where `PLUGINS` loaded it from. */
  source: string;
  commands: PluginCommandInfo[];
  listens: string[];
  jobs: PluginJobInfo[];
  /** Admin routes it mounts under `/api/plugins/<name>`. */
  routes: Array<{ method: PluginRouteMethod; url: string; role: AdminRole }>;
  /** JSON Schema of its settings (generated from the plugin's schema), for the settings form. */
  settingsSchema: Record<string, unknown>;
  /** Its global settings in effect: defaults, then environment/config file, then operators' changes. */
  settings: Record<string, unknown>;
  /** Switched on for the whole bot; a chat may still switch it off (or on, when `enabledByDefault` is false). */
  enabled: boolean;
  /** Whether chats that never chose have it on. */
  enabledByDefault: boolean;
  /** Why it cannot run (a required setting is missing), or null. */
  unavailable: string | null;
  stats: PluginCallStats;
  breaker: BreakerState;
}

/** A plugin in one chat: its switch and settings there. */
export interface ChatPluginInfo {
  name: string;
  enabled: boolean;
  /** Whether the chat chose (true) or follows the default (false). */
  chosen: boolean;
  /** The settings in effect in the chat (global ones with the chat's overrides). */
  settings: Record<string, unknown>;
  /** The chat's own overrides only. */
  overrides: Record<string, unknown>;
}

/** Operators' lasting choices about a plugin for the whole bot. */
export interface PluginConfigEntry {
  enabled?: boolean;
  settings?: Record<string, unknown>;
}

/** Where operators' plugin choices are kept (storage's `plugin_config`, or memory without storage). */
export interface PluginConfigStore {
  load(): Promise<Record<string, PluginConfigEntry>>;
  save(name: string, entry: PluginConfigEntry): Promise<void>;
}

/** The plugin host as the admin API drives it. Settings are validated by the plugin's schema; a bad value throws a `ValidationError`-like error with a clear message. */
export interface PluginAdmin {
  list(): PluginInfo[];
  get(name: string): PluginInfo | undefined;
  setEnabled(name: string, enabled: boolean): Promise<PluginInfo>;
  /** Replaces the operator's global overrides of the plugin's settings. */
  setSettings(name: string, settings: Record<string, unknown>): Promise<PluginInfo>;
  forChat(chatId: number): Promise<ChatPluginInfo[]>;
  setChatEnabled(chatId: number, name: string, enabled: boolean | null): Promise<ChatPluginInfo>;
  /** Replaces the chat's overrides of the plugin's settings. */
  setChatSettings(chatId: number, name: string, overrides: Record<string, unknown>): Promise<ChatPluginInfo>;
  /** Every admin route of every plugin, to mount under `/api/plugins/<plugin>`. */
  routes(): PluginRoute[];
}

export type PluginRouteMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** What a plugin's admin route is handed: the parsed request, who asks, and an abort signal. */
export interface PluginRouteRequest {
  params: Record<string, string>;
  query: Record<string, string>;
  body: unknown;
  identity: Identity;
  signal: AbortSignal;
}

/** A plugin's admin route, mounted under `/api/plugins/<plugin><url>` with the role check of the rest of the API. */
export interface PluginRoute {
  plugin: string;
  method: PluginRouteMethod;
  /** Relative to the plugin's prefix, starting with `/` (`/cache`, `/items/:id`). */
  url: string;
  /** The least role that may call it; changes (anything but GET) are audited. */
  role: AdminRole;
  handler(request: PluginRouteRequest): Promise<unknown>;
}
