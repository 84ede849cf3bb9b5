import {
  Backoff,
  type BackoffOptions,
  type Clock,
  InvalidOptionError,
  type Logger,
  MetricsRegistry,
  SystemClock,
  type TimerHandle,
} from '../runtime/index.js';
import type { Database } from './database.js';
import { AppendQueueFullError } from './errors.js';

/** One column of an append-only table: its name, Postgres type and where its value comes from. */
export interface AppendColumn<R> {
  readonly name: string;
  /** Element type for the `unnest($n::<type>[])` parameter, e.g. `bigint`, `text`, `bytea`, `jsonb`. */
  readonly type: string;
  /**
   * The column's own type when its values are sent as another one and cast:
   * a `text[]` column is sent as `text` array literals (`{"a","b"}`), since
   * `unnest` of an array of arrays flattens it.
   */
  readonly cast?: string;
  value(row: R): unknown;
}

/** An append-only table written in batches. */
export interface AppendTable<R> {
  readonly name: string;
  readonly columns: readonly AppendColumn<R>[];
  /**
   * The columns of a unique key. A row already stored under it is skipped,
   * so a batch retried after an unclear failure (committed, then the
   * connection dropped) writes nothing twice.
   */
  readonly conflict: readonly string[];
  /**
   * Makes the table an upsert: a row whose `conflict` key is stored replaces
   * these columns (last write wins), except `greatest` ones, which keep the
   * larger of both values. Within one batch the last row of each key wins.
   * Absent: a stored key is skipped.
   */
  readonly upsert?: {
    readonly replace: readonly string[];
    readonly greatest?: readonly string[];
    readonly touch?: string;
  };
  /**
   * A statement run in the same INSERT with the rows actually inserted (not
   * those skipped as already stored), available to it as the CTE `inserted`
   * with the `returning` columns: counters derived from new rows stay exact
   * when a batch is retried.
   */
  readonly afterInsert?: { readonly returning: readonly string[]; readonly sql: string };
}

export interface AppendWriterOptions {
  db: Database;
  /** Period of the background flush. */
  intervalMs: number;
  /** Rows in one INSERT. */
  maxBatchRows?: number;
  /** Rows waiting over all tables before `append` refuses more (the database is down). */
  maxQueuedRows?: number;
  retry?: BackoffOptions;
  clock?: Clock;
  metrics?: MetricsRegistry;
  logger?: Logger;
}

export interface AppendWriterStats {
  queued: number;
  written: number;
  rejected: number;
  writeFailures: number;
}

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;
const TYPE = /^[a-z_][a-z0-9_ ]*$/;
const CAST = /^[a-z_][a-z0-9_ ]*(\[\])?$/;

/** Rows of one table waiting to be written, in append order. */
class TableQueue<R> {
  rows: R[] = [];
  appended = 0;
  /** Rows taken off the queue: written, or rejected for bad data. */
  done = 0;
  readonly sql: string;

  constructor(readonly table: AppendTable<R>) {
    const upsert = table.upsert;
    const names = [
      table.name,
      ...table.columns.map((c) => c.name),
      ...table.conflict,
      ...(upsert?.replace ?? []),
      ...(upsert?.greatest ?? []),
      ...(upsert?.touch === undefined ? [] : [upsert.touch]),
      ...(table.afterInsert?.returning ?? []),
    ];
    for (const name of names)
      if (!IDENTIFIER.test(name))
        throw new InvalidOptionError('table', `append table: "${name}" is not a plain SQL identifier`);
    for (const column of table.columns)
      if (!TYPE.test(column.type))
        throw new InvalidOptionError('table', `append table ${table.name}: bad type "${column.type}"`);
    for (const column of table.columns)
      if (column.cast !== undefined && !CAST.test(column.cast))
        throw new InvalidOptionError('table', `append table ${table.name}: bad cast "${column.cast}"`);
    if (table.columns.length === 0) throw new InvalidOptionError('table', `append table ${table.name} has no columns`);
    const columns = table.columns.map((c) => c.name).join(', ');
    const arrays = table.columns.map((c, i) => `$${i + 1}::${c.type}[]`).join(', ');
    const cast = (c: AppendColumn<R>): string => (c.cast === undefined ? c.name : `${c.name}::${c.cast} AS ${c.name}`);
    if (upsert === undefined) {
      const conflict = table.conflict.length === 0 ? '' : ` ON CONFLICT (${table.conflict.join(', ')}) DO NOTHING`;
      const source = table.columns.some((c) => c.cast !== undefined)
        ? `SELECT ${table.columns.map(cast).join(', ')} FROM unnest(${arrays}) AS batch(${columns})`
        : `SELECT * FROM unnest(${arrays})`;
      this.sql = `INSERT INTO ${table.name} (${columns}) ${source}${conflict}`;
    } else {
      if (table.conflict.length === 0)
        throw new InvalidOptionError('table', `append table ${table.name}: an upsert needs a conflict key`);
      // One INSERT … ON CONFLICT DO UPDATE may not touch a row twice, so
      // only the last row of each key in the batch goes in, carrying the
      // largest of the batch's values for the `greatest` columns.
      const key = table.conflict.join(', ');
      const greatest = new Set(upsert.greatest ?? []);
      const picked = table.columns
        .map((c) => (greatest.has(c.name) ? `max(${c.name}) OVER (PARTITION BY ${key}) AS ${c.name}` : cast(c)))
        .join(', ');
      const set = [
        ...upsert.replace.map((c) => `${c} = EXCLUDED.${c}`),
        ...(upsert.greatest ?? []).map((c) => `${c} = GREATEST(${table.name}.${c}, EXCLUDED.${c})`),
        ...(upsert.touch === undefined ? [] : [`${upsert.touch} = now()`]),
      ];
      if (set.length === 0)
        throw new InvalidOptionError('table', `append table ${table.name}: an upsert must change some column`);
      this.sql =
        `INSERT INTO ${table.name} (${columns}) SELECT DISTINCT ON (${key}) ${picked} ` +
        `FROM unnest(${arrays}) WITH ORDINALITY AS batch(${columns}, batch_position) ORDER BY ${key}, batch_position DESC ` +
        `ON CONFLICT (${key}) DO UPDATE SET ${set.join(', ')}`;
    }
    if (table.afterInsert !== undefined) {
      this.sql = `WITH inserted AS (${this.sql} RETURNING ${table.afterInsert.returning.join(', ')}) ${table.afterInsert.sql}`;
    }
  }

