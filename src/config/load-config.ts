import { LekhaError } from '../runtime/index.js';
import { type Config, configSchema } from './schema.js';

/** A setting is missing or malformed; `problems` names each variable and what it expects. */
export class ConfigError extends LekhaError {
  declare readonly code: 'CONFIG_INVALID';

  constructor(readonly problems: string[]) {
    super('CONFIG_INVALID', `invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`, {
      retryable: false,
    });
  }
}

/**
 * Reads the configuration from `env`. Empty strings count as unset, so
 * `FOO=` in a .env file falls back to the default. Throws `ConfigError`
 * naming every bad variable at once; values are never echoed (they may be
 * secrets).
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = configSchema.safeParse(settingsOf(env, Object.keys(configSchema.shape ?? {})));
  if (parsed.success) return parsed.data;
  throw configErrorOf(parsed.error.issues);
}

/**
 * Reads one setting from `env` as {@link loadConfig} would, for a command
 * that needs it alone (`lekha bench` runs with `lekha start`'s heap growth,
 * without the rest of its configuration).
 */
export function loadSetting<K extends keyof Config & keyof typeof configSchema.shape>(
  name: K,
  env: NodeJS.ProcessEnv = process.env,
): Config[K] {
  const parsed = configSchema.shape[name].safeParse(settingsOf(env, [name])[name]);
  if (parsed.success) return parsed.data as Config[K];
  throw configErrorOf(parsed.error.issues.map((issue) => ({ ...issue, path: [name, ...issue.path] })));
}

/** The variables of `names` that are set, trimmed; empty strings count as unset. */
function settingsOf(env: NodeJS.ProcessEnv, names: readonly string[]): Record<string, string> {
  const input: Record<string, string> = {};
  for (const name of names) {
    const value = env[name];
    if (value !== undefined && value.trim() !== '') input[name] = value.trim();
  }
  return input;
}

function configErrorOf(issues: ReadonlyArray<{ path: readonly PropertyKey[]; message: string }>): ConfigError {
  return new ConfigError(
    issues.map((issue) => `${issue.path.map(String).join('.') || 'environment'}: ${issue.message}`),
  );
}
