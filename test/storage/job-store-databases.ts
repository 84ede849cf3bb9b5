import { type Database, migrate, PostgresJobStore } from '../../src/storage/index.js';
import type { SuiteDatabase } from '../integration/storage/suite-databases.js';
import type { JobStoreUnderTest } from './job-store-suite.js';

/** A migrated database whose `jobs` table is emptied for each test. */
export async function jobStoreOn(open: () => Promise<SuiteDatabase>): Promise<JobStoreUnderTest> {
  const { db, dispose } = await open();
  await migrate(db);
  return {
    db,
    fresh: async (clock) => {
      await db.query('TRUNCATE jobs RESTART IDENTITY');
      return new PostgresJobStore(db as Database, clock);
    },
    dispose,
  };
}