  params(rows: readonly R[]): unknown[][] {
    return this.table.columns.map((column) => rows.map((row) => column.value(row)));
  }
}

/**
 * Batched writer for append-only rows (messages, audit log): `append` only
 * queues, and every `intervalMs` each table's queue goes out as one
 * `INSERT … SELECT FROM unnest(…)` per batch. Failed batches are retried
 * with backoff; a batch Postgres refuses for its data (a constraint, a bad
 * value) is split until the offending rows are found, and only those are
 * dropped — each logged and counted — so one bad row never blocks the rest.
 */
export class AppendWriter {
  private readonly db: Database;
  private readonly intervalMs: number;
  private readonly maxBatchRows: number;
  private readonly maxQueuedRows: number;
  private readonly clock: Clock;
  private readonly logger: Logger | undefined;
  private readonly backoff: Backoff;
  private readonly queues = new Map<AppendTable<never>, TableQueue<unknown>>();
  private queued = 0;
  private timer: TimerHandle | null = null;
  private retryTimer: TimerHandle | null = null;
  private flushing: Promise<void> | null = null;
  private waiters: Array<{ targets: Map<TableQueue<unknown>, number>; resolve(): void }> = [];
  private closing = false;

  private readonly written;
  private readonly rejected;
  private readonly writeFailures;

  constructor(options: AppendWriterOptions) {
    this.db = options.db;
    this.intervalMs = options.intervalMs;
    this.maxBatchRows = options.maxBatchRows ?? 5000;
    this.maxQueuedRows = options.maxQueuedRows ?? 200_000;
    if (!(this.intervalMs > 0))
      throw new InvalidOptionError('intervalMs', `intervalMs must be positive, got ${this.intervalMs}`);
    if (!Number.isInteger(this.maxBatchRows) || this.maxBatchRows < 1)
      throw new InvalidOptionError('maxBatchRows', 'maxBatchRows must be a positive integer');
    if (!(this.maxQueuedRows >= this.maxBatchRows))
      throw new InvalidOptionError('maxQueuedRows', 'maxQueuedRows must be at least maxBatchRows');
    this.clock = options.clock ?? new SystemClock();
    this.logger = options.logger;
    this.backoff = new Backoff(options.retry);
    const m = options.metrics ?? new MetricsRegistry();
    this.written = m.counter('lekha_append_rows_written_total', 'Append-only rows written');
    this.rejected = m.counter(
      'lekha_append_rows_rejected_total',
      'Append-only rows Postgres refused for their data (dropped)',
    );
    this.writeFailures = m.counter('lekha_append_write_failures_total', 'Append batches that failed and were retried');
    m.gauge('lekha_append_rows_queued', 'Append-only rows waiting to be written', () => this.queued);
  }

  /** Queues `row`; throws `AppendQueueFullError` when the database has fallen too far behind. */
  append<R>(table: AppendTable<R>, row: R): void {
    if (this.queued >= this.maxQueuedRows) throw new AppendQueueFullError(table.name, this.maxQueuedRows);
    const queue = this.queueOf(table);
    queue.rows.push(row);
    queue.appended++;
    this.queued++;
  }

  /** Starts the periodic flush. */
  start(): void {
    if (this.closing || this.timer !== null) return;
    this.timer = this.clock.setTimer(() => {
      this.timer = null;
      this.flushNow()
        .catch((error: unknown) => this.logger?.error({ err: error }, 'append flush failed'))
        .finally(() => this.start());
    }, this.intervalMs);
  }

