import type {
  ClaimedJob,
  Job,
  JobClaimScope,
  JobQuery,
  JobSchedule,
  JobStore,
  NewJob,
  SchedulerAdmin,
  SchedulerStats,
} from '../ports/index.js';
import {
  Backoff,
  type BackoffOptions,
  type Clock,
  InvalidOptionError,
  LekhaError,
  type Logger,
  type MetricsRegistry,
  type RandomSource,
  type TimerHandle,
} from '../runtime/index.js';
import { JobHandlerMissingError, JobInDoubtError, JobOutOfAttemptsError, JobTimeoutError } from './errors.js';
import { failureText } from './failure-text.js';
import { planRun, type RunPlan } from './run-plan.js';
import { validateSchedule } from './schedule.js';
import { SchedulerMetrics } from './scheduler-metrics.js';

/**
 * Runs one claimed job. It gets a signal that aborts at its timeout; it
 * resolves when the job's effect is done and throws when it failed (a
 * retry follows, unless the error is a `LekhaError` that is not retryable).
 */
export type JobHandler = (job: ClaimedJob, signal: AbortSignal) => Promise<void>;

export interface JobHandlerOptions {
  /**
   * Whether running the job a second time is harmless. False for anything a
   * person sees (a reminder sent): the job is then marked `delivering`
   * before the handler starts, so if the process dies, or the handler times
   * out or throws {@link JobInDoubtError} while delivering, the job becomes
   * `in_doubt` and is never run again. True jobs are simply run again.
   */
  idempotent: boolean;
  /** Longest run before the signal aborts and the run counts as failed; the scheduler's `handlerTimeoutMs` by default. */
  timeoutMs?: number;
}

export interface SchedulerOptions {
  store: JobStore;
  clock: Clock;
  /** This process's name in claims: unique per process (host, pid and a random part), never reused. */
  owner: string;
  logger: Logger;
  metrics: MetricsRegistry;
  /**
   * How long a claim holds a job. Leases are never renewed mid-run; instead
   * a run is cut off at its handler's timeout, so the lease must outlast the
   * longest timeout with room for the writes around the run: at least twice
   * it (checked). A process that dies holds its jobs this long before
   * another takes them over. Default 60 s.
   */
  leaseMs?: number;
  /**
   * Cluster mode: the partitions whose chats' jobs this member may claim,
   * read at every claim (jobs of no chat go to any member). Absent: all.
   */
  scope?: () => JobClaimScope;
  /** How often due jobs are looked for when none is known to be due sooner: the lateness of a job added by another process. Default 250 ms. */
  pollMs?: number;
  /** Most jobs claimed by one query. Default 64. */
  batch?: number;
  /** Most jobs running at once in this process; only free slots are claimed for. Default 64. */
  maxConcurrency?: number;
  /** Default handler timeout. Default 20 s. */
  handlerTimeoutMs?: number;
  /** Delays between a job's failed run and its retry. Default 10 s doubling up to 1 h. */
  retry?: BackoffOptions;
  /** Jitter source for retry delays; tests pass `noJitter`. */
  random?: RandomSource;
  /** A recurring run starting later than this after its due time counts as missed (see `planRun`). Default 60 s. */
  missedGraceMs?: number;
}

interface Registered {
  run: JobHandler;
  idempotent: boolean;
  timeoutMs: number;
}

type State = 'new' | 'running' | 'stopping' | 'stopped';

/**
 * Runs due jobs from a {@link JobStore} in this process, alongside any
 * number of other processes on the same store: each job is claimed by one of
 * them for a lease, run by the handler registered for its kind, and then
 * completed, retried with backoff, or dead-lettered. A job whose process died
 * is taken over when its lease ends — or, if it was being delivered, marked
 * in doubt and left alone, so a person never gets the same reminder twice.
 *
 * Handlers run as side effects outside any actor turn; at most
 * `maxConcurrency` at once. The scheduler also serves the admin view.
 *
 * Due times and leases are read on each process's own clock: processes
 * sharing a store need clocks that agree to well within `leaseMs` (NTP
 * does). A clock far ahead takes leases over early — a delivering job then
 * becomes in doubt, an idempotent one may run twice; never a reminder twice.
 */
