import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import type { Config } from './config/index.js';
import { indexDirUnder } from './memory/index.js';
import { fileStamp, LekhaError } from './runtime/index.js';
import {
  DataDirInUseError,
  EMBEDDED_DATABASE_DIR,
  migrations,
  openDatabase,
  PgliteDatabase,
  RedisSnapshotStore,
  restoreEmbeddedBackup,
  writeEmbeddedBackup,
} from './storage/index.js';

export interface BackupCommandIo {
  /** The result, one line. */
  out(text: string): void;
  /** Explanations for the person at the terminal. */
  err(text: string): void;
  now(): Date;
}

const backupUsage = `Usage: lekha backup [--out <file>]

Writes the embedded database (PGlite in DATA_DIR) to a gzipped tar, by default
lekha-backup-<UTC time>.tar.gz in the current directory. Lekha must be stopped:
a running server streams the same file from GET /api/backup (admin token).
With DATABASE_URL, back up the Postgres server with pg_dump (docs/deploy.md#backups).`;

const restoreUsage = `Usage: lekha restore <file> [--force]

Replaces the embedded database in DATA_DIR with a backup written by lekha backup
(or GET /api/backup), with Lekha stopped. A database already there is replaced
only with --force, and is kept: moved to DATA_DIR/before-restore-<time>, with
the memory indexes (they are rebuilt from the restored database). With REDIS_URL,
the hot tier's snapshots are deleted so the restored ones are what chats load.`;

const postgresAdvice =
  'DATABASE_URL is set: lekha backup and restore handle the embedded database only; back up and restore the Postgres server with pg_dump and pg_restore (docs/deploy.md#backups)';

/** `lekha backup`: the embedded database to a file. Returns the process exit code. */
export async function runBackupCommand(argv: string[], config: Config, io: BackupCommandIo): Promise<number> {
  let out: string | undefined;
  try {
    ({ out } = parseArgs({ args: argv, allowPositionals: false, options: { out: { type: 'string' } } }).values);
  } catch (error) {
    io.err(`lekha backup: ${(error as Error).message}\n\n${backupUsage}`);
    return 2;
  }
  if (config.DATABASE_URL !== undefined) {
    io.err(`lekha backup: ${postgresAdvice}`);
    return 1;
  }
  const databaseDir = path.resolve(config.DATA_DIR, EMBEDDED_DATABASE_DIR);
  if (!(await holdsFiles(databaseDir))) {
    io.err(`lekha backup: there is no embedded database in ${databaseDir} (DATA_DIR): nothing to back up`);
    return 1;
  }
  const file = path.resolve(out ?? `lekha-backup-${fileStamp(io.now())}.tar.gz`);
  let db;
  try {
    db = await openDatabase({ dataDir: config.DATA_DIR });
  } catch (error) {
    if (!(error instanceof DataDirInUseError)) throw error;
    io.err(
      `lekha backup: ${error.message}: fetch the backup from the running server instead: ` +
        `curl -fsS -H 'Authorization: Bearer <admin token>' http://${config.HTTP_HOST}:${config.HTTP_PORT}/api/backup -o ${file}`,
    );
    return 1;
  }
  try {
    if (!(db instanceof PgliteDatabase)) throw new Error('the embedded database did not open as PGlite');
    const { bytes } = await writeEmbeddedBackup(db, file);
    io.out(`wrote ${file} (${bytes} bytes)`);
    return 0;
  } finally {
    await db.close();
  }
}

/** `lekha restore <file>`: a backup back into DATA_DIR. Returns the process exit code. */
export async function runRestoreCommand(argv: string[], config: Config, io: BackupCommandIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, options: { force: { type: 'boolean', default: false } } });
  } catch (error) {
    io.err(`lekha restore: ${(error as Error).message}\n\n${restoreUsage}`);
    return 2;
  }
  const [file, ...extra] = parsed.positionals;
  if (file === undefined || extra.length > 0) {
    io.err(`lekha restore: name one backup file\n\n${restoreUsage}`);
    return 2;
  }
  if (config.DATABASE_URL !== undefined) {
    io.err(`lekha restore: ${postgresAdvice}`);
    return 1;
  }
  let outcome;
  try {
    outcome = await restoreEmbeddedBackup({
      file,
      dataDir: config.DATA_DIR,
      force: parsed.values.force,
      derived: [indexDirUnder(config.DATA_DIR)],
      now: io.now(),
    });
  } catch (error) {
    if (!(error instanceof LekhaError)) throw error;
    const hint = error instanceof DataDirInUseError ? ': stop Lekha first' : '';
    io.err(`lekha restore: ${error.code}: ${error.message}${hint}`);
    return 1;
  }
  const latest = migrations.at(-1)?.version ?? 0;
  const migrates = outcome.schemaVersion < latest ? `; the next start migrates it to ${latest}` : '';
  io.out(
    `restored ${path.resolve(file)} into ${path.resolve(config.DATA_DIR, EMBEDDED_DATABASE_DIR)} ` +
      `(schema version ${outcome.schemaVersion}${migrates})`,
  );
  if (outcome.keptAt !== null) io.out(`the database it replaced is kept in ${outcome.keptAt}`);
  if (config.REDIS_URL !== undefined) {
    const redis = new Redis(config.REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 2 });
    try {
      await redis.connect();
      const deleted = await new RedisSnapshotStore(redis, { prefix: config.REDIS_KEY_PREFIX, ttlMs: 0 }).clear();
      io.out(`deleted ${deleted} snapshots of the Redis hot tier (prefix ${config.REDIS_KEY_PREFIX})`);
    } catch (error) {
      io.err(
        `lekha restore: the database is restored, but the Redis hot tier could not be cleared (${(error as Error).message}): ` +
          `delete the keys ${config.REDIS_KEY_PREFIX}snap:* before starting Lekha, or its chats may load state newer than the backup`,
      );
      return 1;
    } finally {
      redis.disconnect();
    }
  }
  return 0;
}

async function holdsFiles(dir: string): Promise<boolean> {
  return readdir(dir).then(
    (entries) => entries.length > 0,
    () => false,
  );
}
