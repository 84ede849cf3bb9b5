import { postgresSuiteDatabase } from '../integration/storage/suite-databases.js';
import { jobStoreOn } from './job-store-databases.js';
import { jobStoreSuite } from './job-store-suite.js';

jobStoreSuite('a Postgres server', () => jobStoreOn(() => postgresSuiteDatabase('job_store')), { database: true });
