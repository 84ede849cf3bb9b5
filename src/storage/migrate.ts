import { createHash } from 'node:crypto';
import { InvalidOptionError, type Logger } from '../runtime/index.js';
import type { Database, Queryable } from './database.js';
import { MigrationMismatchError } from './errors.js';
import { type Migration, migrations as shipped } from './migrations.js';

export interface MigrateReport {
  /** Versions applied by this call, in order. */
  applied: number[];
  /** The schema version after the call. */
  version: number;
}

// First half of the advisory lock key ("Lekh"); the second half is the schema,
// so processes migrating different schemas of one database do not wait for each other.
const LOCK_NAMESPACE = 0x4c656b68;

/**
 * Brings the schema up to date: applies every migration not yet recorded in
 * `schema_migrations`, each in its own transaction together with its record,
 * under an advisory lock so concurrent starts apply each one exactly once.
 * Running it again is a no-op. Throws `MigrationMismatchError` when a
 * recorded migration differs from the shipped one.
 */
export async function migrate(
  db: Database,
  options: { migrations?: readonly Migration[]; logger?: Logger } = {},
): Promise<MigrateReport> {
  const list = options.migrations ?? shipped;
  validate(list);
  const applied: number[] = [];
  for (const migration of list) {
    const checksum = checksumOf(migration);
    const ran = await db.transaction(async (tx) => {
      await lock(tx);
      const recorded = await tx.query<{ checksum: string }>(
        'SELECT checksum FROM schema_migrations WHERE version = $1',
        [migration.version],
      );
      const row = recorded.rows[0];
      if (row !== undefined) {
        if (row.checksum !== checksum) {
          throw new MigrationMismatchError(
            migration.version,
            'was changed after it was applied: add a new migration instead',
          );
        }
        return false;
      }
      for (const statement of migration.statements) await tx.query(statement);
      await tx.query('INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)', [
        migration.version,
        migration.name,
        checksum,
      ]);
      return true;
    });
    if (ran) {
      applied.push(migration.version);
      options.logger?.info({ version: migration.version, name: migration.name }, 'migration applied');
    }
  }
  const newest = await db.query<{ version: number | null }>('SELECT max(version) AS version FROM schema_migrations');
  const version = newest.rows[0]?.version ?? 0;
  const known = list.length === 0 ? 0 : (list[list.length - 1] as Migration).version;
  if (version > known) {
    options.logger?.warn({ version, known }, 'the database schema is newer than this build: a newer Lekha migrated it');
  }
  return { applied, version };
}

async function lock(tx: Queryable): Promise<void> {
  await tx.query("SELECT pg_advisory_xact_lock($1, hashtext(coalesce(current_schema(), '')))", [LOCK_NAMESPACE]);
  await tx.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version integer PRIMARY KEY,
    name text NOT NULL,
    checksum text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
  )`);
}

function validate(list: readonly Migration[]): void {
  // Increasing, not necessarily contiguous: migrations written on parallel branches take numbers ahead of
  // time, and each one is applied by its own number whenever it is missing from the database.
  list.forEach((migration, index) => {
    const previous = index === 0 ? 0 : (list[index - 1] as Migration).version;
    if (!Number.isSafeInteger(migration.version) || migration.version <= previous) {
      throw new InvalidOptionError(
        'migrations',
        `migrations must be numbered in increasing order from 1; found ${migration.version} after ${previous}`,
      );
    }
    if (migration.statements.length === 0)
      throw new InvalidOptionError('migrations', `migration ${migration.version} has no statements`);
  });
}

function checksumOf(migration: Migration): string {
  return createHash('sha256').update(migration.statements.join('\n;\n')).digest('hex');
}
