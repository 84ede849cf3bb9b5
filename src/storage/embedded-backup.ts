import { randomUUID } from 'node:crypto';
import { openAsBlob } from 'node:fs';
import { mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { gunzip } from 'node:zlib';
import { promisify } from 'node:util';
import { PGlite } from '@electric-sql/pglite';
import { fileStamp, LekhaError } from '../runtime/index.js';
import { DataDirLock } from './data-dir-lock.js';
import { migrations } from './migrations.js';
import { EMBEDDED_DATABASE_DIR } from './open-database.js';
import type { PgliteDatabase } from './pglite-database.js';

/**
 * Backups of the embedded database: PGlite's own dump of its data directory
 * (a gzipped tar, the format `PGlite.create({ loadDataDir })` reads back).
 * The memory indexes under DATA_DIR are not part of it: they are rebuilt from
 * the stored vectors, so a restore moves the old ones aside with the old
 * database.
 */

/** A file that is not a backup this build can restore, or a restore that would destroy data. */
export class BackupRefusedError extends LekhaError {
  declare readonly code: 'BACKUP_INVALID' | 'RESTORE_WOULD_REPLACE';

  constructor(code: 'BACKUP_INVALID' | 'RESTORE_WOULD_REPLACE', message: string, cause?: unknown) {
    super(code, message, { retryable: false, ...(cause === undefined ? {} : { cause }) });
  }
}

/**
 * Writes a backup of `db` to `file`, atomically: the bytes go to a temporary
 * file beside it (mode 0600: it holds what the database holds) that is renamed
 * only once complete, so a crash never leaves a truncated file under the name.
 */
export async function writeEmbeddedBackup(db: PgliteDatabase, file: string): Promise<{ bytes: number }> {
  const dump = await db.dump();
  const target = path.resolve(file);
  const partial = path.join(path.dirname(target), `.${path.basename(target)}.${randomUUID()}.partial`);
  const handle = await open(partial, 'wx', 0o600);
  try {
    for await (const chunk of dump.stream()) await handle.write(chunk);
    await handle.sync();
  } catch (error) {
    await handle.close();
    await rm(partial, { force: true });
    throw error;
  }
  await handle.close();
  await rename(partial, target);
  return { bytes: dump.size };
}

export interface RestoreOptions {
  /** A file written by {@link writeEmbeddedBackup} (or `GET /api/backup`). */
  file: string;
  /** DATA_DIR: its `pglite` directory is replaced. */
  dataDir: string;
  /** Replace a database that is already there (it is kept, moved aside). */
  force: boolean;
  /** Directories built from the database (memory indexes): moved aside with it, so they are rebuilt from the restored one. */
  derived: readonly string[];
  /** Names the directory the replaced database is moved to. */
  now: Date;
}

export interface RestoreOutcome {
  /** The schema version the restored database was at (the next start migrates it further if older). */
  schemaVersion: number;
  /** Where the replaced database and its derived files were moved, or null when there was none. */
  keptAt: string | null;
}

/**
 * Replaces the embedded database in `dataDir` with a backup. The backup is
 * checked first (a gzipped tar of a Postgres data directory), then loaded into
 * a staging directory and opened (its schema version read), and only then
 * swapped in; the database it replaces is moved aside, never deleted. Any
 * failure leaves `dataDir` as it was. Holds the data directory's lock
 * throughout, so it refuses while Lekha runs there.
 */
export async function restoreEmbeddedBackup(options: RestoreOptions): Promise<RestoreOutcome> {
  const dataDir = path.resolve(options.dataDir);
  const tarball = await readBackup(options.file);
  const lock = await DataDirLock.acquire(dataDir);
  try {
    const target = path.join(dataDir, EMBEDDED_DATABASE_DIR);
    const existing = await nonEmpty(target);
    if (existing && !options.force)
      throw new BackupRefusedError(
        'RESTORE_WOULD_REPLACE',
        `${target} already holds a database: pass --force to replace it (it is kept, moved aside)`,
      );
    const staging = path.join(dataDir, `${EMBEDDED_DATABASE_DIR}.restoring`);
    await rm(staging, { recursive: true, force: true });
    let schemaVersion: number;
    try {
      schemaVersion = await loadAndCheck(staging, tarball);
    } catch (error) {
      await rm(staging, { recursive: true, force: true });
      throw error;
    }
    let keptAt: string | null = null;
    const derived = await present(options.derived.map((dir) => path.resolve(dataDir, dir)));
    if (existing || derived.length > 0) {
      keptAt = path.join(dataDir, `before-restore-${fileStamp(options.now)}`);
      await mkdir(keptAt);
      if (existing) await rename(target, path.join(keptAt, EMBEDDED_DATABASE_DIR));
      for (const dir of derived) await rename(dir, path.join(keptAt, path.basename(dir)));
    } else {
      await rm(target, { recursive: true, force: true });
    }
    await rename(staging, target);
    return { schemaVersion, keptAt };
  } finally {
    await lock.release();
  }
}

/** The backup's bytes once they look like one: gzip that inflates to a tar holding `PG_VERSION`. */
async function readBackup(file: string): Promise<Blob> {
  let blob: Blob;
  try {
    blob = await openAsBlob(file);
  } catch (error) {
    throw new BackupRefusedError('BACKUP_INVALID', `cannot read ${file}: ${(error as Error).message}`, error);
  }
  const bytes = new Uint8Array(await blob.arrayBuffer());
  if (bytes[0] !== 0x1f || bytes[1] !== 0x8b)
    throw new BackupRefusedError('BACKUP_INVALID', `${file} is not a Lekha backup (not gzip-compressed)`);
  let tar: Buffer;
  try {
    tar = await promisify(gunzip)(bytes);
  } catch (error) {
    throw new BackupRefusedError('BACKUP_INVALID', `${file} is damaged: ${(error as Error).message}`, error);
  }
  // A tar header block names its entry in its first 100 bytes and has `ustar` at offset 257.
  if (tar.subarray(257, 262).toString('latin1') !== 'ustar' || !tar.includes('PG_VERSION'))
    throw new BackupRefusedError('BACKUP_INVALID', `${file} is not a Lekha backup (no database directory inside)`);
  return blob;
}

/** Loads the backup into `dir`, opens it and reads its schema version. */
async function loadAndCheck(dir: string, tarball: Blob): Promise<number> {
  let db: PGlite;
  try {
    await mkdir(dir, { recursive: true });
    db = await PGlite.create({ dataDir: dir, loadDataDir: tarball });
  } catch (error) {
    throw new BackupRefusedError('BACKUP_INVALID', `the backup cannot be opened: ${(error as Error).message}`, error);
  }
  try {
    const { rows } = await db
      .query<{ version: number | null }>('SELECT max(version)::int AS version FROM schema_migrations')
      .catch((error: unknown) => {
        throw new BackupRefusedError(
          'BACKUP_INVALID',
          `the backup holds no Lekha schema: ${(error as Error).message}`,
          error,
        );
      });
    const version = rows[0]?.version ?? 0;
    const known = migrations.at(-1)?.version ?? 0;
    if (version > known)
      throw new BackupRefusedError(
        'BACKUP_INVALID',
        `the backup has schema version ${version}, this build knows versions up to ${known}: restore it with a newer Lekha`,
      );
    return version;
  } finally {
    await db.close();
  }
}

async function nonEmpty(dir: string): Promise<boolean> {
  try {
    return (await readdir(dir)).length > 0;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}

async function present(dirs: readonly string[]): Promise<string[]> {
  const found = await Promise.all(
    dirs.map((dir) =>
      stat(dir).then(
        () => true,
        () => false,
      ),
    ),
  );
  return dirs.filter((_, i) => found[i]);
}
