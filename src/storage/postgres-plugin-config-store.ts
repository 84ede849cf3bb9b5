import type { PluginConfigEntry, PluginConfigStore } from '../ports/index.js';
import type { Queryable } from './database.js';

interface PluginConfigRow {
  name: string;
  enabled: boolean | null;
  settings: Record<string, unknown> | null;
}

/**
 * Operators' lasting choices about plugins, one row per plugin in
 * `plugin_config`. A missing field is stored as NULL and means "no choice":
 * the plugin's default (enabled) or its settings from the environment stand.
 */
export class PostgresPluginConfigStore implements PluginConfigStore {
  constructor(private readonly db: Queryable) {}

  async load(): Promise<Record<string, PluginConfigEntry>> {
    const result = await this.db.query<PluginConfigRow>('SELECT name, enabled, settings FROM plugin_config');
    const entries: Record<string, PluginConfigEntry> = {};
    for (const row of result.rows) {
      const entry: PluginConfigEntry = {};
      if (row.enabled !== null) entry.enabled = row.enabled;
      if (row.settings !== null) entry.settings = row.settings;
      entries[row.name] = entry;
    }
    return entries;
  }

  /** Replaces the plugin's row: fields absent from `entry` go back to "no choice". */
  async save(name: string, entry: PluginConfigEntry): Promise<void> {
    await this.db.query(
      `INSERT INTO plugin_config (name, enabled, settings, updated_at) VALUES ($1, $2, $3::jsonb, now())
       ON CONFLICT (name) DO UPDATE SET enabled = EXCLUDED.enabled, settings = EXCLUDED.settings, updated_at = now()`,
      [name, entry.enabled ?? null, entry.settings === undefined ? null : JSON.stringify(entry.settings)],
    );
  }
}
