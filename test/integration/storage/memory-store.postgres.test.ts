import { memoryStoreSuite } from './memory-store-suite.js';
import { postgresSuiteDatabase } from './suite-databases.js';

memoryStoreSuite('a Postgres server', () => postgresSuiteDatabase('memory_store'));
