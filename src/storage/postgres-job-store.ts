import type {
  ClaimedJob,
  Job,
  JobClaimScope,
  JobQuery,
  JobSchedule,
  JobStatus,
  JobStore,
  MissedRunPolicy,
  NewJob,
} from '../ports/index.js';
import type { FieldCipher } from '../ports/index.js';
import { partitionSql } from '../runtime/index.js';
import type { Queryable } from './database.js';
import { PlainCipher } from './plain-cipher.js';
import { jobDefaults, JOB_STATUSES } from './job-defaults.js';
import { StatementBatcher } from './statement-batcher.js';

interface JobRow {
  id: number;
  kind: string;
  key: string | null;
  chat_id: number | null;
  user_id: number | null;
  text_cipher: Uint8Array | null;
  text_key_id: number;
  due_ms: number;
  status: JobStatus;
  attempts: number;
  max_attempts: number;
  schedule_kind: JobSchedule['kind'];
  every_ms: number | null;
  cron_pattern: string | null;
  time_zone: string | null;
  missed_runs: MissedRunPolicy;
  last_error: string | null;
  locked_by: string | null;
  locked_until_ms: number | null;
  created_ms: number;
  updated_ms: number;
}

// Times come back as epoch milliseconds: cheaper to read than timestamps,
// and a claim reads hundreds of rows.
const ms = (column: string, table = 'jobs'): string => `round(extract(epoch FROM ${table}.${column}) * 1000)::float8`;
const columns = (table: string): string =>
  `${table}.id, ${table}.kind, ${table}.key, ${table}.chat_id, ${table}.user_id, ${table}.text_cipher,
  ${table}.text_key_id, ${ms('due_at', table)} AS due_ms, ${table}.status, ${table}.attempts, ${table}.max_attempts,
  ${table}.schedule_kind, ${table}.every_ms, ${table}.cron_pattern, ${table}.time_zone, ${table}.missed_runs,
  ${table}.last_error, ${table}.locked_by, ${ms('locked_until', table)} AS locked_until_ms,
  ${ms('created_at', table)} AS created_ms, ${ms('updated_at', table)} AS updated_ms`;
const COLUMNS = columns('jobs');
const INSERT = `INSERT INTO jobs (kind, key, chat_id, user_id, text_cipher, text_key_id, due_at, max_attempts,
  schedule_kind, every_ms, cron_pattern, time_zone, missed_runs, created_at, updated_at)
  VALUES ($1, $2, $3, $4, $5, $14, $6, $7, $8, $9, $10, $11, $12, $13, $13)`;

/**
 * Durable jobs in the `jobs` table, on a Postgres server or PGlite.
 *
 * Claims lock due rows with `FOR UPDATE SKIP LOCKED`, so processes claiming
 * at once each get different rows without waiting on one another, and write
 * the owner and lease end into the row. Every later move of a claimed job is
 * fenced on `locked_by` and the status it expects: a process whose lease ran
 * out and was taken over finds its update matching no row (false), whatever
 * its clock says. Times are the caller's clock (`nowMs`), not the server's.
 */
export class PostgresJobStore implements JobStore {
  // The two moves every run makes are batched: runs started or finished in
  // the same turn share one statement and one commit.
  private readonly deliveries: StatementBatcher<{ id: number; owner: string }, boolean>;
  private readonly completions: StatementBatcher<{ id: number; owner: string; nextDueAtMs: number | null }, boolean>;

