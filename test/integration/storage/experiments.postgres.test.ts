import { experimentsSuite } from './experiments-suite.js';
import { postgresSuiteDatabase } from './suite-databases.js';

experimentsSuite('a Postgres server', () => postgresSuiteDatabase('experiments'));
