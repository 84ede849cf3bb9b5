import { afterEach, describe, expect, it } from 'vitest';
import type { ClaimedJob, JobStore } from '../../src/ports/index.js';
import { type Counter, LekhaError, ManualClock, MetricsRegistry, noJitter } from '../../src/runtime/index.js';
import {
  cron,
  every,
  JobInDoubtError,
  nextRunAfter,
  Scheduler,
  type SchedulerOptions,
} from '../../src/scheduler/index.js';
import { MemoryJobStore } from '../../src/storage/index.js';
import { CapturingLogger } from '../support/capturing-logger.js';

const T0 = Date.UTC(2026, 10, 1, 12);
const H = 3_600_000;
const SECRET_TEXT = 'позвонить маме про анализы';

interface Harness {
  clock: ManualClock;
  store: JobStore;
  logger: CapturingLogger;
  metrics: MetricsRegistry;
  scheduler: Scheduler;
  count(name: string): number;
}

const started: Scheduler[] = [];

afterEach(async () => {
  await Promise.all(started.splice(0).map((s) => s.stop()));
});

function harness(options: Partial<SchedulerOptions> & { clock?: ManualClock; store?: JobStore } = {}): Harness {
  const clock = options.clock ?? new ManualClock(T0);
  const store = options.store ?? new MemoryJobStore(clock);
  const logger = new CapturingLogger();
  const metrics = new MetricsRegistry();
  const scheduler = new Scheduler({
    owner: 'a',
    pollMs: 1000,
    leaseMs: 60_000,
    handlerTimeoutMs: 10_000,
    retry: { minMs: 1000, maxMs: 60_000 },
    random: noJitter,
    ...options,
    store,
    clock,
    logger,
    metrics,
  });
  started.push(scheduler);
  return {
    clock,
    store,
    logger,
    metrics,
    scheduler,
    count: (name) => (metrics.get(name) as Counter | undefined)?.value ?? Number.NaN,
  };
}

/** A handler that records each run's job id. */
function recorder(): { runs: number[]; handler: (job: ClaimedJob) => Promise<void> } {
  const runs: number[] = [];
  return {
    runs,
    handler: (job) => {
      runs.push(job.id);
      return Promise.resolve();
    },
  };
}

const never = (): Promise<void> => new Promise<void>(() => undefined);

