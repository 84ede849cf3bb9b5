import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildHttpApp, type HttpApp, type Job } from '../../src/http/index.js';
import { MetricsRegistry } from '../../src/runtime/index.js';
import { Scheduler } from '../../src/scheduler/index.js';
import { MemoryJobStore } from '../../src/storage/index.js';
import { AdminHarness } from '../support/admin-harness.js';
import { CapturingLogger } from '../support/capturing-logger.js';
import { job, MemorySchedulerAdmin } from '../support/memory-scheduler-admin.js';

let h: AdminHarness;
let app: HttpApp;
let scheduler: MemorySchedulerAdmin;

beforeAll(async () => {
  h = await AdminHarness.create();
  scheduler = new MemorySchedulerAdmin(
    [
      job(1, { text: 'выключить плиту' }),
      job(2, { status: 'failed', lastError: 'Telegram refused the send', attempts: 5 }),
      job(3, { status: 'in_doubt' }),
      job(4, {
        kind: 'plugin:digest:daily',
        key: 'digest:daily',
        text: '',
        chatId: null,
        userId: null,
        schedule: { kind: 'cron', pattern: '0 9 * * *', timeZone: 'Europe/Moscow' },
      }),
      job(5, { chatId: -1002, text: 'позвонить маме' }),
    ],
    { executed: 40, succeeded: 36, failed: 2, retried: 3, inDoubt: 1, lateMs: { p50: 12, p99: 340 } },
  );
  app = await buildHttpApp({ ...h.deps(), scheduler });
});

afterAll(async () => {
  await app.close();
  await h.close();
});

const jobsRead = async () => (await h.audit.query({ action: 'jobs.read' }, { cursor: undefined, limit: 50 })).items;

describe('GET /api/scheduler', () => {
  it("answers the scheduler's figures and jobs by status to a viewer", async () => {
    const res = await h.request(app, 'GET', '/api/scheduler', { role: 'viewer' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      executed: 40,
      succeeded: 36,
      failed: 2,
      retried: 3,
      inDoubt: 1,
      lateMs: { p50: 12, p99: 340 },
      byStatus: { pending: 3, claimed: 0, delivering: 0, done: 0, failed: 1, cancelled: 0, in_doubt: 1 },
    });
  });
});

describe('GET /api/scheduler/jobs', () => {
  it('hides the texts of reminders from a viewer and records no read of them', async () => {
    const before = (await jobsRead()).length;
    const res = await h.request(app, 'GET', '/api/scheduler/jobs', { role: 'viewer' });
    expect(res.statusCode).toBe(200);
    const items: Job[] = res.json().items;
    expect(items.map((j) => j.id)).toEqual([1, 2, 3, 4, 5]);
    expect(items.every((j) => j.text === null)).toBe(true);
    expect(res.body).not.toContain('плиту');
    expect(items[3]?.schedule).toEqual({ kind: 'cron', pattern: '0 9 * * *', timeZone: 'Europe/Moscow' });
    expect((await jobsRead()).length).toBe(before);
  });

  it('hides them from an operator too', async () => {
    const res = await h.request(app, 'GET', '/api/scheduler/jobs', { role: 'operator' });
    expect(res.body).not.toContain('маме');
  });

  it('shows them to an admin, and audits the read with what was asked but not the texts', async () => {
    const res = await h.request(app, 'GET', '/api/scheduler/jobs?chatId=-1001&status=pending', { role: 'admin' });
    expect(res.json().items.map((j: Job) => [j.id, j.text])).toEqual([[1, 'выключить плиту']]);
    const row = (await jobsRead())[0];
    expect(row).toMatchObject({
      target: 'scheduler',
      outcome: 'ok',
      actor: { role: 'admin' },
      details: { jobs: 1, status: ['pending'], chatId: -1001 },
    });
    expect(JSON.stringify(row)).not.toContain('плиту');
  });

  it('filters by several statuses and by kind', async () => {
    const failed = await h.request(app, 'GET', '/api/scheduler/jobs?status=failed&status=in_doubt', {
      role: 'viewer',
    });
    expect(failed.json().items.map((j: Job) => j.id)).toEqual([2, 3]);
    expect(scheduler.queries.at(-1)?.status).toEqual(['failed', 'in_doubt']);
    const digests = await h.request(app, 'GET', '/api/scheduler/jobs?kind=plugin:digest:daily', { role: 'viewer' });
    expect(digests.json().items.map((j: Job) => j.id)).toEqual([4]);
  });

  it('pages by the id of the last job', async () => {
    const first = (await h.request(app, 'GET', '/api/scheduler/jobs?limit=2', { role: 'viewer' })).json();
    expect(first.items.map((j: Job) => j.id)).toEqual([1, 2]);
    expect(first.next).toBe(2);
    const last = (await h.request(app, 'GET', '/api/scheduler/jobs?limit=3&after=2', { role: 'viewer' })).json();
    expect(last.items.map((j: Job) => j.id)).toEqual([3, 4, 5]);
    expect(last.next).toBeNull();
  });

  it.each([
    ['an unknown status', 'status=lost'],
    ['a limit above 200', 'limit=201'],
    ['an unknown filter', 'owner=me'],
    ['a chat id beyond Telegram ids', 'chatId=1e23'],
  ])('refuses %s with 400', async (_what, query) => {
    const res = await h.request(app, 'GET', `/api/scheduler/jobs?${query}`, { role: 'viewer' });
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('FST_ERR_VALIDATION');
  });
});