export class Scheduler implements SchedulerAdmin {
  readonly owner: string;
  private readonly store: JobStore;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly metrics: SchedulerMetrics;
  private readonly leaseMs: number;
  private readonly pollMs: number;
  private readonly batch: number;
  private readonly maxConcurrency: number;
  private readonly handlerTimeoutMs: number;
  private readonly missedGraceMs: number;
  private readonly backoff: Backoff;
  private readonly scope: (() => JobClaimScope) | undefined;
  private readonly handlers = new Map<string, Registered>();
  private readonly running = new Map<number, Promise<void>>();
  private readonly missingKinds = new Set<string>();
  private state: State = 'new';
  private timer: TimerHandle | undefined;
  private timerDueMs = Number.POSITIVE_INFINITY;
  private polling: Promise<void> | undefined;
  private pollAgain = false;
  private moreDue = false;

  constructor(options: SchedulerOptions) {
    this.store = options.store;
    this.clock = options.clock;
    this.owner = options.owner;
    this.scope = options.scope;
    this.logger = options.logger;
    this.leaseMs = positive('leaseMs', options.leaseMs ?? 60_000);
    this.pollMs = positive('pollMs', options.pollMs ?? 250);
    this.batch = positive('batch', options.batch ?? 64);
    this.maxConcurrency = positive('maxConcurrency', options.maxConcurrency ?? 64);
    this.handlerTimeoutMs = positive('handlerTimeoutMs', options.handlerTimeoutMs ?? 20_000);
    this.missedGraceMs = positive('missedGraceMs', options.missedGraceMs ?? 60_000);
    this.backoff = new Backoff({ minMs: 10_000, maxMs: 3_600_000, ...options.retry }, options.random);
    if (this.owner === '') throw new InvalidOptionError('owner', 'the scheduler needs a non-empty owner name');
    this.checkTimeout('handlerTimeoutMs', this.handlerTimeoutMs);
    this.metrics = new SchedulerMetrics(options.metrics, { running: () => this.running.size });
  }

  /** Registers the handler of jobs of `kind` (one per kind). Register before `start`, or jobs of the kind fail meanwhile. */
  handle(kind: string, run: JobHandler, options: JobHandlerOptions): void {
    if (this.handlers.has(kind)) throw new InvalidOptionError('kind', `jobs of kind ${kind} already have a handler`);
    const timeoutMs = positive('timeoutMs', options.timeoutMs ?? this.handlerTimeoutMs);
    this.checkTimeout('timeoutMs', timeoutMs);
    this.handlers.set(kind, { run, idempotent: options.idempotent, timeoutMs });
  }

  /** Starts looking for due jobs. */
  start(): void {
    if (this.state !== 'new') return;
    this.state = 'running';
    this.wake(this.clock.now());
  }

  /**
   * Stops claiming, gives back jobs claimed and not started, and waits for
   * the running handlers (each ends by its timeout at the latest). Jobs whose
   * final write fails stay with their lease and are taken over after it.
   */
  async stop(): Promise<void> {
    if (this.state === 'stopped' || this.state === 'stopping') return this.stopped();
    this.state = 'stopping';
    if (this.timer !== undefined) this.clock.clearTimer(this.timer);
    this.timer = undefined;
    await this.stopped();
    this.state = 'stopped';
  }

  /** Stores a new job and makes sure it runs on time even if that is before the next poll. */
  async add(job: NewJob): Promise<Job> {
    validateJob(job);
    const added = await this.store.add(job);
    this.wake(added.dueAtMs);
    return added;
  }

  /** Registers a plugin's recurring job at start-up (see {@link JobStore.ensureRecurring}). */
  async ensureRecurring(job: NewJob & { key: string; schedule: Exclude<JobSchedule, { kind: 'once' }> }): Promise<Job> {
    validateJob(job);
    const stored = await this.store.ensureRecurring(job);
    this.wake(stored.dueAtMs);
    return stored;
  }

  async stats(): Promise<SchedulerStats> {
    return {
      executed: this.metrics.executed.value,
      succeeded: this.metrics.succeeded.value,
      failed: this.metrics.failed.value,
      retried: this.metrics.retried.value,
      inDoubt: this.metrics.inDoubt.value,
      lateMs: { p50: this.metrics.lateness.percentileMs(50), p99: this.metrics.lateness.percentileMs(99) },
      byStatus: await this.store.countByStatus(),
    };
  }

  list(query: JobQuery): Promise<Job[]> {
    return this.store.list(query);
  }

  async retry(id: number): Promise<boolean> {
    const now = this.clock.now();
    const retried = await this.store.retry(id, now);
    if (retried) this.wake(now);
    return retried;
  }

  cancel(id: number): Promise<boolean> {
    return this.store.cancel(id);
  }

  private async stopped(): Promise<void> {
    while (this.polling !== undefined || this.running.size > 0) {
      await this.polling;
      await Promise.all(this.running.values());
    }
  }

