import { fork } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClaimedJob } from '../../src/ports/index.js';
import { type Clock, MetricsRegistry, SystemClock } from '../../src/runtime/index.js';
import { Scheduler } from '../../src/scheduler/index.js';
import { migrate, PostgresDatabase, PostgresJobStore } from '../../src/storage/index.js';
import { CapturingLogger } from '../support/capturing-logger.js';
import { waitFor } from '../support/edge-harness.js';
import { createTestSchema, type TestSchema } from '../support/test-services.js';

const childScript = path.join(path.dirname(fileURLToPath(import.meta.url)), 'scheduler-child.ts');

/** The system clock read `offsetMs` ahead: a process that looks after the others' leases have run out. */
function aheadBy(offsetMs: number): Clock {
  const system = new SystemClock();
  return {
    now: () => system.now() + offsetMs,
    setTimer: (fn, ms) => system.setTimer(fn, ms),
    clearTimer: (handle) => system.clearTimer(handle),
  };
}

describe('schedulers sharing a Postgres database', () => {
  let schema: TestSchema;
  const dbs: PostgresDatabase[] = [];
  const schedulers: Scheduler[] = [];

  function open(): PostgresDatabase {
    const db = new PostgresDatabase({ url: schema.url, maxConnections: 4 });
    dbs.push(db);
    return db;
  }

  function scheduler(owner: string, clock: Clock = new SystemClock()): Scheduler {
    const s = new Scheduler({
      store: new PostgresJobStore(open(), clock),
      clock,
      owner,
      logger: new CapturingLogger(),
      metrics: new MetricsRegistry(),
      pollMs: 50,
      batch: 32,
      maxConcurrency: 16,
    });
    schedulers.push(s);
    return s;
  }

  beforeAll(async () => {
    schema = await createTestSchema('scheduler');
    await migrate(open());
  });

  afterAll(async () => {
    await Promise.all(schedulers.map((s) => s.stop()));
    await Promise.all(dbs.map((db) => db.close()));
    await schema.drop();
  });

  it('deliver each of 2,000 due jobs exactly once between two owners', { timeout: 60_000 }, async () => {
    const db = dbs[0] as PostgresDatabase;
    const now = Date.now();
    await db.query(
      `INSERT INTO jobs (kind, chat_id, text_cipher, due_at, max_attempts, schedule_kind, missed_runs, created_at, updated_at)
       SELECT 'reminder', -i, convert_to('text ' || i, 'UTF8'), $1, 3, 'once', 'run-once', $1, $1
       FROM generate_series(1, 2000) AS i`,
      [new Date(now - 1000)],
    );
    const deliveries = new Map<number, string[]>();
    const record = (owner: string) => (job: ClaimedJob) => {
      deliveries.set(job.id, [...(deliveries.get(job.id) ?? []), owner]);
      return Promise.resolve();
    };
    const a = scheduler('a');
    const b = scheduler('b');
    a.handle('reminder', record('a'), { idempotent: false });
    b.handle('reminder', record('b'), { idempotent: false });
    a.start();
    b.start();
    const store = new PostgresJobStore(db);
    await waitFor('every job done', async () => (await store.countByStatus()).done === 2000, 50_000);
    expect(deliveries.size).toBe(2000);
    expect([...deliveries.values()].filter((owners) => owners.length !== 1)).toEqual([]);
    expect(new Set([...deliveries.values()].flat())).toEqual(new Set(['a', 'b']));
    await Promise.all([a.stop(), b.stop()]);
  });

  it(
    'after a process is killed mid-run, mark its delivering job in doubt and take over its idempotent one',
    { timeout: 60_000 },
    async () => {
      const db = dbs[0] as PostgresDatabase;
      const store = new PostgresJobStore(db);
      const send = await store.add({ kind: 'send', chatId: -1, text: 'напомнить', dueAtMs: Date.now() - 10 });
      const digest = await store.add({ kind: 'digest', chatId: -1, dueAtMs: Date.now() - 10 });
      const child = fork(childScript, [], {
        env: { ...process.env, SCHEDULER_DB_URL: schema.url },
        execArgv: ['--import', 'tsx'],
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      });
      const started = new Set<number>();
      child.on('message', (m: { started: number }) => started.add(m.started));
      const exited = new Promise<NodeJS.Signals | null>((resolve) =>
        child.on('exit', (_code, signal) => resolve(signal)),
      );
      await waitFor('the child to start both jobs', () => started.size === 2, 30_000);
      expect((await store.get(send.id))?.status).toBe('delivering');
      expect((await store.get(digest.id))?.status).toBe('claimed');
      child.kill('SIGKILL');
      expect(await exited).toBe('SIGKILL');

      const runs: number[] = [];
      const live = scheduler('live', aheadBy(61_000));
      const record = (job: ClaimedJob): Promise<void> => {
        runs.push(job.id);
        return Promise.resolve();
      };
      live.handle('send', record, { idempotent: false });
      live.handle('digest', record, { idempotent: true });
      live.start();
      await waitFor('the digest to be taken over', async () => (await store.get(digest.id))?.status === 'done', 10_000);
      expect(await store.get(send.id)).toMatchObject({ status: 'in_doubt', attempts: 1 });
      expect(await store.get(digest.id)).toMatchObject({ status: 'done', attempts: 2 });
      expect(runs).toEqual([digest.id]);
      expect((await live.stats()).inDoubt).toBe(1);
    },
  );
});
