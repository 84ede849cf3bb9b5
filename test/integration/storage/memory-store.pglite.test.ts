import { memoryStoreSuite } from './memory-store-suite.js';
import { pgliteSuiteDatabase } from './suite-databases.js';

memoryStoreSuite('embedded PGlite', pgliteSuiteDatabase);
