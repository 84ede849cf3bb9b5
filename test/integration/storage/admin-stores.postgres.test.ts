import { PostgresDatabase } from '../../../src/storage/index.js';
import { createTestSchema } from '../../support/test-services.js';
import { adminStoresSuite } from './admin-stores-suite.js';

adminStoresSuite('a Postgres server', async () => {
  const schema = await createTestSchema('admin_stores');
  const db = new PostgresDatabase({ url: schema.url });
  return {
    db,
    dispose: async () => {
      await db.close();
      await schema.drop();
    },
  };
});
