/**
 * Durable jobs: reminders members set and the recurring jobs of plugins.
 * Kept in storage (Postgres or PGlite) so a job survives restarts and is
 * delivered once across processes.
 *
 * A job's life: `pending` until due; `claimed` by one process for a lease;
 * `delivering` once that process is about to cause its effect (the mark is
 * durable before the effect, like a reply's `sending` mark); then `done`, or
 * back to `pending` for a retry or the next run of a recurring job, or
 * `failed` (out of attempts: a dead letter with its error), `cancelled`, or
 * `in_doubt` (its process died while delivering: it may have happened, so it
 * is never run again).
 */
export type JobStatus = 'pending' | 'claimed' | 'delivering' | 'done' | 'failed' | 'cancelled' | 'in_doubt';

/** What a recurring job does about runs it missed while no process was up. */
export type MissedRunPolicy = 'run-once' | 'skip';

/** When a job runs again: never (one-off), every so many ms, or on a cron pattern (in a time zone). */
export type JobSchedule =
  { kind: 'once' } | { kind: 'every'; everyMs: number } | { kind: 'cron'; pattern: string; timeZone?: string };

export interface Job {
  readonly id: number;
  /** `reminder`, or `plugin:<name>:<job>` for a plugin's recurring job. */
  readonly kind: string;
  /** A recurring job's unique key (one row per plugin job); null for reminders. */
  readonly key: string | null;
  readonly chatId: number | null;
  readonly userId: number | null;
  /** Reminders: the text to send (personal data: never log it). Plugin jobs: empty. */
  readonly text: string;
  readonly dueAtMs: number;
  readonly status: JobStatus;
  /** Runs started so far for the current due time (retries count). */
  readonly attempts: number;
  readonly maxAttempts: number;
  readonly schedule: JobSchedule;
  readonly missedRuns: MissedRunPolicy;
  readonly lastError: string | null;
  readonly createdAtMs: number;
  readonly updatedAtMs: number;
}

export interface NewJob {
  kind: string;
  key?: string | null;
  chatId?: number | null;
  userId?: number | null;
  text?: string;
  dueAtMs: number;
  maxAttempts?: number;
  schedule?: JobSchedule;
  missedRuns?: MissedRunPolicy;
}

/** A job handed to one process: it alone may move it on while `leaseUntilMs` has not passed. */
export interface ClaimedJob extends Job {
  readonly owner: string;
  readonly leaseUntilMs: number;
}

/** Which jobs to list (the admin API and `/reminders`). */
export interface JobQuery {
  status?: JobStatus | readonly JobStatus[];
  kind?: string;
  chatId?: number;
  userId?: number;
  /** Keyset paging: ids after this one, ascending by due time then id. */
  afterId?: number;
  limit: number;
}

/**
 * Where jobs live: `jobs` in Postgres/PGlite (claims with
 * `FOR UPDATE SKIP LOCKED`), or memory without storage. Every call that moves
 * a claimed job names its owner and succeeds only while that owner holds the
 * lease (false otherwise: another process took it over).
 */
/**
 * Which chats' jobs a claim may take. In cluster mode a member runs the jobs
 * of the chats it serves (partition by the runtime's `partitionOf`) and jobs
 * of no chat; a chat's job never lands where its chat is not.
 */
export interface JobClaimScope {
  readonly partitions: number;
  readonly owned: readonly number[];
}

export interface JobStore {
  add(job: NewJob): Promise<Job>;
  /** Adds a recurring job under `key`, or leaves the existing one be (its next due time stays): start-up registration. */
  ensureRecurring(job: NewJob & { key: string; schedule: Exclude<JobSchedule, { kind: 'once' }> }): Promise<Job>;
  /**
   * Claims up to `limit` due jobs for `owner`: pending ones due by `nowMs`,
   * and claimed ones whose lease expired. Jobs found `delivering` with an
   * expired lease are moved to `in_doubt` (counted in the answer), never
   * handed out again. Each claim counts as an attempt, so a job whose run
   * kills its process runs out of attempts instead of killing every process.
   * With `scope`, only jobs of no chat and jobs of chats in its partitions.
   */
  claimDue(
    owner: string,
    nowMs: number,
    leaseMs: number,
    limit: number,
    scope?: JobClaimScope,
  ): Promise<{ claimed: ClaimedJob[]; inDoubt: number }>;
  /** Marks the job `delivering` (durable once it resolves); false when the lease was lost. */
  startDelivery(id: number, owner: string): Promise<boolean>;
  /** The run succeeded: `done`, or `pending` at `nextDueAtMs` for a recurring job (attempts start again). */
  complete(id: number, owner: string, nextDueAtMs: number | null): Promise<boolean>;
  /**
   * The run failed: `pending` again at `retryAtMs`, or `failed` with the
   * error when `retryAtMs` is null. `nextRun` says `retryAtMs` is a
   * recurring job's next run rather than a retry, so its attempts start again.
   */
  fail(id: number, owner: string, error: string, retryAtMs: number | null, nextRun?: boolean): Promise<boolean>;
  /** A `delivering` job whose effect may or may not have happened (a timeout mid-send): `in_doubt` with the error. */
  markInDoubt(id: number, owner: string, error: string): Promise<boolean>;
  /** Gives back a `claimed` job that was not started (a stopping process): `pending` again, the claim's attempt undone. */
  release(id: number, owner: string): Promise<boolean>;
  /** Cancels a pending job; with `userId`, only that member's own. False when there was none to cancel. */
  cancel(id: number, userId?: number): Promise<boolean>;
  /** An operator's retry of a failed or in-doubt job: pending again, due at `dueAtMs`, attempts reset. */
  retry(id: number, dueAtMs: number): Promise<boolean>;
  get(id: number): Promise<Job | undefined>;
  list(query: JobQuery): Promise<Job[]>;
  /** Jobs not yet run (`pending`, `claimed`) of a chat, or of a member in a chat: per-chat and per-member limits. */
  countPending(query: { chatId: number; userId?: number }): Promise<number>;
  countByStatus(): Promise<Record<JobStatus, number>>;
}

/** The scheduler's figures since start, for `/api/scheduler` and `/metrics`. */
export interface SchedulerStats {
  executed: number;
  succeeded: number;
  failed: number;
  retried: number;
  inDoubt: number;
  /** How late runs started after their due time. */
  lateMs: { p50: number; p99: number };
  byStatus: Record<JobStatus, number>;
}

/** The scheduler as the admin API drives it. */
export interface SchedulerAdmin {
  stats(): Promise<SchedulerStats>;
  list(query: JobQuery): Promise<Job[]>;
  /** Runs a failed or in-doubt job again now; false when there is no such job in one of those states. */
  retry(id: number): Promise<boolean>;
  /** Cancels a pending job; false when there is none. */
  cancel(id: number): Promise<boolean>;
}