  /** Resolves once every row appended before this call is written (or refused for bad data). */
  afterFlush(): Promise<void> {
    const targets = new Map<TableQueue<unknown>, number>();
    for (const queue of this.queues.values()) if (queue.done < queue.appended) targets.set(queue, queue.appended);
    if (targets.size === 0) return Promise.resolve();
    return new Promise<void>((resolve) => this.waiters.push({ targets, resolve }));
  }

  /** Writes everything queued now; resolves when it is written (retrying meanwhile). */
  async flush(): Promise<void> {
    const done = this.afterFlush();
    void this.flushNow();
    await done;
  }

  /** Stops the periodic flush and writes what is queued, retrying until `deadlineMs`. Returns rows left unwritten. */
  async close(options: { deadlineMs?: number } = {}): Promise<{ unwritten: number }> {
    this.closing = true;
    if (this.timer !== null) this.clock.clearTimer(this.timer);
    this.timer = null;
    let deadline: TimerHandle | null = null;
    const timedOut = new Promise<void>((resolve) => {
      deadline = this.clock.setTimer(resolve, options.deadlineMs ?? 10_000);
    });
    await Promise.race([this.flush(), timedOut]);
    if (deadline !== null) this.clock.clearTimer(deadline);
    if (this.retryTimer !== null) this.clock.clearTimer(this.retryTimer);
    this.retryTimer = null;
    if (this.queued > 0)
      this.logger?.error({ unwritten: this.queued }, 'append-only rows could not be written before the deadline');
    return { unwritten: this.queued };
  }

  stats(): AppendWriterStats {
    return {
      queued: this.queued,
      written: this.written.value,
      rejected: this.rejected.value,
      writeFailures: this.writeFailures.value,
    };
  }

  private queueOf<R>(table: AppendTable<R>): TableQueue<R> {
    const key = table as AppendTable<never>;
    let queue = this.queues.get(key) as TableQueue<R> | undefined;
    if (queue === undefined) {
      queue = new TableQueue(table);
      this.queues.set(key, queue as TableQueue<unknown>);
    }
    return queue;
  }

  private flushNow(): Promise<void> {
    if (this.retryTimer !== null) {
      if (!this.closing) return Promise.resolve(); // the scheduled retry comes first
      this.clock.clearTimer(this.retryTimer);
      this.retryTimer = null;
    }
    this.flushing ??= this.writeQueues().finally(() => {
      this.flushing = null;
    });
    return this.flushing;
  }

  private async writeQueues(): Promise<void> {
    for (const queue of this.queues.values()) {
      while (queue.rows.length > 0) {
        const rows = queue.rows.slice(0, this.maxBatchRows);
        try {
          const refused = await this.writeIsolating(queue, rows);
          this.written.inc(rows.length - refused);
        } catch (error) {
          this.writeFailures.inc();
          const delayMs = this.closing ? this.backoff.minMs : this.backoff.next();
          this.logger?.error(
            { err: error, table: queue.table.name, queued: this.queued, retryInMs: Math.round(delayMs) },
            'writing rows failed; retrying',
          );
          this.retryTimer = this.clock.setTimer(() => {
            this.retryTimer = null;
            void this.flushNow();
          }, delayMs);
          return;
        }
        queue.rows.splice(0, rows.length);
        queue.done += rows.length;
        this.queued -= rows.length;
        this.backoff.reset();
        this.settleWaiters();
      }
    }
  }

  /** Writes `rows` in one statement; on a data error, bisects to drop only the rows at fault. Returns how many were dropped. */
  private async writeIsolating(queue: TableQueue<unknown>, rows: unknown[]): Promise<number> {
    try {
      await this.db.query(queue.sql, queue.params(rows));
      return 0;
    } catch (error) {
      if (!isDataError(error)) throw error;
      if (rows.length === 1) {
        this.rejected.inc();
        // Neither the row nor Postgres' message and detail are logged: they
        // can quote the row's values (its text, its search vector).
        this.logger?.error(
          { ...refusalFields(error), table: queue.table.name },
          'Postgres refused a row for its data; the row is dropped',
        );
        return 1;
      }
      const half = Math.ceil(rows.length / 2);
      return (
        (await this.writeIsolating(queue, rows.slice(0, half))) + (await this.writeIsolating(queue, rows.slice(half)))
      );
    }
  }

  private settleWaiters(): void {
    this.waiters = this.waiters.filter((waiter) => {
      for (const [queue, target] of waiter.targets) if (queue.done < target) return true;
      waiter.resolve();
      return false;
    });
  }
}

/** What of a data error can be logged without quoting the row: its SQLSTATE and the constraint or column at fault. */
function refusalFields(error: unknown): { code: unknown; constraint: unknown; column: unknown } {
  const e = error as { code?: unknown; constraint?: unknown; column?: unknown };
  return { code: e.code, constraint: e.constraint ?? null, column: e.column ?? null };
}

/** SQLSTATE classes 22 (data exception) and 23 (integrity constraint violation): retrying the same rows cannot help. */
function isDataError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('22') || code.startsWith('23'));
}
