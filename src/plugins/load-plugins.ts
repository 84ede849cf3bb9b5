import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { PluginLoadError } from '../runtime/index.js';
import type { PluginSource } from './plugin-host.js';

/**
 * Imports the plugin modules named in `PLUGINS` (package names, or paths
 * relative to `cwd`), each exporting a plugin as its default export or as
 * `plugin`. A module that cannot be imported or exports no plugin-like
 * object throws {@link PluginLoadError}; its manifest is checked when the
 * host registers it.
 */
export async function loadPluginModules(specifiers: readonly string[], cwd: string): Promise<PluginSource[]> {
  const loaded: PluginSource[] = [];
  for (const specifier of specifiers) {
    const target =
      specifier.startsWith('.') || isAbsolute(specifier) ? pathToFileURL(resolve(cwd, specifier)).href : specifier;
    let module: Record<string, unknown>;
    try {
      module = (await import(target)) as Record<string, unknown>;
    } catch (err) {
      throw new PluginLoadError(specifier, err instanceof Error ? err.message : String(err), { cause: err });
    }
    const plugin = module['default'] ?? module['plugin'];
    if (typeof plugin !== 'object' || plugin === null || typeof (plugin as { setup?: unknown }).setup !== 'function')
      throw new PluginLoadError(specifier, 'it exports no plugin (export default definePlugin({ ... }))');
    loaded.push({ plugin, source: specifier });
  }
  return loaded;
}
