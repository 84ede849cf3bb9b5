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

/** A fresh in-memory PGlite. */
export async function pgliteSuiteDatabase(): Promise<SuiteDatabase> {
  const db = await PgliteDatabase.open();
  return { db, dispose: () => db.close() };
}
