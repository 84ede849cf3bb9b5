import { postgresPluginConfigSuite } from './plugin-config-suite.js';
import { postgresSuiteDatabase } from './suite-databases.js';

postgresPluginConfigSuite('a Postgres server', () => postgresSuiteDatabase('plugin_config'));
