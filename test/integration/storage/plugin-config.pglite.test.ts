import { postgresPluginConfigSuite } from './plugin-config-suite.js';
import { pgliteSuiteDatabase } from './suite-databases.js';

postgresPluginConfigSuite('embedded PGlite', pgliteSuiteDatabase);
