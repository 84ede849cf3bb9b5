import { describe, expect, it } from 'vitest';
import { migrate, migrations, PostgresDatabase } from '../../../src/storage/index.js';
import { createTestSchema } from '../../support/test-services.js';
import { storageSuite } from './storage-suite.js';
import { postgresSuiteDatabase } from './suite-databases.js';

storageSuite('a Postgres server', () => postgresSuiteDatabase('pg_suite'));

describe('migrations on a Postgres server', () => {
  it('apply each migration exactly once when several processes start at the same moment', async () => {
    const schema = await createTestSchema('pg_race');
    const dbs = [1, 2, 3, 4].map(() => new PostgresDatabase({ url: schema.url, maxConnections: 2 }));
    try {
      const reports = await Promise.all(dbs.map((db) => migrate(db)));
      const versions = migrations.map((m) => m.version);
      expect(reports.flatMap((r) => r.applied).sort((a, b) => a - b)).toEqual(versions);
      expect(reports.every((r) => r.version === versions.at(-1))).toBe(true);
    } finally {
      await Promise.all(dbs.map((db) => db.close()));
      await schema.drop();
    }
  });
});
