import { z } from 'zod';
import type { Plugin, PluginDefinition, SettingsSchema } from './plugin-api.js';

/**
 * Declares a plugin. Pure: nothing is checked or run until the host
 * registers it at start-up, where a bad manifest stops the start with a
 * message naming the plugin and what is wrong.
 *
 * ```ts
 * export default definePlugin({
 *   name: 'dice', version: '1.0.0', kind: 'command', description: 'Rolls a die',
 *   setup(p) {
 *     p.command('dice', () => String(1 + Math.floor(Math.random() * 6)), { description: 'Roll a die' });
 *   },
 * });
 * ```
 */
export function definePlugin<Schema extends SettingsSchema = z.ZodObject<Record<never, z.ZodType>>>(
  definition: PluginDefinition<Schema>,
): Plugin<Schema> {
  return Object.freeze({ ...definition, settings: definition.settings ?? (z.object({}) as unknown as Schema) });
}
