import type { FastifyRequest } from 'fastify';
import type { ApiContext } from '../api-context.js';
import { HttpError } from '../errors.js';
import type { PluginAdmin } from '../ports/plugin-admin.js';

/** The plugin host, or a 503 saying this process runs none. */
export function pluginHost(ctx: ApiContext): PluginAdmin {
  const host = ctx.deps.pluginAdmin;
  if (host === undefined) throw new HttpError(503, 'PLUGINS_UNAVAILABLE', 'plugins are not running in this process');
  return host;
}

/** The audit target of a call about one plugin, e.g. `plugin:weather`. */
export const pluginTarget = (request: FastifyRequest): string =>
  `plugin:${String((request.params as { name?: unknown }).name)}`;

/**
 * What an audit row says about new settings: their names, never their
 * values. A plugin's settings may hold an API key, and audit rows also go
 * to the process log.
 */
export function settingsDetails(settings: Record<string, unknown>): Record<string, unknown> {
  return { keys: Object.keys(settings).sort() };
}

/** The `requested` row of a settings change: the names of the settings sent, as `settingsDetails`. */
export function settingsRequestDetails(request: FastifyRequest): Record<string, unknown> {
  const settings = (request.body as { settings?: unknown } | undefined)?.settings;
  return typeof settings === 'object' && settings !== null && !Array.isArray(settings)
    ? settingsDetails(settings as Record<string, unknown>)
    : {};
}
