import { experimentsSuite } from './experiments-suite.js';
import { pgliteSuiteDatabase } from './suite-databases.js';

experimentsSuite('embedded PGlite', pgliteSuiteDatabase);
