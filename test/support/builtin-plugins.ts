import { BUILTIN_PLUGINS, PluginHost } from '../../src/plugins/index.js';
import { MetricsRegistry, SystemClock } from '../../src/runtime/index.js';

/** The built-in plugins, hosted as the wiring hosts them (their time limits on the system clock). */
export const builtinPlugins: PluginHost = await PluginHost.create({
  plugins: BUILTIN_PLUGINS.map((plugin) => ({ plugin, source: 'builtin' })),
  clock: new SystemClock(),
  metrics: new MetricsRegistry(),
  logger: { info: () => undefined, warn: () => undefined, error: () => undefined },
});