  /** Makes sure a poll happens by `atMs`. */
  private wake(atMs: number): void {
    if (this.state !== 'running' || atMs >= this.timerDueMs) return;
    if (this.timer !== undefined) this.clock.clearTimer(this.timer);
    this.timerDueMs = atMs;
    this.timer = this.clock.setTimer(
      () => {
        this.timer = undefined;
        this.timerDueMs = Number.POSITIVE_INFINITY;
        this.poll();
      },
      Math.max(0, atMs - this.clock.now()),
    );
  }

  private poll(): void {
    if (this.state !== 'running') return;
    if (this.polling !== undefined) {
      this.pollAgain = true;
      return;
    }
    this.polling = this.claim().finally(() => {
      this.polling = undefined;
      if (this.pollAgain) {
        this.pollAgain = false;
        this.poll();
      }
    });
  }

  private async claim(): Promise<void> {
    const free = this.maxConcurrency - this.running.size;
    if (free <= 0) {
      // Saturated: a run that ends polls again (see `ended`).
      this.moreDue = true;
      return;
    }
    const limit = Math.min(this.batch, free);
    let full = false;
    try {
      const { claimed, inDoubt } = await this.store.claimDue(
        this.owner,
        this.clock.now(),
        this.leaseMs,
        limit,
        this.scope?.(),
      );
      if (inDoubt > 0) {
        this.metrics.inDoubt.inc(inDoubt);
        this.logger.warn({ jobs: inDoubt }, 'jobs whose process stopped while delivering them are now in doubt');
      }
      for (const job of claimed) this.launch(job);
      full = claimed.length + inDoubt >= limit;
    } catch (error) {
      this.metrics.storeFailures.inc();
      this.logger.warn({ err: errorSummary(error) }, 'claiming due jobs failed; trying again at the next poll');
    }
    this.moreDue = full;
    if (full && this.running.size < this.maxConcurrency) this.pollAgain = true;
    this.wake(this.clock.now() + this.pollMs);
  }

  private launch(job: ClaimedJob): void {
    if (this.state !== 'running') {
      void this.move(job, 'release', () => this.store.release(job.id, this.owner));
      return;
    }
    if (this.running.has(job.id)) {
      // Our own earlier claim of it is still running past its lease (slow
      // store writes): the running one finishes it; a second run would not.
      this.logger.warn({ jobId: job.id, kind: job.kind }, 'job claimed again while its run is still going');
      return;
    }
    const run = this.runJob(job).finally(() => this.ended(job.id));
    this.running.set(job.id, run);
  }

  private ended(id: number): void {
    this.running.delete(id);
    // Refill once half the slots (or a batch) are free, so a saturated
    // scheduler claims in batches rather than one job per finished run.
    const refillAt = Math.min(this.batch, Math.ceil(this.maxConcurrency / 2));
    if (this.moreDue && this.maxConcurrency - this.running.size >= refillAt) this.poll();
  }

  private async runJob(job: ClaimedJob): Promise<void> {
    const nowMs = this.clock.now();
    const plan = planRun(job, nowMs, this.missedGraceMs);
    if (job.attempts > job.maxAttempts) {
      await this.settleFailure(job, new JobOutOfAttemptsError(job.attempts - 1), false, plan);
      return;
    }
    if (!plan.run) {
      this.metrics.skipped.inc();
      await this.moveAndWake(job, 'complete', plan.nextDueAtMs, () =>
        this.store.complete(job.id, this.owner, plan.nextDueAtMs),
      );
      return;
    }
    this.metrics.executed.inc();
    this.metrics.lateness.recordMs(Math.max(0, nowMs - job.dueAtMs));
    const handler = this.handlers.get(job.kind);
    let delivering = false;
    try {
      if (handler === undefined) throw this.missing(job.kind);
      if (!handler.idempotent) {
        if (!(await this.move(job, 'startDelivery', () => this.store.startDelivery(job.id, this.owner)))) return;
        delivering = true;
      }
      await this.invoke(handler, job);
    } catch (error) {
      await this.settleFailure(job, error, delivering, plan);
      return;
    }
    this.metrics.succeeded.inc();
    await this.moveAndWake(job, 'complete', plan.nextDueAtMs, () =>
      this.store.complete(job.id, this.owner, plan.nextDueAtMs),
    );
  }

