import { MemoryJobStore } from '../../src/storage/index.js';
import { jobStoreSuite } from './job-store-suite.js';

jobStoreSuite(
  'memory',
  () =>
    Promise.resolve({ fresh: (clock) => Promise.resolve(new MemoryJobStore(clock)), dispose: () => Promise.resolve() }),
  { database: false },
);
