import { Type } from 'typebox';
import type {
  ChatPluginInfo as PortChatPluginInfo,
  PluginCallStats as PortPluginCallStats,
  PluginInfo as PortPluginInfo,
} from '../../ports/index.js';
import { Nullable } from './nullable.js';
import type { PortType } from './port-type.js';
import { Role } from './role.js';

/** A plugin's name as a path segment: what the plugin host accepts in a manifest. */
export const PluginName = Type.String({
  pattern: '^[a-z0-9][a-z0-9_-]{0,63}$',
  description: 'plugin name (lower case letters, digits, `-`, `_`)',
});

export const PluginParams = Type.Object({ name: PluginName });

/** Settings as a JSON object; the plugin's own schema checks them (400 `PLUGIN_SETTINGS_INVALID` with `issues`). */
const Settings = Type.Record(Type.String(), Type.Unknown(), { maxProperties: 200 });

export const PluginRouteMethod = Type.Enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']);

export const PluginCallStats = Type.Object({
  calls: Type.Integer({ minimum: 0 }),
  failures: Type.Integer({ minimum: 0 }),
  timeouts: Type.Integer({ minimum: 0 }),
  rejected: Type.Integer({ minimum: 0, description: 'calls refused at once because the breaker was open' }),
  latencyMs: Type.Object({ p50: Type.Number(), p99: Type.Number() }),
});
export type PluginCallStats = PortType<PortPluginCallStats, typeof PluginCallStats>;

export const PluginInfo = Type.Object({
  name: Type.String(),
  version: Type.String(),
  description: Type.String(),
  kind: Type.Enum(['command', 'listener', 'integration', 'job']),
  requires: Type.Record(Type.String(), Type.String(), { description: 'plugins it needs, with a version range each' }),
  source: Type.String({ description: '`builtin`, or where PLUGINS loaded it from' }),
  commands: Type.Array(
    Type.Object({
      name: Type.String(),
      description: Type.String(),
      args: Nullable(Type.String()),
      tool: Type.Boolean({ description: 'the model may call it as a tool' }),
      adminOnly: Type.Boolean(),
    }),
  ),
  listens: Type.Array(Type.String()),
  jobs: Type.Array(Type.Object({ name: Type.String(), schedule: Type.String() })),
  routes: Type.Array(Type.Object({ method: PluginRouteMethod, url: Type.String(), role: Role })),
  settingsSchema: Type.Record(Type.String(), Type.Unknown(), { description: 'JSON Schema of its settings' }),
  settings: Type.Record(Type.String(), Type.Unknown(), { description: 'its global settings in effect' }),
  enabled: Type.Boolean({ description: 'switched on for the whole bot' }),
  enabledByDefault: Type.Boolean({ description: 'whether chats that never chose have it on' }),
  unavailable: Nullable(Type.String({ description: 'why it cannot run' })),
  stats: PluginCallStats,
  breaker: Type.Enum(['closed', 'open', 'half-open']),
});
export type PluginInfo = PortType<PortPluginInfo, typeof PluginInfo>;

export const ChatPluginInfo = Type.Object({
  name: Type.String(),
  enabled: Type.Boolean(),
  chosen: Type.Boolean({ description: 'the chat chose (true) or follows the default (false)' }),
  settings: Type.Record(Type.String(), Type.Unknown(), { description: "settings in effect: global with the chat's" }),
  overrides: Type.Record(Type.String(), Type.Unknown(), { description: "the chat's own overrides only" }),
});
export type ChatPluginInfo = PortType<PortChatPluginInfo, typeof ChatPluginInfo>;

export const EnabledBody = Type.Object({ enabled: Type.Boolean() }, { additionalProperties: false });
export const ChatEnabledBody = Type.Object(
  {
    // One schema with both types, not a union: Fastify's validator coerces types, and in a union
    // each branch would coerce the other's value (null to false, or false to null).
    enabled: Type.Unsafe<boolean | null>({ type: ['boolean', 'null'], description: 'null: follow the default again' }),
  },
  { additionalProperties: false },
);
export const SettingsBody = Type.Object({ settings: Settings }, { additionalProperties: false });
