/*
 * One process of the scheduler bench: a Scheduler on the bench's Postgres
 * schema that "delivers" each job by recording it in the `deliveries` table
 * (job id, owner, due and delivery times), so the parent can count
 * duplicates, losses and lateness from the table whatever happens to this
 * process. Reports progress over IPC; the parent ends it with a `stop`
 * message or SIGKILL.
 */
import { MetricsRegistry, SystemClock } from '../src/runtime/index.js';
import { Scheduler } from '../src/scheduler/index.js';
import { PostgresDatabase, PostgresJobStore } from '../src/storage/index.js';

export interface SchedulerWorkerConfig {
  url: string;
  owner: string;
  leaseMs: number;
  handlerTimeoutMs: number;
  maxConcurrency: number;
  batch: number;
}

export type SchedulerWorkerEvent = { type: 'progress'; delivered: number } | { type: 'stopped'; delivered: number };

const config = JSON.parse(process.env.SCHEDULER_WORKER ?? 'null') as SchedulerWorkerConfig | null;
if (config === null) throw new Error('SCHEDULER_WORKER is required');

const db = new PostgresDatabase({ url: config.url, maxConnections: 8 });
const clock = new SystemClock();
const scheduler = new Scheduler({
  store: new PostgresJobStore(db, clock),
  clock,
  owner: config.owner,
  logger: { info: () => undefined, warn: () => undefined, error: () => undefined },
  metrics: new MetricsRegistry(),
  leaseMs: config.leaseMs,
  handlerTimeoutMs: config.handlerTimeoutMs,
  maxConcurrency: config.maxConcurrency,
  batch: config.batch,
});

/** Deliveries written in batches, as a real sender would batch its calls; a delivery resolves once its row is written. */
class DeliveryLog {
  private pending: Array<{
    id: number;
    dueAtMs: number;
    atMs: number;
    done: () => void;
    failed: (e: unknown) => void;
  }> = [];
  private scheduled = false;
  delivered = 0;

  record(id: number, dueAtMs: number): Promise<void> {
    return new Promise<void>((done, failed) => {
      this.pending.push({ id, dueAtMs, atMs: Date.now(), done, failed });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => void this.flush());
      }
    });
  }

  private async flush(): Promise<void> {
    this.scheduled = false;
    const batch = this.pending;
    this.pending = [];
    try {
      await db.query(
        `INSERT INTO deliveries (job_id, owner, due_at, delivered_at)
         SELECT id, $1, to_timestamp(due / 1000.0), to_timestamp(at / 1000.0)
         FROM unnest($2::bigint[], $3::float8[], $4::float8[]) AS d(id, due, at)`,
        [config!.owner, batch.map((d) => d.id), batch.map((d) => d.dueAtMs), batch.map((d) => d.atMs)],
      );
      this.delivered += batch.length;
      for (const d of batch) d.done();
    } catch (error) {
      for (const d of batch) d.failed(error);
    }
  }
}

const log = new DeliveryLog();
scheduler.handle('bench', (job) => log.record(job.id, job.dueAtMs), { idempotent: false });
scheduler.start();

const send = (event: SchedulerWorkerEvent): void => {
  process.send?.(event);
};
const progress = setInterval(() => send({ type: 'progress', delivered: log.delivered }), 100);
process.on('message', (message: { type: string }) => {
  if (message.type !== 'stop') return;
  void (async () => {
    await scheduler.stop();
    clearInterval(progress);
    await db.close();
    send({ type: 'stopped', delivered: log.delivered });
    process.disconnect();
  })();
});
