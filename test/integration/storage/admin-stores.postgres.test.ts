import { adminStoresSuite } from './admin-stores-suite.js';
import { postgresSuiteDatabase } from './suite-databases.js';

adminStoresSuite('a Postgres server', () => postgresSuiteDatabase('admin_stores'));
