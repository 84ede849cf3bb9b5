import { type Counter, type Logger, MetricsRegistry } from '../runtime/index.js';
import type { AppendTable, AppendWriter } from './append-writer.js';
import { AppendQueueFullError } from './errors.js';

/*
 * Shared by the write-behind read models (the chat archive, the reply
 * ledger): rows sealed at the flush rather than in the actor's turn, and
 * appends that drop rather than fail the turn when the database is far behind.
 */

/**
 * A row as recorded, sealed when the append writer first reads it: at the
 * flush, between turns, not in the actor's turn (sealing costs some
 * microseconds a row). Sealed once, however often a batch is retried.
 */
export class LazyRow<A, S> {
  private sealed: S | undefined;

  constructor(
    private readonly recorded: A,
    private readonly seal: (recorded: A) => S,
  ) {}

  get(): S {
    return (this.sealed ??= this.seal(this.recorded));
  }
}

/** `table` over rows sealed on first read. */
export function lazily<A, S>(table: AppendTable<S>): AppendTable<LazyRow<A, S>> {
  return { ...table, columns: table.columns.map((c) => ({ ...c, value: (row) => c.value(row.get()) })) };
}

/**
 * Appends for a read model, which must never fail a chat's turn: when the
 * writer's queue is full (the database has fallen far behind) a row is
 * dropped, counted in `metric`, and logged once per burst of 1,000.
 */
export class DroppingAppends {
  private readonly dropped: Counter;
  private droppedSinceLog = 0;

  constructor(
    private readonly appends: AppendWriter,
    private readonly rows: { metric: string; help: string; what: string },
    private readonly options: { metrics?: MetricsRegistry | undefined; logger?: Logger | undefined } = {},
  ) {
    this.dropped = (options.metrics ?? new MetricsRegistry()).counter(rows.metric, rows.help);
  }

  append<R>(table: AppendTable<R>, row: R): void {
    try {
      this.appends.append(table, row);
    } catch (error) {
      if (!(error instanceof AppendQueueFullError)) throw error;
      this.dropped.inc();
      // One log line per burst: a full queue means thousands of drops a second.
      if (this.droppedSinceLog++ % 1000 === 0)
        this.options.logger?.error(
          { err: error, dropped: this.dropped.value },
          `${this.rows.what} dropped: the database is too far behind`,
        );
    }
  }
}
