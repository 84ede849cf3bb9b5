import { z } from 'zod';
import { PluginInvalidError, PluginSettingsInvalidError } from '../runtime/index.js';
import type { Plugin } from './plugin-api.js';

/**
 * A plugin's settings in layers, each over the one before: the schema's
 * defaults, the config file (`PLUGINS_CONFIG`), the environment, the
 * operators' changes (admin API, kept in storage), and in a chat the chat's
 * overrides. Every layer is validated by the plugin's schema when it is set,
 * so a bad value is refused with the field's name where it came in.
 */
export class PluginSettings {
  private readonly defaults: Record<string, unknown>;
  private fixed: Record<string, unknown>;
  private operator: Record<string, unknown> = {};
  private global: Record<string, unknown>;

  constructor(
    private readonly plugin: Plugin,
    /** The config file's and the environment's values, merged (environment over file). */
    fixed: Record<string, unknown>,
  ) {
    const parsed = plugin.settings.safeParse({});
    if (!parsed.success)
      throw new PluginInvalidError(
        plugin.name,
        `every setting needs a default (or must be optional): ${issues(parsed.error).join('; ')}`,
      );
    this.defaults = parsed.data;
    this.fixed = this.validate(fixed, 'config file and environment');
    this.global = this.fixed;
  }

  /** The global settings in effect. */
  get current(): Record<string, unknown> {
    return this.global;
  }

  /** The operators' overrides, as stored. */
  get operatorOverrides(): Record<string, unknown> {
    return this.operator;
  }

  /** Replaces the operators' overrides (validated together with the layers below them). */
  setOperator(overrides: Record<string, unknown>, source = 'the admin API'): void {
    const merged = this.validate({ ...this.fixed, ...overrides }, source);
    this.operator = { ...overrides };
    this.global = merged;
  }

  /** The settings in a chat with `overrides`; a stored override the schema no longer takes is left out. */
  inChat(overrides: Record<string, unknown> | undefined): Record<string, unknown> {
    if (overrides === undefined || Object.keys(overrides).length === 0) return this.global;
    const parsed = this.plugin.settings.safeParse({ ...this.defaults, ...this.fixed, ...this.operator, ...overrides });
    return parsed.success ? parsed.data : this.global;
  }

  /** Checks a chat's overrides, throwing {@link PluginSettingsInvalidError} for bad ones. */
  checkChat(overrides: Record<string, unknown>, chatId: number): void {
    this.validate({ ...this.fixed, ...this.operator, ...overrides }, `chat ${chatId}`);
  }

  private validate(values: Record<string, unknown>, source: string): Record<string, unknown> {
    const parsed = this.plugin.settings.strict().safeParse({ ...this.defaults, ...values });
    if (!parsed.success) throw new PluginSettingsInvalidError(this.plugin.name, issues(parsed.error), source);
    return parsed.data;
  }
}

/** `PLUGIN_<NAME>_<SETTING>`: the setting's name in upper snake case (`baseUrl` → `BASE_URL`). */
export function envName(plugin: string, setting: string): string {
  const snake = setting.replace(/([a-z0-9])([A-Z])/g, '$1_$2');
  return `PLUGIN_${plugin}_${snake}`.replace(/[^A-Za-z0-9]/g, '_').toUpperCase();
}

/**
 * A plugin's settings from the environment: `PLUGIN_<NAME>_<SETTING>` and the
 * names its `env` map gives (those win). A value is taken as the text, or as
 * JSON when the schema wants something else (`true`, `5`, `["a","b"]`); one
 * neither reading fits is refused, naming the variable.
 */
export function settingsFromEnv(
  plugin: Plugin,
  env: Readonly<Record<string, string | undefined>>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const shape = plugin.settings.shape as Record<string, z.ZodType>;
  for (const [key, field] of Object.entries(shape)) {
    const names = [envName(plugin.name, key), (plugin.env as Record<string, string> | undefined)?.[key]];
    for (const name of names) {
      if (name === undefined) continue;
      const raw = env[name];
      if (raw === undefined || raw === '') continue;
      out[key] = readSettingText(plugin.name, name, raw, field);
    }
  }
  return out;
}

/**
 * A setting typed as text (an environment variable, `/plugin set`): the text
 * itself, or its JSON reading when the schema wants something else (`true`,
 * `5`, `["a","b"]`). Throws {@link PluginSettingsInvalidError} naming
 * `source` when neither fits.
 */
export function readSettingText(plugin: string, source: string, raw: string, field: z.ZodType): unknown {
  if (field.safeParse(raw).success) return raw;
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    json = undefined;
  }
  const parsed = json === undefined ? field.safeParse(raw) : field.safeParse(json);
  if (!parsed.success) throw new PluginSettingsInvalidError(plugin, issues(parsed.error), source);
  return json;
}

/** The settings schema as JSON Schema, for the dashboard's form. */
export function settingsJsonSchema(plugin: Plugin): Record<string, unknown> {
  return z.toJSONSchema(plugin.settings, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
}

function issues(error: z.ZodError): string[] {
  return error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
}
