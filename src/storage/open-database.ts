import path from 'node:path';
import { InvalidOptionError, type Logger } from '../runtime/index.js';
import type { Database } from './database.js';
import { StorageUnavailableError } from './errors.js';
import { PgliteDatabase } from './pglite-database.js';
import { PostgresDatabase } from './postgres-database.js';

/** The embedded database's directory under DATA_DIR. */
export const EMBEDDED_DATABASE_DIR = 'pglite';

export interface DatabaseLocation {
  /** A Postgres server; when absent, an embedded PGlite under `dataDir`. */
  databaseUrl?: string | undefined;
  /** Where the embedded database lives; needed only without `databaseUrl`. */
  dataDir?: string | undefined;
  /** Pool size for a Postgres server. */
  maxConnections?: number;
  logger?: Logger;
}

/**
 * Opens the database Lekha is configured for: the Postgres server at
 * `databaseUrl`, or PGlite in `<dataDir>/pglite` with `dataDir` locked to
 * this process until the database is closed.
 */
export async function openDatabase(location: DatabaseLocation): Promise<Database> {
  if (location.databaseUrl !== undefined) {
    const db = new PostgresDatabase({
      url: location.databaseUrl,
      ...(location.maxConnections === undefined ? {} : { maxConnections: location.maxConnections }),
      ...(location.logger === undefined ? {} : { logger: location.logger }),
    });
    try {
      await db.query('SELECT 1');
    } catch (error) {
      await db.close();
      throw new StorageUnavailableError('cannot reach the Postgres server of DATABASE_URL', error);
    }
    return db;
  }
  if (location.dataDir === undefined)
    throw new InvalidOptionError('dataDir', 'a database needs either a databaseUrl or a dataDir');
  // One process at a time in DATA_DIR: a second one gets DATA_DIR_IN_USE instead of a WebAssembly abort.
  return PgliteDatabase.open({
    dataDir: path.resolve(location.dataDir, EMBEDDED_DATABASE_DIR),
    lockDir: location.dataDir,
  });
}
