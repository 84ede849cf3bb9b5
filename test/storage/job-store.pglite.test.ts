import { pgliteSuiteDatabase } from '../integration/storage/suite-databases.js';
import { jobStoreOn } from './job-store-databases.js';
import { jobStoreSuite } from './job-store-suite.js';

jobStoreSuite('embedded PGlite', () => jobStoreOn(pgliteSuiteDatabase), { database: true });
