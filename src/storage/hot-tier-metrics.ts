import type { Counter, MetricsRegistry } from '../runtime/index.js';

/**
 * What the Redis tier of the snapshots counts. Registered whether or not
 * Redis is configured, so dashboards and alerts always find the series.
 */
export class HotTierMetrics {
  readonly writeFailures: Counter;
  readonly decodeFailures: Counter;
  readonly readFailures: Counter;

  constructor(metrics: MetricsRegistry, read: { staleKeys(): number }) {
    this.writeFailures = metrics.counter(
      'lekha_snapshot_hot_write_failures_total',
      'Snapshot batches Redis did not take',
    );
    this.decodeFailures = metrics.counter(
      'lekha_snapshot_hot_decode_failures_total',
      'Redis copies of snapshots that did not decode (Postgres was read instead)',
    );
    this.readFailures = metrics.counter(
      'lekha_snapshot_hot_read_failures_total',
      'Snapshot reads from Redis that failed (Postgres answered)',
    );
    metrics.gauge('lekha_snapshot_hot_stale', 'Keys whose Redis copy is older than Postgres', read.staleKeys);
  }
}
