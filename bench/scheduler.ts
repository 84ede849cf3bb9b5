import { type ChildProcess, fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { migrate, PostgresDatabase } from '../src/storage/index.js';
import type { BenchContext, Scenario, ScenarioResult } from './report.js';
import type { SchedulerWorkerConfig, SchedulerWorkerEvent } from './scheduler-worker.js';
import { benchPostgresUrl, withSearchPath } from './postgres-schema.js';

/*
 * 100,000 due jobs, two scheduler processes on one Postgres database, one of
 * them SIGKILLed half-way. Every delivery is a row in `deliveries` written by
 * the process that made it, so duplicates and losses are counted from the
 * table, not from what the processes say. Then a steady stream of 1,000 jobs
 * falling due per second, to measure how late they run.
 */

const workerScript = path.join(path.dirname(fileURLToPath(import.meta.url)), 'scheduler-worker.js');
const LEASE_MS = 4000;
const HANDLER_TIMEOUT_MS = 2000;
const MAX_CONCURRENCY = 512;
// Smaller than the concurrency, so claims, deliveries and completions of
// different batches overlap instead of running in lockstep.
const BATCH = 128;

interface Worker {
  proc: ChildProcess;
  delivered: number;
  exited: Promise<void>;
}

function startWorker(url: string, owner: string): Worker {
  const config: SchedulerWorkerConfig = {
    url,
    owner,
    leaseMs: LEASE_MS,
    handlerTimeoutMs: HANDLER_TIMEOUT_MS,
    maxConcurrency: MAX_CONCURRENCY,
    batch: BATCH,
  };
  // Under tsx (running the bench from source) the child needs it too.
  const execArgv = workerScript.endsWith('.ts') ? ['--import', 'tsx'] : [];
  const proc = fork(workerScript, [], {
    env: { ...process.env, SCHEDULER_WORKER: JSON.stringify(config) },
    execArgv,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const worker: Worker = { proc, delivered: 0, exited: new Promise((resolve) => proc.once('exit', () => resolve())) };
  proc.on('message', (event: SchedulerWorkerEvent) => {
    worker.delivered = event.delivered;
  });
  return worker;
}

async function stopWorker(worker: Worker): Promise<void> {
  if (worker.proc.exitCode === null && worker.proc.signalCode === null) worker.proc.send({ type: 'stop' });
  await worker.exited;
}

async function insertJobs(
  db: PostgresDatabase,
  count: number,
  firstDueMs: number,
  perSecond: number | null,
): Promise<void> {
  const chunk = 20_000;
  for (let from = 0; from < count; from += chunk) {
    await db.query(
      `INSERT INTO jobs (kind, chat_id, user_id, text_cipher, due_at, max_attempts, schedule_kind, missed_runs,
         created_at, updated_at)
       SELECT 'bench', -(i % 1000), i % 5000, convert_to('напомнить ' || i, 'UTF8'),
         to_timestamp(($2::float8 + CASE WHEN $3::float8 IS NULL THEN 0 ELSE i * 1000.0 / $3::float8 END) / 1000.0),
         3, 'once', 'run-once', now(), now()
       FROM generate_series($1::int, $4::int) AS i`,
      [from, firstDueMs, perSecond, Math.min(count, from + chunk) - 1],
    );
  }
  // What autovacuum does after a bulk insert, done now rather than within its
  // next minute: without statistics the claim's plan sorts every due row.
  await db.query('ANALYZE jobs');
}

async function waitUntil(check: () => Promise<boolean> | boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`scheduler bench: timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function countDone(db: PostgresDatabase): Promise<{ settled: number; inDoubt: number }> {
  const result = await db.query<{ settled: number; in_doubt: number }>(
    `SELECT count(*) FILTER (WHERE status IN ('done', 'in_doubt', 'failed'))::int AS settled,
            count(*) FILTER (WHERE status = 'in_doubt')::int AS in_doubt FROM jobs`,
  );
  const row = result.rows[0] as { settled: number; in_doubt: number };
  return { settled: row.settled, inDoubt: row.in_doubt };
}

/** 100k (quick: 20k) due jobs, two processes, one killed half-way. */
async function crashRun(
  ctx: BenchContext,
  db: PostgresDatabase,
  url: string,
  jobs: number,
): Promise<Record<string, number>> {
  await insertJobs(db, jobs, Date.now() - 1000, null);
  const started = performance.now();
  const a = startWorker(url, 'a');
  const b = startWorker(url, 'b');
  const delivered = (): number => a.delivered + b.delivered;
  // Measured from the first delivery: process start-up is not the scheduler's throughput.
  await waitUntil(() => delivered() > 0, 60_000, 'the first delivery');
  const firstMs = performance.now();
  const firstDelivered = delivered();
  await waitUntil(
    () => {
      ctx.progress(`scheduler: ${delivered()} of ${jobs} delivered by two processes`);
      return delivered() >= jobs / 2;
    },
    300_000,
    'half the jobs',
  );
  const bothMs = performance.now() - firstMs;
  const deliveredByBoth = delivered() - firstDelivered;
  b.proc.kill('SIGKILL');
  await b.exited;
  await waitUntil(
    async () => {
      const { settled } = await countDone(db);
      ctx.progress(`scheduler: ${settled} of ${jobs} settled after killing one process`);
      return settled >= jobs;
    },
    300_000,
    'every job to settle',
  );
  const totalMs = performance.now() - started;
  await stopWorker(a);
  const counts = await db.query<{
    rows: number;
    distinct_jobs: number;
    lost: number;
    in_doubt: number;
    failed: number;
  }>(
    `SELECT (SELECT count(*)::int FROM deliveries) AS rows,
            (SELECT count(DISTINCT job_id)::int FROM deliveries) AS distinct_jobs,
            (SELECT count(*)::int FROM jobs j WHERE j.status <> 'in_doubt'
               AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.job_id = j.id)) AS lost,
            (SELECT count(*)::int FROM jobs WHERE status = 'in_doubt') AS in_doubt,
            (SELECT count(*)::int FROM jobs WHERE status = 'failed') AS failed`,
  );
  const c = counts.rows[0] as { rows: number; distinct_jobs: number; lost: number; in_doubt: number; failed: number };
  return {
    jobs_per_s: (deliveredByBoth * 1000) / bothMs,
    duplicate_deliveries: c.rows - c.distinct_jobs,
    lost_jobs: c.lost,
    in_doubt_jobs: c.in_doubt,
    failed_jobs: c.failed,
    crash_run_total_ms: totalMs,
  };
}

/** Jobs falling due at `perSecond` for `seconds`, two processes: lateness of the delivery rows. */
async function steadyRun(
  ctx: BenchContext,
  db: PostgresDatabase,
  url: string,
  perSecond: number,
  seconds: number,
): Promise<Record<string, number>> {
  await db.query('TRUNCATE jobs, deliveries');
  const jobs = perSecond * seconds;
  const a = startWorker(url, 'steady-a');
  const b = startWorker(url, 'steady-b');
  // Due from 2 s on, so both processes are polling before the first falls due.
  await insertJobs(db, jobs, Date.now() + 2000, perSecond);
  await waitUntil(
    async () => {
      const { settled } = await countDone(db);
      ctx.progress(`scheduler: ${settled} of ${jobs} steady jobs delivered`);
      return settled >= jobs;
    },
    (seconds + 60) * 1000,
    'the steady jobs',
  );
  await Promise.all([stopWorker(a), stopWorker(b)]);
  const result = await db.query<{ p50: number; p99: number; duplicates: number }>(
    `SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) AS p50,
            percentile_cont(0.99) WITHIN GROUP (ORDER BY ms) AS p99,
            count(*) - count(DISTINCT job_id) AS duplicates
     FROM (SELECT job_id, extract(epoch FROM delivered_at - due_at) * 1000 AS ms FROM deliveries) AS l`,
  );
  const row = result.rows[0] as { p50: number; p99: number; duplicates: number };
  return {
    lateness_p50_ms: Number(row.p50),
    lateness_p99_ms: Number(row.p99),
    steady_duplicates: Number(row.duplicates),
  };
}

async function run(ctx: BenchContext): Promise<ScenarioResult> {
  const baseUrl = benchPostgresUrl();
  const schema = `bench_scheduler_${randomBytes(4).toString('hex')}`;
  const admin = new PostgresDatabase({ url: baseUrl, maxConnections: 1 });
  try {
    await admin.query(`CREATE SCHEMA ${schema}`);
  } catch (error) {
    await admin.close();
    throw new Error(
      `the scheduler bench needs Postgres (DATABASE_URL or ${baseUrl}): ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
  const url = withSearchPath(baseUrl, schema);
  const db = new PostgresDatabase({ url, maxConnections: 2 });
  try {
    await migrate(db);
    // No unique key: a job delivered twice shows up as two rows.
    await db.query(
      `CREATE TABLE deliveries (job_id bigint NOT NULL, owner text NOT NULL, due_at timestamptz NOT NULL,
         delivered_at timestamptz NOT NULL)`,
    );
    const jobs = ctx.quick ? 20_000 : 100_000;
    const crash = await crashRun(ctx, db, url, jobs);
    const steady = await steadyRun(ctx, db, url, 1000, ctx.quick ? 10 : 30);
    return {
      results: { ...crash, ...steady },
      targets: {
        jobs_per_s: { '>=': 5000 },
        duplicate_deliveries: { '<=': 0 },
        lost_jobs: { '<=': 0 },
        lateness_p99_ms: { '<=': 1000 },
        steady_duplicates: { '<=': 0 },
      },
      notes: [
        `${jobs.toLocaleString('en-US')} due jobs, two processes (maxConcurrency ${MAX_CONCURRENCY}, batch ${BATCH}, lease ${LEASE_MS} ms); one is SIGKILLed once half are delivered`,
        'jobs_per_s: deliveries per second while both processes ran, from the first delivery; each delivery is a row written by the process that made it',
        'lost_jobs: jobs neither delivered nor in doubt; in-doubt jobs are those the killed process was delivering (never re-sent)',
        `lateness: delivery row time minus due time, jobs falling due at 1,000/s for ${ctx.quick ? 10 : 30} s`,
      ],
    };
  } finally {
    await db.close();
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin.close();
  }
}

export const scenario: Scenario = {
  name: 'scheduler',
  description:
    'durable jobs: throughput and exactly-once across two processes with one killed, lateness at 1,000 jobs/s',
  run,
};
