import { LekhaError } from './errors.js';

/** A plugin cannot be registered; the start stops with this message. */
export class PluginInvalidError extends LekhaError {
  declare readonly code: 'PLUGIN_INVALID';

  constructor(
    readonly plugin: string,
    reason: string,
  ) {
    super('PLUGIN_INVALID', `plugin ${plugin}: ${reason}`, { retryable: false });
  }
}

/** Settings that break a plugin's schema; nothing was changed. */
export class PluginSettingsInvalidError extends LekhaError {
  declare readonly code: 'PLUGIN_SETTINGS_INVALID';

  constructor(
    readonly plugin: string,
    readonly issues: string[],
    /** Where the settings came from (`PLUGIN_WEATHER_UNITS`, `the admin API`, `chat -100123`). */
    source: string,
  ) {
    super('PLUGIN_SETTINGS_INVALID', `invalid settings for plugin ${plugin} (${source}): ${issues.join('; ')}`, {
      retryable: false,
    });
  }
}

export class PluginNotFoundError extends LekhaError {
  declare readonly code: 'PLUGIN_NOT_FOUND';

  constructor(readonly plugin: string) {
    super('PLUGIN_NOT_FOUND', `no plugin named ${JSON.stringify(plugin.slice(0, 64))} is loaded`, { retryable: false });
  }
}

/** A change the plugin does not allow (switching off a plugin every chat needs). */
export class PluginRefusedError extends LekhaError {
  declare readonly code: 'PLUGIN_REFUSED';

  constructor(
    readonly plugin: string,
    reason: string,
  ) {
    super('PLUGIN_REFUSED', `plugin ${plugin}: ${reason}`, { retryable: false });
  }
}

/** A module named in PLUGINS cannot be imported or exports no plugin. */
export class PluginLoadError extends LekhaError {
  declare readonly code: 'PLUGIN_LOAD_FAILED';

  constructor(specifier: string, reason: string, options?: { cause?: unknown }) {
    super('PLUGIN_LOAD_FAILED', `cannot load plugin module ${specifier}: ${reason}`, {
      retryable: false,
      ...(options?.cause === undefined ? {} : { cause: options.cause }),
    });
  }
}
