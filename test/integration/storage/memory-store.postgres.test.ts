import { PostgresDatabase } from '../../../src/storage/index.js';
import { createTestSchema } from '../../support/test-services.js';
import { memoryStoreSuite } from './memory-store-suite.js';

memoryStoreSuite('a Postgres server', async () => {
  const schema = await createTestSchema('memory_store');
  const db = new PostgresDatabase({ url: schema.url });
  return {
    db,
    dispose: async () => {
      await db.close();
      await schema.drop();
    },
  };
});
