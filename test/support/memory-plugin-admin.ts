import type { ChatPluginInfo, PluginAdmin, PluginInfo, PluginRoute } from '../../src/ports/index.js';
import { PluginNotFoundError, PluginRefusedError, PluginSettingsInvalidError } from '../../src/runtime/index.js';

interface FieldSchema {
  type?: string;
  enum?: unknown[];
  minimum?: number;
  maximum?: number;
}

/** A plugin as the admin pages see it, with every field filled: override what a test needs. */
export function pluginInfo(name: string, extra: Partial<PluginInfo> = {}): PluginInfo {
  return {
    name,
    version: '1.0.0',
    description: `${name} plugin`,
    kind: 'command',
    requires: {},
    source: 'builtin',
    commands: [{ name, description: `runs ${name}`, args: null, tool: false, adminOnly: false }],
    listens: [],
    jobs: [],
    routes: [],
    settingsSchema: { type: 'object', properties: {} },
    settings: {},
    enabled: true,
    enabledByDefault: true,
    unavailable: null,
    stats: { calls: 0, failures: 0, timeouts: 0, rejected: 0, latencyMs: { p50: 0, p99: 0 } },
    breaker: 'closed',
    ...extra,
  };
}

/**
 * The plugin host's admin side in memory: settings are checked against each
 * plugin's `settingsSchema` (flat properties: type, enum, minimum, maximum)
 * the way the real host checks them with the plugin's schema, and refused
 * with `PluginSettingsInvalidError`.
 */
export class MemoryPluginAdmin implements PluginAdmin {
  private readonly plugins = new Map<string, PluginInfo>();
  private readonly chats = new Map<string, { enabled: boolean | null; overrides: Record<string, unknown> }>();
  /** Calls that changed something, in order: what the routes asked of the host. */
  readonly changes: string[] = [];

  constructor(
    plugins: PluginInfo[],
    private readonly ownRoutes: PluginRoute[] = [],
    /** Plugins every chat needs: switching one off is refused, as the host refuses it. */
    private readonly required: readonly string[] = [],
  ) {
    for (const p of plugins) this.plugins.set(p.name, structuredClone(p));
  }

  list(): PluginInfo[] {
    return [...this.plugins.values()].map((p) => structuredClone(p));
  }

  get(name: string): PluginInfo | undefined {
    const p = this.plugins.get(name);
    return p === undefined ? undefined : structuredClone(p);
  }

  async setEnabled(name: string, enabled: boolean): Promise<PluginInfo> {
    const p = this.require(name);
    if (!enabled && this.required.includes(name)) throw new PluginRefusedError(name, 'every chat needs it');
    p.enabled = enabled;
    this.changes.push(`enabled ${name} ${enabled}`);
    return structuredClone(p);
  }

  async setSettings(name: string, settings: Record<string, unknown>): Promise<PluginInfo> {
    const p = this.require(name);
    this.check(p, settings);
    p.settings = { ...defaultsOf(p), ...settings };
    this.changes.push(`settings ${name}`);
    return structuredClone(p);
  }

  async forChat(chatId: number): Promise<ChatPluginInfo[]> {
    return [...this.plugins.keys()].map((name) => this.chatInfo(chatId, name));
  }

  async setChatEnabled(chatId: number, name: string, enabled: boolean | null): Promise<ChatPluginInfo> {
    this.require(name);
    const entry = this.chatEntry(chatId, name);
    entry.enabled = enabled;
    this.changes.push(`chat ${chatId} enabled ${name} ${String(enabled)}`);
    return this.chatInfo(chatId, name);
  }

  async setChatSettings(chatId: number, name: string, overrides: Record<string, unknown>): Promise<ChatPluginInfo> {
    const p = this.require(name);
    this.check(p, overrides);
    this.chatEntry(chatId, name).overrides = { ...overrides };
    this.changes.push(`chat ${chatId} settings ${name}`);
    return this.chatInfo(chatId, name);
  }

  routes(): PluginRoute[] {
    return this.ownRoutes;
  }

  private require(name: string): PluginInfo {
    const p = this.plugins.get(name);
    if (p === undefined) throw new PluginNotFoundError(name);
    return p;
  }

  private chatEntry(chatId: number, name: string): { enabled: boolean | null; overrides: Record<string, unknown> } {
    const key = `${chatId}/${name}`;
    let entry = this.chats.get(key);
    if (entry === undefined) {
      entry = { enabled: null, overrides: {} };
      this.chats.set(key, entry);
    }
    return entry;
  }

  private chatInfo(chatId: number, name: string): ChatPluginInfo {
    const p = this.require(name);
    const entry = this.chats.get(`${chatId}/${name}`) ?? { enabled: null, overrides: {} };
    return {
      name,
      enabled: p.enabled && (entry.enabled ?? p.enabledByDefault),
      chosen: entry.enabled !== null,
      settings: { ...p.settings, ...entry.overrides },
      overrides: { ...entry.overrides },
    };
  }

  private check(p: PluginInfo, settings: Record<string, unknown>): void {
    const properties = (p.settingsSchema.properties ?? {}) as Record<string, FieldSchema>;
    const issues: string[] = [];
    for (const [key, value] of Object.entries(settings)) {
      const field = properties[key];
      if (field === undefined) {
        issues.push(`${key}: not a setting of ${p.name}`);
        continue;
      }
      const actual = Number.isInteger(value) ? 'integer' : typeof value;
      const typeOk =
        field.type === undefined || field.type === actual || (field.type === 'number' && actual === 'integer');
      if (!typeOk) issues.push(`${key}: must be ${field.type}`);
      else if (field.enum !== undefined && !field.enum.includes(value))
        issues.push(`${key}: must be one of ${field.enum.join(', ')}`);
      else if (typeof value === 'number' && field.minimum !== undefined && value < field.minimum)
        issues.push(`${key}: must be at least ${field.minimum}`);
      else if (typeof value === 'number' && field.maximum !== undefined && value > field.maximum)
        issues.push(`${key}: must be at most ${field.maximum}`);
    }
    if (issues.length > 0) throw new PluginSettingsInvalidError(p.name, issues, 'the admin API');
  }
}

function defaultsOf(p: PluginInfo): Record<string, unknown> {
  const properties = (p.settingsSchema.properties ?? {}) as Record<string, { default?: unknown }>;
  return Object.fromEntries(
    Object.entries(properties).flatMap(([k, v]) => (v.default === undefined ? [] : [[k, v.default]])),
  );
}
