import type { PersonaStore, StoredPersona } from '../ports/index.js';
import { personaNameKey } from './postgres-persona-store.js';

/**
 * Dashboard personas kept in the process, for a runtime without storage:
 * they last until it stops, versioned and retired as in the database.
 */
export class MemoryPersonaStore implements PersonaStore {
  private readonly rows: (StoredPersona & { key: string; retired: boolean })[] = [];

  async current(): Promise<StoredPersona[]> {
    const latest = new Map<string, StoredPersona>();
    for (const row of this.rows) if (!row.retired) latest.set(row.key, plain(row));
    return [...latest.values()];
  }

  async history(name: string): Promise<StoredPersona[]> {
    const key = personaNameKey(name);
    return this.rows
      .filter((row) => row.key === key)
      .reverse()
      .map(plain);
  }

  async save(name: string, definition: Record<string, unknown>, by: string, nowMs: number): Promise<StoredPersona> {
    const key = personaNameKey(name);
    const version = this.rows.filter((row) => row.key === key).length + 1;
    const row = {
      key,
      retired: false,
      name,
      version,
      definition: structuredClone({ ...definition, name, version }),
      createdAtMs: nowMs,
      createdBy: by,
    };
    this.rows.push(row);
    return plain(row);
  }

  async retire(name: string): Promise<boolean> {
    const key = personaNameKey(name);
    let retired = false;
    for (const row of this.rows)
      if (row.key === key && !row.retired) {
        row.retired = true;
        retired = true;
      }
    return retired;
  }
}

function plain(row: StoredPersona): StoredPersona {
  return {
    name: row.name,
    version: row.version,
    definition: structuredClone(row.definition),
    createdAtMs: row.createdAtMs,
    createdBy: row.createdBy,
  };
}
