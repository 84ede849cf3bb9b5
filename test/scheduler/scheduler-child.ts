/*
 * A scheduler process for the crash test: claims jobs from the database at
 * SCHEDULER_DB_URL as owner `child`, tells the parent (IPC) each job it starts,
 * and never finishes one; the parent SIGKILLs it mid-run.
 */
import { MetricsRegistry, SystemClock } from '../../src/runtime/index.js';
import { Scheduler } from '../../src/scheduler/index.js';
import { PostgresDatabase, PostgresJobStore } from '../../src/storage/index.js';

const url = process.env.SCHEDULER_DB_URL;
if (url === undefined) throw new Error('SCHEDULER_DB_URL is required');
const db = new PostgresDatabase({ url, maxConnections: 2 });
const clock = new SystemClock();
const scheduler = new Scheduler({
  store: new PostgresJobStore(db, clock),
  clock,
  owner: 'child',
  logger: { info: () => undefined, warn: () => undefined, error: () => undefined },
  metrics: new MetricsRegistry(),
  leaseMs: 60_000,
  handlerTimeoutMs: 30_000,
  pollMs: 50,
});
const hang = (job: { id: number; kind: string }): Promise<void> => {
  process.send?.({ started: job.id, kind: job.kind });
  return new Promise<void>(() => undefined);
};
scheduler.handle('send', hang, { idempotent: false });
scheduler.handle('digest', hang, { idempotent: true });
scheduler.start();
setInterval(() => undefined, 1 << 30);
