import type { Counter, Histogram, MetricsRegistry } from '../runtime/index.js';

/** What the write-behind counts and shows; the gauges read its pending snapshots at collection time. */
export class WriteBehindMetrics {
  readonly written: Counter;
  readonly writeFailures: Counter;
  readonly encodeFailures: Counter;
  readonly fenced: Counter;
  readonly flushDuration: Histogram;
  /** Activations by where their state came from. */
  readonly loads: {
    readonly pending: Counter;
    readonly hot: Counter;
    readonly durable: Counter;
    readonly empty: Counter;
  };

  constructor(metrics: MetricsRegistry, read: { pending(): number; flushLagMs(): number }) {
    this.written = metrics.counter('lekha_snapshots_written_total', 'Snapshots made durable in Postgres');
    this.writeFailures = metrics.counter(
      'lekha_snapshot_write_failures_total',
      'Snapshot batches Postgres did not take (retried)',
    );
    this.encodeFailures = metrics.counter(
      'lekha_snapshot_encode_failures_total',
      'Actor states that could not be encoded',
    );
    this.fenced = metrics.counter(
      'lekha_snapshot_writes_fenced_total',
      'Snapshots not written because this member does not hold their partition lease at their epoch',
    );
    this.flushDuration = metrics.histogram('lekha_snapshot_flush_ms', 'Duration of one write of pending snapshots');
    this.loads = {
      pending: metrics.counter(
        'lekha_snapshot_loads_pending_total',
        'Activations served from snapshots not yet written',
      ),
      hot: metrics.counter('lekha_snapshot_loads_redis_total', 'Activations served from Redis'),
      durable: metrics.counter('lekha_snapshot_loads_postgres_total', 'Activations served from Postgres'),
      empty: metrics.counter('lekha_snapshot_loads_empty_total', 'Activations of keys with no snapshot'),
    };
    metrics.gauge('lekha_snapshots_pending', 'Snapshots taken and not yet durable', read.pending);
    metrics.gauge('lekha_snapshot_flush_lag_ms', 'Age of the oldest snapshot not yet durable', read.flushLagMs);
  }
}
