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
  const known = Object.keys(configSchema.shape ?? {});
  const input: Record<string, string> = {};
  for (const name of known) {
    const value = env[name];
    if (value !== undefined && value.trim() !== '') input[name] = value.trim();
  }
  const parsed = configSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => {
    const name = issue.path.map(String).join('.') || 'environment';
    return `${name}: ${issue.message}`;
  });
  throw new ConfigError(problems);
}