describe('retrying and cancelling a job', () => {
  it('retries a failed job for an operator, audited', async () => {
    const res = await h.request(app, 'POST', '/api/scheduler/jobs/2/retry', { role: 'operator' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ retried: true });
    expect(scheduler.status(2)).toBe('pending');
    const row = (await h.audit.query({ action: 'job.retry' }, { cursor: undefined, limit: 1 })).items[0];
    expect(row).toMatchObject({ target: 'job:2', outcome: 'ok', actor: { role: 'operator' } });
  });

  it('answers 404 for a job that is not failed or in doubt', async () => {
    const res = await h.request(app, 'POST', '/api/scheduler/jobs/1/retry', { role: 'operator' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ code: 'JOB_NOT_FOUND', message: 'no failed or in-doubt job 1' });
  });

  it('cancels a pending job, and answers 404 the second time', async () => {
    const res = await h.request(app, 'DELETE', '/api/scheduler/jobs/5', { role: 'operator' });
    expect(res.json()).toEqual({ cancelled: true });
    expect(scheduler.status(5)).toBe('cancelled');
    const again = await h.request(app, 'DELETE', '/api/scheduler/jobs/5', { role: 'operator' });
    expect(again.statusCode).toBe(404);
    const rows = (await h.audit.query({ action: 'job.cancel' }, { cursor: undefined, limit: 2 })).items;
    expect(rows.map((r) => [r.target, r.outcome])).toEqual([
      ['job:5', 'error'],
      ['job:5', 'ok'],
    ]);
  });

  it('refuses a viewer before anything changes', async () => {
    const res = await h.request(app, 'POST', '/api/scheduler/jobs/3/retry', { role: 'viewer' });
    expect(res.statusCode).toBe(403);
    expect(scheduler.status(3)).toBe('in_doubt');
  });

  it('refuses an id that is not a positive integer', async () => {
    expect((await h.request(app, 'DELETE', '/api/scheduler/jobs/abc', { role: 'operator' })).statusCode).toBe(400);
  });
});

describe('without a scheduler', () => {
  it('answers 503 SCHEDULER_UNAVAILABLE', async () => {
    const bare = await buildHttpApp(h.deps());
    try {
      for (const [method, url] of [
        ['GET', '/api/scheduler'],
        ['GET', '/api/scheduler/jobs'],
        ['POST', '/api/scheduler/jobs/1/retry'],
        ['DELETE', '/api/scheduler/jobs/1'],
      ] as const) {
        const res = await h.request(bare, method, url, { role: 'operator' });
        expect(res.statusCode, url).toBe(503);
        expect(res.json().code).toBe('SCHEDULER_UNAVAILABLE');
      }
    } finally {
      await bare.close();
    }
  });
});

describe('the OpenAPI document', () => {
  it('describes the scheduler routes', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/docs/json' })).json();
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/scheduler',
        '/api/scheduler/jobs',
        '/api/scheduler/jobs/{id}/retry',
        '/api/scheduler/jobs/{id}',
      ]),
    );
    expect(doc.paths['/api/scheduler/jobs'].get.tags).toEqual(['scheduler']);
  });
});

describe("the real scheduler's admin view", () => {
  it('lists, hides and cancels jobs of a job store through the routes', async () => {
    const store = new MemoryJobStore(h.clock);
    const real = new Scheduler({
      store,
      clock: h.clock,
      owner: 'routes-test',
      logger: new CapturingLogger(),
      metrics: new MetricsRegistry(),
    });
    const reminder = await store.add({
      kind: 'reminder',
      chatId: -1003,
      userId: 9,
      text: 'полить цветы',
      dueAtMs: 1e13,
    });
    const withReal = await buildHttpApp({ ...h.deps(), scheduler: real });
    try {
      const viewer = (await h.request(withReal, 'GET', '/api/scheduler/jobs', { role: 'viewer' })).json();
      expect(viewer.items).toMatchObject([{ id: reminder.id, kind: 'reminder', status: 'pending', text: null }]);
      const admin = (await h.request(withReal, 'GET', '/api/scheduler/jobs', { role: 'admin' })).json();
      expect(admin.items[0].text).toBe('полить цветы');
      const stats = await h.request(withReal, 'GET', '/api/scheduler', { role: 'viewer' });
      expect(stats.json().byStatus.pending).toBe(1);
      const cancel = await h.request(withReal, 'DELETE', `/api/scheduler/jobs/${reminder.id}`, { role: 'operator' });
      expect(cancel.statusCode).toBe(200);
      expect((await store.get(reminder.id))?.status).toBe('cancelled');
    } finally {
      await withReal.close();
    }
  });
});