  private invoke(handler: Registered, job: ClaimedJob): Promise<void> {
    const controller = new AbortController();
    return new Promise<void>((resolve, reject) => {
      const timer = this.clock.setTimer(() => {
        const timeout = new JobTimeoutError(handler.timeoutMs);
        controller.abort(timeout);
        reject(timeout);
      }, handler.timeoutMs);
      const settle = (error?: unknown): void => {
        this.clock.clearTimer(timer);
        if (error === undefined) resolve();
        else reject(error);
      };
      try {
        handler.run(job, controller.signal).then(
          () => settle(),
          (error: unknown) => settle(error ?? 'failed'),
        );
      } catch (error) {
        settle(error ?? 'failed');
      }
    });
  }

  private async settleFailure(job: ClaimedJob, error: unknown, delivering: boolean, plan: RunPlan): Promise<void> {
    const text = failureText(error, job);
    const log = { jobId: job.id, kind: job.kind, attempts: job.attempts, err: text };
    if (delivering && (error instanceof JobTimeoutError || error instanceof JobInDoubtError)) {
      this.metrics.inDoubt.inc();
      this.logger.warn(log, 'job may or may not have been delivered; it is in doubt and will not run again');
      await this.move(job, 'markInDoubt', () => this.store.markInDoubt(job.id, this.owner, text));
      return;
    }
    const retryable = !(error instanceof LekhaError) || error.retryable;
    if (retryable && job.attempts < job.maxAttempts) {
      this.metrics.retried.inc();
      const retryAtMs = this.clock.now() + this.backoff.delayMs(job.attempts);
      this.logger.info({ ...log, retryAtMs }, 'job run failed; retrying later');
      await this.moveAndWake(job, 'fail', retryAtMs, () => this.store.fail(job.id, this.owner, text, retryAtMs));
      return;
    }
    this.metrics.failed.inc();
    const nextRunMs = plan.nextDueAtMs;
    if (nextRunMs !== null) {
      this.logger.warn(log, 'recurring job failed for good this time; it runs again at its next slot');
      await this.moveAndWake(job, 'fail', nextRunMs, () => this.store.fail(job.id, this.owner, text, nextRunMs, true));
      return;
    }
    this.logger.warn(log, 'job failed for good and is dead-lettered');
    await this.move(job, 'fail', () => this.store.fail(job.id, this.owner, text, null));
  }

  /** A move that leaves the job due again at `dueAtMs`: this process polls by then, whatever its poll interval. */
  private async moveAndWake(
    job: ClaimedJob,
    what: string,
    dueAtMs: number | null,
    write: () => Promise<boolean>,
  ): Promise<void> {
    if ((await this.move(job, what, write)) && dueAtMs !== null) this.wake(dueAtMs);
  }

  /** Runs one store move of a claimed job; false when the lease was lost or the store failed (both logged). */
  private async move(job: ClaimedJob, what: string, write: () => Promise<boolean>): Promise<boolean> {
    try {
      if (await write()) return true;
      this.metrics.leaseLost.inc();
      this.logger.warn({ jobId: job.id, kind: job.kind, move: what }, 'job was taken over by another process');
    } catch (error) {
      this.metrics.storeFailures.inc();
      this.logger.warn(
        { jobId: job.id, kind: job.kind, move: what, err: errorSummary(error) },
        'job store write failed; the job is taken over when its lease ends',
      );
    }
    return false;
  }

  private missing(kind: string): JobHandlerMissingError {
    if (!this.missingKinds.has(kind)) {
      this.missingKinds.add(kind);
      this.logger.warn({ kind }, 'claimed a job of a kind with no handler in this process');
    }
    return new JobHandlerMissingError(kind);
  }

  private checkTimeout(option: string, timeoutMs: number): void {
    if (this.leaseMs < 2 * timeoutMs) {
      throw new InvalidOptionError(
        option,
        `leaseMs (${this.leaseMs}) must be at least twice the handler timeout (${timeoutMs}): leases are not renewed mid-run`,
      );
    }
  }
}

function positive(option: string, value: number): number {
  if (!(Number.isSafeInteger(value) && value > 0)) {
    throw new InvalidOptionError(option, `${option} must be a positive integer, got ${value}`);
  }
  return value;
}

function validateJob(job: NewJob): void {
  if (job.kind === '') throw new InvalidOptionError('kind', 'a job needs a kind');
  if (!Number.isFinite(job.dueAtMs))
    throw new InvalidOptionError('dueAtMs', `dueAtMs must be a time, got ${job.dueAtMs}`);
  if (job.maxAttempts !== undefined) positive('maxAttempts', job.maxAttempts);
  if (job.schedule !== undefined) validateSchedule(job.schedule);
}

/** An error as a log field: its code and message, never a stack with data in it. */
function errorSummary(error: unknown): string {
  if (error instanceof LekhaError) return `${error.code}: ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}
