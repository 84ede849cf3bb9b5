import { adminStoresSuite } from './admin-stores-suite.js';
import { pgliteSuiteDatabase } from './suite-databases.js';

adminStoresSuite('embedded PGlite', pgliteSuiteDatabase);
