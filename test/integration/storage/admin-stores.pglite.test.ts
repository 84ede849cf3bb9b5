import { PgliteDatabase } from '../../../src/storage/index.js';
import { adminStoresSuite } from './admin-stores-suite.js';

adminStoresSuite('embedded PGlite', async () => {
  const db = await PgliteDatabase.open();
  return { db, dispose: () => db.close() };
});
