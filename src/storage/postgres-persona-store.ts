import type { PersonaStore, StoredPersona } from '../ports/index.js';
import type { Database } from './database.js';

interface PersonaRow {
  version: number;
  definition: Record<string, unknown>;
  created_at: Date;
  created_by: string;
}

/**
 * How personas are looked up by name: case and ё do not matter. The chat
 * domain's `personaKey`, restated here because storage depends on no domain module.
 */
export function personaNameKey(name: string): string {
  return name.trim().toLowerCase().replaceAll('ё', 'е');
}

/**
 * Dashboard personas in the `personas` table: one row per version. The next
 * version is numbered inside the insert, and the primary key makes two saves
 * racing for the same number fail rather than overwrite each other.
 */
export class PostgresPersonaStore implements PersonaStore {
  constructor(private readonly db: Database) {}

  async current(): Promise<StoredPersona[]> {
    const result = await this.db.query<PersonaRow>(
      `SELECT DISTINCT ON (name_key) version, definition, created_at, created_by
       FROM personas WHERE retired_at IS NULL ORDER BY name_key, version DESC`,
    );
    return result.rows.map(storedOf);
  }

  async history(name: string): Promise<StoredPersona[]> {
    const result = await this.db.query<PersonaRow>(
      'SELECT version, definition, created_at, created_by FROM personas WHERE name_key = $1 ORDER BY version DESC',
      [personaNameKey(name)],
    );
    return result.rows.map(storedOf);
  }

  async save(name: string, definition: Record<string, unknown>, by: string, nowMs: number): Promise<StoredPersona> {
    const result = await this.db.query<PersonaRow>(
      `INSERT INTO personas (name_key, version, definition, created_at, created_by)
       SELECT $1, v, $2::jsonb || jsonb_build_object('version', v), $3, $4
       FROM (SELECT COALESCE(MAX(version), 0) + 1 AS v FROM personas WHERE name_key = $1) AS next
       RETURNING version, definition, created_at, created_by`,
      [personaNameKey(name), JSON.stringify({ ...definition, name }), new Date(nowMs), by],
    );
    return storedOf(result.rows[0] as PersonaRow);
  }

  async retire(name: string, nowMs: number): Promise<boolean> {
    const result = await this.db.query(
      'UPDATE personas SET retired_at = $2 WHERE name_key = $1 AND retired_at IS NULL',
      [personaNameKey(name), new Date(nowMs)],
    );
    return result.rowCount > 0;
  }
}

function storedOf(row: PersonaRow): StoredPersona {
  return {
    name: String(row.definition['name']),
    version: row.version,
    definition: row.definition,
    createdAtMs: row.created_at.getTime(),
    createdBy: row.created_by,
  };
}
