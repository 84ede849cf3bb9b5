/**
 * A copy of the whole embedded database, taken while the bot runs. Only the
 * embedded database (PGlite) has one here: a Postgres server is backed up with
 * its own tools (pg_dump), which read it without going through Lekha.
 */
export interface DatabaseBackup {
  /** The database as a gzipped tar, the file `lekha restore` reads. */
  dump(): Promise<Blob>;
}
