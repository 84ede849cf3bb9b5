import { PgliteDatabase } from '../../../src/storage/index.js';
import { memoryStoreSuite } from './memory-store-suite.js';

memoryStoreSuite('embedded PGlite', async () => {
  const db = await PgliteDatabase.open();
  return { db, dispose: () => db.close() };
});
