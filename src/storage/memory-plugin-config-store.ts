import type { PluginConfigEntry, PluginConfigStore } from '../ports/index.js';

/** Operators' plugin choices kept in the process, for a runtime without storage: they last until it stops. */
export class MemoryPluginConfigStore implements PluginConfigStore {
  private readonly entries = new Map<string, PluginConfigEntry>();

  async load(): Promise<Record<string, PluginConfigEntry>> {
    return Object.fromEntries([...this.entries].map(([name, entry]) => [name, structuredClone(entry)]));
  }

  /** Replaces the plugin's entry, as the Postgres store does. */
  async save(name: string, entry: PluginConfigEntry): Promise<void> {
    this.entries.set(name, structuredClone(entry));
  }
}