describe('Scheduler', () => {
  it('runs a due job through the handler of its kind once, completes it and counts how late it started', async () => {
    const h = harness();
    const seen: ClaimedJob[] = [];
    h.scheduler.handle(
      'reminder',
      (job) => {
        seen.push(job);
        return Promise.resolve();
      },
      { idempotent: false },
    );
    const job = await h.store.add({ kind: 'reminder', chatId: -1, userId: 7, text: SECRET_TEXT, dueAtMs: T0 - 250 });
    h.scheduler.start();
    await h.clock.advance(0);
    expect(seen).toEqual([expect.objectContaining({ id: job.id, text: SECRET_TEXT, owner: 'a', attempts: 1 })]);
    await h.clock.advance(10_000);
    expect(seen).toHaveLength(1);
    expect(await h.store.get(job.id)).toMatchObject({ status: 'done' });
    const stats = await h.scheduler.stats();
    expect(stats).toMatchObject({ executed: 1, succeeded: 1, failed: 0, retried: 0, inDoubt: 0 });
    expect(stats.lateMs.p50).toBeCloseTo(250, 0);
    expect(stats.byStatus.done).toBe(1);
  });

  it('wakes for a job added due before its next poll instead of waiting for the poll', async () => {
    const h = harness({ pollMs: 60_000 });
    const r = recorder();
    h.scheduler.handle('tick', r.handler, { idempotent: true });
    h.scheduler.start();
    await h.clock.advance(0);
    const job = await h.scheduler.add({ kind: 'tick', dueAtMs: T0 + 1500 });
    await h.clock.advance(1499);
    expect(r.runs).toEqual([]);
    await h.clock.advance(1);
    expect(r.runs).toEqual([job.id]);
    expect(h.metrics.get('lekha_scheduler_lateness_ms')).toBeDefined();
    expect((await h.scheduler.stats()).lateMs.p99).toBeLessThan(1);
  });

  it('retries a failing job with exponential backoff, then dead-letters it with an error free of its text', async () => {
    const h = harness();
    const runsAt: number[] = [];
    h.scheduler.handle(
      'reminder',
      () => {
        runsAt.push(h.clock.now());
        return Promise.reject(new Error(`chat not found while sending "${SECRET_TEXT}"`));
      },
      { idempotent: false },
    );
    const job = await h.scheduler.add({ kind: 'reminder', chatId: -1, text: SECRET_TEXT, dueAtMs: T0, maxAttempts: 3 });
    h.scheduler.start();
    await h.clock.advance(10_000);
    // Retries 1 s, then 2 s after each failure (noJitter: the full step).
    expect(runsAt).toEqual([T0, T0 + 1000, T0 + 3000]);
    const failed = await h.store.get(job.id);
    expect(failed).toMatchObject({ status: 'failed', attempts: 3 });
    expect(failed?.lastError).toBe('chat not found while sending "[job text]"');
    expect(await h.scheduler.stats()).toMatchObject({ executed: 3, succeeded: 0, retried: 2, failed: 1 });
    expect(JSON.stringify(h.logger.lines)).not.toContain(SECRET_TEXT);
    expect(h.logger.lines.some((l) => l.msg.includes('dead-lettered'))).toBe(true);
  });

  it('dead-letters at once on an error that says retrying cannot help', async () => {
    const h = harness();
    const r = recorder();
    h.scheduler.handle(
      'reminder',
      async (job) => {
        await r.handler(job);
        throw new LekhaError('TELEGRAM_SEND_FAILED', 'bot was kicked from the chat', { retryable: false });
      },
      { idempotent: false },
    );
    const job = await h.scheduler.add({ kind: 'reminder', dueAtMs: T0, maxAttempts: 5 });
    h.scheduler.start();
    await h.clock.advance(60_000);
    expect(r.runs).toEqual([job.id]);
    expect(await h.store.get(job.id)).toMatchObject({
      status: 'failed',
      lastError: 'TELEGRAM_SEND_FAILED: bot was kicked from the chat',
    });
  });

  it('marks a non-idempotent job in doubt when its handler hangs past its timeout, aborting it, and never runs it again', async () => {
    const h = harness();
    let signal: AbortSignal | undefined;
    let runs = 0;
    h.scheduler.handle(
      'reminder',
      (_job, s) => {
        runs++;
        signal = s;
        return never();
      },
      { idempotent: false, timeoutMs: 5000 },
    );
    const job = await h.scheduler.add({ kind: 'reminder', dueAtMs: T0, text: SECRET_TEXT });
    h.scheduler.start();
    await h.clock.advance(4999);
    expect(signal?.aborted).toBe(false);
    await h.clock.advance(1);
    expect(signal?.aborted).toBe(true);
    expect(await h.store.get(job.id)).toMatchObject({
      status: 'in_doubt',
      lastError: expect.stringMatching(/JOB_TIMEOUT/),
    });
    await h.clock.advance(10 * H);
    expect(runs).toBe(1);
    expect((await h.scheduler.stats()).inDoubt).toBe(1);
  });

  it('marks a job in doubt when its handler says it cannot tell whether it delivered', async () => {
    const h = harness();
    h.scheduler.handle('reminder', () => Promise.reject(new JobInDoubtError('send timed out')), { idempotent: false });
    const job = await h.scheduler.add({ kind: 'reminder', dueAtMs: T0 });
    h.scheduler.start();
    await h.clock.advance(10_000);
    expect(await h.store.get(job.id)).toMatchObject({ status: 'in_doubt', lastError: 'JOB_IN_DOUBT: send timed out' });
  });

  it('retries an idempotent job whose handler timed out', async () => {
    const h = harness();
    let runs = 0;
    h.scheduler.handle(
      'digest',
      () => {
        runs++;
        return runs === 1 ? never() : Promise.resolve();
      },
      { idempotent: true, timeoutMs: 5000 },
    );
    const job = await h.scheduler.add({ kind: 'digest', dueAtMs: T0 });
    h.scheduler.start();
    await h.clock.advance(7000);
    expect(runs).toBe(2);
    expect(await h.store.get(job.id)).toMatchObject({ status: 'done' });
  });

  describe('with a process that died', () => {
    it('marks a job it was delivering in doubt once the lease has passed, and does not deliver it again', async () => {
      const store = new MemoryJobStore(new ManualClock(T0));
      const dead = harness({ owner: 'dead', store, handlerTimeoutMs: 20_000 });
      let deliveries = 0;
      dead.scheduler.handle(
        'reminder',
        () => {
          deliveries++;
          return never();
        },
        { idempotent: false },
      );
      const job = await dead.scheduler.add({ kind: 'reminder', dueAtMs: T0, text: SECRET_TEXT });
      dead.scheduler.start();
      await dead.clock.advance(0);
      expect(deliveries).toBe(1);
      started.splice(started.indexOf(dead.scheduler), 1);
      // The dead process's clock never moves again: its timers never fire.
      const live = harness({ owner: 'live', store, clock: new ManualClock(T0 + 30_000) });
      live.scheduler.handle(
        'reminder',
        () => {
          deliveries++;
          return Promise.resolve();
        },
        { idempotent: false },
      );
      live.scheduler.start();
      await live.clock.advance(29_999);
      expect((await store.get(job.id))?.status).toBe('delivering');
      await live.clock.advance(1000);
      expect(await store.get(job.id)).toMatchObject({ status: 'in_doubt', attempts: 1 });
      await live.clock.advance(10 * H);
      expect(deliveries).toBe(1);
      expect(live.count('lekha_scheduler_in_doubt_total')).toBe(1);
      expect(JSON.stringify(live.logger.lines)).not.toContain(SECRET_TEXT);
    });

    it('takes over a job it had claimed and not started delivering once the lease has passed, delivering it once', async () => {
      const clock = new ManualClock(T0);
      const store = new MemoryJobStore(clock);
      const job = await store.add({ kind: 'reminder', dueAtMs: T0 - 10 });
      expect((await store.claimDue('dead', T0, 60_000, 10)).claimed).toHaveLength(1);
      const live = harness({ owner: 'live', store, clock });
      const r = recorder();
      live.scheduler.handle('reminder', r.handler, { idempotent: false });
      live.scheduler.start();
      await clock.advance(59_000);
      expect(r.runs).toEqual([]);
      await clock.advance(1000);
      expect(r.runs).toEqual([job.id]);
      expect(await store.get(job.id)).toMatchObject({ status: 'done', attempts: 2 });
      expect(await store.complete(job.id, 'dead', null)).toBe(false);
    });

    it('fences off the first owner when it finishes after its job was taken over', async () => {
      const store = new MemoryJobStore(new ManualClock(T0));
      const slow = harness({ owner: 'slow', store, handlerTimeoutMs: 20_000 });
      let finish: () => void = () => undefined;
      slow.scheduler.handle('digest', () => new Promise<void>((resolve) => (finish = resolve)), { idempotent: true });
      const job = await slow.scheduler.add({ kind: 'digest', dueAtMs: T0 });
      slow.scheduler.start();
      await slow.clock.advance(0);
      const live = harness({ owner: 'live', store, clock: new ManualClock(T0 + 60_000) });
      const r = recorder();
      live.scheduler.handle('digest', r.handler, { idempotent: true });
      live.scheduler.start();
      await live.clock.advance(0);
      expect(r.runs).toEqual([job.id]);
      finish();
      await slow.clock.advance(0);
      expect(slow.count('lekha_scheduler_lease_lost_total')).toBe(1);
      expect(await store.get(job.id)).toMatchObject({ status: 'done' });
    });

    it('fails a job whose every claim ended with its process, without running it again', async () => {
      const clock = new ManualClock(T0);
      const store = new MemoryJobStore(clock);
      const job = await store.add({ kind: 'reminder', dueAtMs: T0, maxAttempts: 2 });
      await store.claimDue('crashed-1', T0, 1000, 10);
      await store.claimDue('crashed-2', T0 + 1000, 1000, 10);
      const live = harness({ owner: 'live', store, clock });
      const r = recorder();
      live.scheduler.handle('reminder', r.handler, { idempotent: true });
      live.scheduler.start();
      await clock.advance(2000);
      expect(r.runs).toEqual([]);
      expect(await store.get(job.id)).toMatchObject({
        status: 'failed',
        lastError: expect.stringMatching(/^JOB_OUT_OF_ATTEMPTS/),
      });
    });
  });

  describe('recurring jobs', () => {
    it('moves a recurring job whose every claim ended with its process to its next slot instead of dead-lettering it', async () => {
      const clock = new ManualClock(T0);
      const store = new MemoryJobStore(clock);
      const job = await store.add({ kind: 'tick', dueAtMs: T0, schedule: every('1h'), maxAttempts: 1 });
      await store.claimDue('crashed', T0, 1000, 10);
      const live = harness({ owner: 'live', store, clock });
      const r = recorder();
      live.scheduler.handle('tick', r.handler, { idempotent: true });
      live.scheduler.start();
      await clock.advance(1000);
      expect(r.runs).toEqual([]);
      expect(await store.get(job.id)).toMatchObject({
        status: 'pending',
        dueAtMs: T0 + H,
        attempts: 0,
        lastError: expect.stringMatching(/^JOB_OUT_OF_ATTEMPTS/),
      });
    });

    it('runs an every-job on its grid, waking for each run whatever its poll interval', async () => {
      const h = harness({ pollMs: 10 * H });
      const r = recorder();
      h.scheduler.handle('tick', r.handler, { idempotent: true });
      const job = await h.scheduler.ensureRecurring({ kind: 'tick', key: 'tick', dueAtMs: T0, schedule: every('1h') });
      h.scheduler.start();
      await h.clock.advance(3 * H);
      expect(r.runs).toEqual([job.id, job.id, job.id, job.id]);
      expect(await h.store.get(job.id)).toMatchObject({ status: 'pending', dueAtMs: T0 + 4 * H, attempts: 0 });
    });

    it('runs a missed run once after a downtime and continues at the next future slot (run-once)', async () => {
      const clock = new ManualClock(T0 + 5 * H + 20 * 60_000);
      const h = harness({ clock });
      const r = recorder();
      h.scheduler.handle('tick', r.handler, { idempotent: true });
      const job = await h.store.add({ kind: 'tick', dueAtMs: T0, schedule: every('1h'), missedRuns: 'run-once' });
      h.scheduler.start();
      await clock.advance(1000);
      expect(r.runs).toEqual([job.id]);
      expect(await h.store.get(job.id)).toMatchObject({ status: 'pending', dueAtMs: T0 + 6 * H });
    });

    it('skips a missed run after a downtime without running it and continues at the next future slot (skip)', async () => {
      const clock = new ManualClock(T0 + 5 * H + 20 * 60_000);
      const h = harness({ clock });
      const r = recorder();
      h.scheduler.handle('tick', r.handler, { idempotent: true });
      const job = await h.store.add({ kind: 'tick', dueAtMs: T0, schedule: every('1h'), missedRuns: 'skip' });
      h.scheduler.start();
      await clock.advance(1000);
      expect(r.runs).toEqual([]);
      expect(await h.store.get(job.id)).toMatchObject({ status: 'pending', dueAtMs: T0 + 6 * H });
      expect(h.count('lekha_scheduler_skipped_total')).toBe(1);
      await clock.advance(40 * 60_000);
      expect(r.runs).toEqual([job.id]);
    });

    it('runs a skip job that is only a little late (within the missed-run grace)', async () => {
      const clock = new ManualClock(T0 + 30_000);
      const h = harness({ clock, missedGraceMs: 60_000 });
      const r = recorder();
      h.scheduler.handle('tick', r.handler, { idempotent: true });
      const job = await h.store.add({ kind: 'tick', dueAtMs: T0, schedule: every('1h'), missedRuns: 'skip' });
      h.scheduler.start();
      await clock.advance(0);
      expect(r.runs).toEqual([job.id]);
    });

    it('runs a cron job at its hour in its time zone', async () => {
      const midnight = Date.UTC(2026, 0, 1);
      const clock = new ManualClock(midnight);
      const h = harness({ clock, pollMs: 60_000 });
      const runsAt: number[] = [];
      h.scheduler.handle(
        'digest',
        () => {
          runsAt.push(clock.now());
          return Promise.resolve();
        },
        { idempotent: true },
      );
      const schedule = cron('0 9 * * *', 'Europe/Moscow');
      await h.scheduler.ensureRecurring({
        kind: 'digest',
        key: 'digest',
        dueAtMs: nextRunAfter(schedule, midnight) as number,
        schedule,
      });
      h.scheduler.start();
      await clock.advance(2 * 24 * H);
      // 09:00 Moscow time is 06:00 UTC.
      expect(runsAt).toEqual([midnight + 6 * H, midnight + 30 * H]);
    });

    it('moves a recurring job that ran out of attempts to its next slot, recording the error', async () => {
      // The retry moved its due time by the 1 s backoff; the next slot keeps that phase.
      const h = harness();
      let runs = 0;
      h.scheduler.handle(
        'tick',
        () => {
          runs++;
          return Promise.reject(new Error('upstream down'));
        },
        { idempotent: true },
      );
      const job = await h.store.add({ kind: 'tick', dueAtMs: T0, schedule: every('1h'), maxAttempts: 2 });
      h.scheduler.start();
      await h.clock.advance(10_000);
      expect(runs).toBe(2);
      expect(await h.store.get(job.id)).toMatchObject({
        status: 'pending',
        dueAtMs: T0 + 1000 + H,
        attempts: 0,
        lastError: 'upstream down',
      });
      expect(h.count('lekha_scheduler_failed_total')).toBe(1);
    });
  });

  it('fails a job of a kind it has no handler for, with a retry first', async () => {
    const h = harness();
    const job = await h.scheduler.add({ kind: 'plugin:gone:job', dueAtMs: T0, maxAttempts: 2 });
    h.scheduler.start();
    await h.clock.advance(10_000);
    expect(await h.store.get(job.id)).toMatchObject({
      status: 'failed',
      attempts: 2,
      lastError: 'JOB_HANDLER_MISSING: no handler for jobs of kind plugin:gone:job in this process',
    });
    expect(h.logger.lines.filter((l) => l.msg.includes('no handler'))).toHaveLength(1);
  });

  it('runs at most maxConcurrency jobs at once', async () => {
    const h = harness({ maxConcurrency: 3, batch: 10 });
    let runningNow = 0;
    let most = 0;
    h.scheduler.handle(
      'work',
      async () => {
        runningNow++;
        most = Math.max(most, runningNow);
        await new Promise<void>((resolve) => h.clock.setTimer(resolve, 100));
        runningNow--;
      },
      { idempotent: true },
    );
    for (let i = 0; i < 10; i++) await h.store.add({ kind: 'work', dueAtMs: T0 });
    h.scheduler.start();
    await h.clock.advance(5000);
    expect(most).toBe(3);
    expect((await h.store.countByStatus()).done).toBe(10);
  });

  it('waits for running handlers when stopped, and gives back nothing it has started', async () => {
    const h = harness();
    let finish: () => void = () => undefined;
    h.scheduler.handle('work', () => new Promise<void>((resolve) => (finish = resolve)), { idempotent: false });
    const job = await h.scheduler.add({ kind: 'work', dueAtMs: T0 });
    h.scheduler.start();
    await h.clock.advance(0);
    let stopped = false;
    const stopping = h.scheduler.stop().then(() => (stopped = true));
    await h.clock.advance(1000);
    expect(stopped).toBe(false);
    expect((await h.store.get(job.id))?.status).toBe('delivering');
    finish();
    await stopping;
    expect(await h.store.get(job.id)).toMatchObject({ status: 'done' });
    const later = await h.scheduler.add({ kind: 'work', dueAtMs: T0 });
    await h.clock.advance(10_000);
    expect((await h.store.get(later.id))?.status).toBe('pending');
  });

  it('gives back jobs claimed while it was stopping, undoing their attempt', async () => {
    const clock = new ManualClock(T0);
    const inner = new MemoryJobStore(clock);
    let claimedOnce: () => void = () => undefined;
    const claiming = new Promise<void>((resolve) => (claimedOnce = resolve));
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const store: JobStore = Object.create(inner) as JobStore;
    store.claimDue = async (...args) => {
      claimedOnce();
      await gate;
      return inner.claimDue(...args);
    };
    const h = harness({ clock, store });
    const r = recorder();
    h.scheduler.handle('work', r.handler, { idempotent: true });
    const job = await inner.add({ kind: 'work', dueAtMs: T0 });
    h.scheduler.start();
    await clock.advance(0);
    await claiming;
    const stopping = h.scheduler.stop();
    release();
    await stopping;
    await clock.advance(0);
    expect(r.runs).toEqual([]);
    expect(await inner.get(job.id)).toMatchObject({ status: 'pending', attempts: 0 });
  });

  it('keeps running when the store fails a claim, and counts the failure', async () => {
    const clock = new ManualClock(T0);
    const inner = new MemoryJobStore(clock);
    let failures = 1;
    const store: JobStore = Object.create(inner) as JobStore;
    store.claimDue = (...args) =>
      failures-- > 0 ? Promise.reject(new Error('connection reset')) : inner.claimDue(...args);
    const h = harness({ clock, store });
    const r = recorder();
    h.scheduler.handle('work', r.handler, { idempotent: true });
    const job = await inner.add({ kind: 'work', dueAtMs: T0 });
    h.scheduler.start();
    await clock.advance(0);
    expect(r.runs).toEqual([]);
    await clock.advance(1000);
    expect(r.runs).toEqual([job.id]);
    expect(h.count('lekha_scheduler_store_failures_total')).toBe(1);
    expect(h.logger.lines.some((l) => l.msg.startsWith('claiming due jobs failed'))).toBe(true);
  });

  describe('as the admin API drives it', () => {
    it('lists jobs, retries a failed one now, and cancels a pending one', async () => {
      const h = harness();
      let fail = true;
      const r = recorder();
      h.scheduler.handle(
        'reminder',
        async (job) => {
          if (fail) throw new Error('down');
          await r.handler(job);
        },
        { idempotent: false },
      );
      const failing = await h.scheduler.add({ kind: 'reminder', dueAtMs: T0, maxAttempts: 1 });
      const later = await h.scheduler.add({ kind: 'reminder', dueAtMs: T0 + H });
      h.scheduler.start();
      await h.clock.advance(1000);
      expect((await h.scheduler.list({ status: 'failed', limit: 10 })).map((j) => j.id)).toEqual([failing.id]);
      expect(await h.scheduler.retry(later.id)).toBe(false);
      fail = false;
      expect(await h.scheduler.retry(failing.id)).toBe(true);
      await h.clock.advance(0);
      expect(r.runs).toEqual([failing.id]);
      expect(await h.scheduler.cancel(later.id)).toBe(true);
      expect(await h.scheduler.cancel(later.id)).toBe(false);
      await h.clock.advance(2 * H);
      expect(r.runs).toEqual([failing.id]);
      expect((await h.scheduler.stats()).byStatus).toMatchObject({ done: 1, cancelled: 1 });
    });
  });

  describe('options and bad jobs', () => {
    it('refuses a lease shorter than twice a handler timeout, and bad numbers', () => {
      expect(() => harness({ leaseMs: 10_000, handlerTimeoutMs: 6000 })).toThrow(
        /leaseMs \(10000\) must be at least twice/,
      );
      const h = harness({ leaseMs: 10_000, handlerTimeoutMs: 5000 });
      expect(() => h.scheduler.handle('x', never, { idempotent: true, timeoutMs: 6000 })).toThrow(
        expect.objectContaining({ code: 'INVALID_OPTION', option: 'timeoutMs' }),
      );
      expect(() => harness({ maxConcurrency: 0 })).toThrow(/maxConcurrency must be a positive integer/);
      expect(() => harness({ owner: '' })).toThrow(/owner/);
      h.scheduler.handle('x', never, { idempotent: true });
      expect(() => h.scheduler.handle('x', never, { idempotent: true })).toThrow(/already have a handler/);
    });

    it('refuses a job with a bad schedule or numbers before storing it', async () => {
      const h = harness();
      await expect(
        h.scheduler.add({ kind: 'x', dueAtMs: T0, schedule: { kind: 'cron', pattern: '0 99 * * *' } }),
      ).rejects.toMatchObject({ code: 'INVALID_CRON' });
      await expect(h.scheduler.add({ kind: 'x', dueAtMs: Number.NaN })).rejects.toMatchObject({
        code: 'INVALID_OPTION',
      });
      await expect(h.scheduler.add({ kind: 'x', dueAtMs: T0, maxAttempts: 0 })).rejects.toMatchObject({
        code: 'INVALID_OPTION',
      });
      expect(await h.store.countByStatus()).toMatchObject({ pending: 0 });
    });

    it('exports its figures as lekha_scheduler_* metrics', () => {
      const h = harness();
      const names = [...h.metrics.all()].map((m) => m.name);
      expect(names).toEqual(
        expect.arrayContaining([
          'lekha_scheduler_executed_total',
          'lekha_scheduler_succeeded_total',
          'lekha_scheduler_failed_total',
          'lekha_scheduler_retried_total',
          'lekha_scheduler_in_doubt_total',
          'lekha_scheduler_lateness_ms',
          'lekha_scheduler_running',
        ]),
      );
    });
  });
});
