import { readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { inject } from 'vitest';
import { type Database, PgliteDatabase, PostgresDatabase } from '../../../src/storage/index.js';
import { createTestSchema } from '../../support/test-services.js';

/** A database a storage suite runs against, and what releases it. */
export interface SuiteDatabase {
  db: Database;
  dispose(): Promise<void>;
}

/** The test Postgres server, in a schema of its own (`label` names it) dropped on dispose. */
export async function postgresSuiteDatabase(label: string): Promise<SuiteDatabase> {
  const schema = await createTestSchema(label);
  const db = new PostgresDatabase({ url: schema.url });
  return {
    db,
    dispose: async () => {
      await db.close();
      await schema.drop();
    },
  };
}

/**
 * A fresh in-memory PGlite. The first test file of a run to ask initialises
 * one (initdb) and leaves a dump of it in the run's shared directory; the
 * others start from that dump. Each test file runs in a process of its own,
 * and one that runs initdb keeps initdb's compiled WebAssembly: measured, a
 * process holding one PGlite made by initdb has about 690 MB resident, one
 * made from the dump about 390 MB, and it opens three to four times faster.
 * The lighter process is what keeps a test process from being the one the
 * kernel kills when the machine runs short of memory.
 */
export async function pgliteSuiteDatabase(): Promise<SuiteDatabase> {
  const file = path.join(inject('sharedTempDir'), 'pglite-initdb.tar.gz');
  const fresh = await existingFile(file);
  const db = await PgliteDatabase.open(fresh === undefined ? {} : { from: fresh });
  if (fresh === undefined) {
    // Written aside and renamed into place, so no file ever reads a partial dump.
    const partial = `${file}.${process.pid}`;
    await writeFile(partial, new Uint8Array(await (await db.dump()).arrayBuffer()));
    await rename(partial, file);
  }
  return { db, dispose: () => db.close() };
}

async function existingFile(file: string): Promise<Blob | undefined> {
  try {
    return new Blob([await readFile(file)]);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