  constructor(
    private readonly db: Queryable,
    private readonly clock: { now(): number } = Date,
    private readonly cipher: FieldCipher = new PlainCipher(),
  ) {
    // Rows are found by primary key (`id = ANY`): a join to the id list
    // would let the planner scan the whole table, which grows with every job run.
    this.deliveries = new StatementBatcher(async (requests) => {
      const moved: Array<{ id: number }> = [];
      // One store usually serves one owner: one statement per owner in the batch.
      for (const owner of new Set(requests.map((r) => r.owner))) {
        const result = await this.db.query<{ id: number }>(
          `UPDATE jobs SET status = 'delivering', updated_at = $3
           WHERE id = ANY($1::bigint[]) AND locked_by = $2 AND status = 'claimed'
           RETURNING id`,
          [requests.filter((r) => r.owner === owner).map((r) => r.id), owner, new Date(this.clock.now())],
        );
        moved.push(...result.rows);
      }
      return answered(requests, moved);
    });
    this.completions = new StatementBatcher(async (requests) => {
      // A one-off job keeps its owner as a record of who ran it; a recurring one is free for any.
      const result = await this.db.query<{ id: number }>(
        `UPDATE jobs SET
           status = CASE WHEN u.next_due_ms IS NULL THEN 'done' ELSE 'pending' END,
           due_at = CASE WHEN u.next_due_ms IS NULL THEN jobs.due_at ELSE to_timestamp(u.next_due_ms / 1000.0) END,
           attempts = CASE WHEN u.next_due_ms IS NULL THEN jobs.attempts ELSE 0 END,
           locked_by = CASE WHEN u.next_due_ms IS NULL THEN jobs.locked_by END,
           locked_until = NULL, updated_at = $4
         FROM unnest($1::bigint[], $2::text[], $3::float8[]) AS u(id, owner, next_due_ms)
         WHERE jobs.id = ANY($1::bigint[]) AND jobs.id = u.id AND jobs.locked_by = u.owner
           AND jobs.status IN ('claimed', 'delivering')
         RETURNING jobs.id`,
        [
          requests.map((r) => r.id),
          requests.map((r) => r.owner),
          requests.map((r) => r.nextDueAtMs),
          new Date(this.clock.now()),
        ],
      );
      return answered(requests, result.rows);
    });
  }

  async add(job: NewJob): Promise<Job> {
    const result = await this.db.query<JobRow>(`${INSERT} RETURNING ${COLUMNS}`, this.insertParams(job));
    return jobOf(result.rows[0] as JobRow, this.cipher);
  }

  async ensureRecurring(job: NewJob & { key: string; schedule: Exclude<JobSchedule, { kind: 'once' }> }): Promise<Job> {
    // The schedule and policy follow the code that registers the job; the
    // next due time and state stay, so a restart neither skips nor repeats a run.
    const result = await this.db.query<JobRow>(
      `${INSERT} ON CONFLICT (key) WHERE key IS NOT NULL DO UPDATE SET
         max_attempts = EXCLUDED.max_attempts, schedule_kind = EXCLUDED.schedule_kind, every_ms = EXCLUDED.every_ms,
         cron_pattern = EXCLUDED.cron_pattern, time_zone = EXCLUDED.time_zone, missed_runs = EXCLUDED.missed_runs
       RETURNING ${COLUMNS}`,
      this.insertParams(job),
    );
    return jobOf(result.rows[0] as JobRow, this.cipher);
  }

  async claimDue(
    owner: string,
    nowMs: number,
    leaseMs: number,
    limit: number,
    scope?: JobClaimScope,
  ): Promise<{ claimed: ClaimedJob[]; inDoubt: number }> {
    const inScope =
      scope === undefined ? '' : `AND (chat_id IS NULL OR ${partitionSql('chat_id', '$6::bigint')} = ANY($7::int[]))`;
    // Expired leases first (rare, and their jobs are the latest), then due
    // jobs in due order. A `delivering` job whose lease ran out may have been
    // delivered: it becomes `in_doubt` and is not handed out.
    const result = await this.db.query<JobRow>(
      `WITH expired AS (
         SELECT id FROM jobs WHERE status IN ('claimed', 'delivering') AND locked_until <= $1 ${inScope}
         ORDER BY locked_until LIMIT $4 FOR UPDATE SKIP LOCKED
       ), due AS (
         SELECT id FROM jobs WHERE status = 'pending' AND due_at <= $1 ${inScope}
         ORDER BY due_at, id LIMIT $4 FOR UPDATE SKIP LOCKED
       ), picked AS (
         SELECT id FROM (SELECT id, 0 AS rank FROM expired UNION ALL SELECT id, 1 FROM due) AS both_kinds
         ORDER BY rank LIMIT $4
       )
       UPDATE jobs SET
         status = CASE WHEN jobs.status = 'delivering' THEN 'in_doubt' ELSE 'claimed' END,
         attempts = CASE WHEN jobs.status = 'delivering' THEN jobs.attempts ELSE jobs.attempts + 1 END,
         last_error = CASE WHEN jobs.status = 'delivering' THEN $5 ELSE jobs.last_error END,
         locked_by = CASE WHEN jobs.status = 'delivering' THEN jobs.locked_by ELSE $2 END,
         locked_until = CASE WHEN jobs.status = 'delivering' THEN NULL ELSE $3::timestamptz END,
         updated_at = $1
       WHERE jobs.id = ANY(ARRAY(SELECT id FROM picked))
       RETURNING ${COLUMNS}`,
      [
        new Date(nowMs),
        owner,
        new Date(nowMs + leaseMs),
        limit,
        LEASE_LOST_MID_DELIVERY,
        ...(scope === undefined ? [] : [scope.partitions, scope.owned]),
      ],
    );
    const claimed: ClaimedJob[] = [];
    let inDoubt = 0;
    for (const row of result.rows) {
      if (row.status === 'in_doubt') inDoubt++;
      else claimed.push(claimedOf(row, this.cipher));
    }
    claimed.sort((a, b) => a.dueAtMs - b.dueAtMs || a.id - b.id);
    return { claimed, inDoubt };
  }

