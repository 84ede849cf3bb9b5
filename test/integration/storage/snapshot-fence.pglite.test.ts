import { snapshotFenceSuite } from './snapshot-fence-suite.js';
import { pgliteSuiteDatabase } from './suite-databases.js';

snapshotFenceSuite('embedded PGlite', pgliteSuiteDatabase);