  startDelivery(id: number, owner: string): Promise<boolean> {
    return this.deliveries.call({ id, owner });
  }

  complete(id: number, owner: string, nextDueAtMs: number | null): Promise<boolean> {
    return this.completions.call({ id, owner, nextDueAtMs });
  }

  fail(id: number, owner: string, error: string, retryAtMs: number | null, nextRun = false): Promise<boolean> {
    return retryAtMs === null
      ? this.move(id, owner, ['claimed', 'delivering'], `status = 'failed', last_error = $4, locked_until = NULL`, [
          error,
        ])
      : this.move(
          id,
          owner,
          ['claimed', 'delivering'],
          `status = 'pending', last_error = $4, due_at = $5, locked_by = NULL, locked_until = NULL
           ${nextRun ? ', attempts = 0' : ''}`,
          [error, new Date(retryAtMs)],
        );
  }

  markInDoubt(id: number, owner: string, error: string): Promise<boolean> {
    return this.move(id, owner, ['delivering'], `status = 'in_doubt', last_error = $4, locked_until = NULL`, [error]);
  }

  release(id: number, owner: string): Promise<boolean> {
    return this.move(
      id,
      owner,
      ['claimed'],
      `status = 'pending', attempts = attempts - 1, locked_by = NULL, locked_until = NULL`,
      [],
    );
  }

  async cancel(id: number, userId?: number): Promise<boolean> {
    const result = await this.db.query(
      `UPDATE jobs SET status = 'cancelled', updated_at = $2
       WHERE id = $1 AND status = 'pending' ${userId === undefined ? '' : 'AND user_id = $3'}`,
      userId === undefined ? [id, new Date(this.clock.now())] : [id, new Date(this.clock.now()), userId],
    );
    return result.rowCount > 0;
  }

  async retry(id: number, dueAtMs: number): Promise<boolean> {
    const result = await this.db.query(
      `UPDATE jobs SET status = 'pending', due_at = $2, attempts = 0, locked_by = NULL, locked_until = NULL,
         updated_at = $3
       WHERE id = $1 AND status IN ('failed', 'in_doubt')`,
      [id, new Date(dueAtMs), new Date(this.clock.now())],
    );
    return result.rowCount > 0;
  }

  async get(id: number): Promise<Job | undefined> {
    const result = await this.db.query<JobRow>(`SELECT ${COLUMNS} FROM jobs WHERE id = $1`, [id]);
    const row = result.rows[0];
    return row === undefined ? undefined : jobOf(row, this.cipher);
  }

  async list(query: JobQuery): Promise<Job[]> {
    const params: unknown[] = [];
    const where: string[] = [];
    const param = (value: unknown): string => {
      params.push(value);
      return `$${params.length}`;
    };
    if (query.status !== undefined) {
      const statuses = typeof query.status === 'string' ? [query.status] : [...query.status];
      where.push(`status = ANY(${param(statuses)}::text[])`);
    }
    if (query.kind !== undefined) where.push(`kind = ${param(query.kind)}`);
    if (query.chatId !== undefined) where.push(`chat_id = ${param(query.chatId)}`);
    if (query.userId !== undefined) where.push(`user_id = ${param(query.userId)}`);
    if (query.afterId !== undefined) {
      const after = param(query.afterId);
      where.push(`(due_at, id) > (SELECT due_at, id FROM jobs WHERE id = ${after})`);
    }
    const result = await this.db.query<JobRow>(
      `SELECT ${COLUMNS} FROM jobs ${where.length === 0 ? '' : `WHERE ${where.join(' AND ')}`}
       ORDER BY due_at, id LIMIT ${param(query.limit)}`,
      params,
    );
    return result.rows.map((row) => jobOf(row, this.cipher));
  }

  async countPending(query: { chatId: number; userId?: number }): Promise<number> {
    // Two counts so each part has its index: pending by chat or member, claimed among the few leased.
    const member = query.userId === undefined ? '' : 'AND user_id = $2';
    const result = await this.db.query<{ n: number }>(
      `SELECT (SELECT count(*) FROM jobs WHERE status = 'pending' AND chat_id = $1 ${member})::int
            + (SELECT count(*) FROM jobs WHERE status = 'claimed' AND locked_until IS NOT NULL AND chat_id = $1 ${member})::int
              AS n`,
      query.userId === undefined ? [query.chatId] : [query.chatId, query.userId],
    );
    return result.rows[0]?.n ?? 0;
  }

  async countByStatus(): Promise<Record<JobStatus, number>> {
    const result = await this.db.query<{ status: JobStatus; n: number }>(
      'SELECT status, count(*)::int AS n FROM jobs GROUP BY status',
    );
    const counts = Object.fromEntries(JOB_STATUSES.map((s) => [s, 0])) as Record<JobStatus, number>;
    for (const row of result.rows) counts[row.status] = row.n;
    return counts;
  }

  /** Moves a job its owner holds in one of `from`; `set` uses `$4…` for `params`. */
  private async move(
    id: number,
    owner: string,
    from: readonly JobStatus[],
    set: string,
    params: readonly unknown[],
  ): Promise<boolean> {
    const result = await this.db.query(
      `UPDATE jobs SET ${set}, updated_at = $3
       WHERE id = $1 AND locked_by = $2 AND status IN (${from.map((s) => `'${s}'`).join(', ')})`,
      [id, owner, new Date(this.clock.now()), ...params],
    );
    return result.rowCount > 0;
  }

  private insertParams(job: NewJob): unknown[] {
    const full = jobDefaults(job);
    const schedule = full.schedule;
    const sealed = full.text === '' ? null : this.cipher.sealText(full.text);
    return [
      full.kind,
      full.key,
      full.chatId,
      full.userId,
      sealed === null ? null : sealed.bytes,
      new Date(full.dueAtMs),
      full.maxAttempts,
      schedule.kind,
      schedule.kind === 'every' ? schedule.everyMs : null,
      schedule.kind === 'cron' ? schedule.pattern : null,
      schedule.kind === 'cron' ? (schedule.timeZone ?? null) : null,
      full.missedRuns,
      new Date(this.clock.now()),
      sealed?.keyId ?? this.cipher.writeKeyId,
    ];
  }
}

/** What an in-doubt job's error says: nothing of the job itself, only what happened to it. */
const LEASE_LOST_MID_DELIVERY = 'its process stopped while delivering it (lease expired); it may have been delivered';

/** Which requests of a batch found their row: those whose id came back. */
function answered(requests: readonly { id: number }[], rows: readonly { id: number }[]): boolean[] {
  const moved = new Set(rows.map((r) => r.id));
  return requests.map((r) => moved.has(r.id));
}

function jobOf(row: JobRow, cipher: FieldCipher): Job {
  const schedule: JobSchedule =
    row.schedule_kind === 'every'
      ? { kind: 'every', everyMs: row.every_ms as number }
      : row.schedule_kind === 'cron'
        ? {
            kind: 'cron',
            pattern: row.cron_pattern as string,
            ...(row.time_zone === null ? {} : { timeZone: row.time_zone }),
          }
        : { kind: 'once' };
  return {
    id: row.id,
    kind: row.kind,
    key: row.key,
    chatId: row.chat_id,
    userId: row.user_id,
    text: row.text_cipher === null ? '' : cipher.openText(row.text_cipher, row.text_key_id),
    dueAtMs: row.due_ms,
    status: row.status,
    attempts: row.attempts,
    maxAttempts: row.max_attempts,
    schedule,
    missedRuns: row.missed_runs,
    lastError: row.last_error,
    createdAtMs: row.created_ms,
    updatedAtMs: row.updated_ms,
  };
}

function claimedOf(row: JobRow, cipher: FieldCipher): ClaimedJob {
  return { ...jobOf(row, cipher), owner: row.locked_by as string, leaseUntilMs: row.locked_until_ms as number };
}
