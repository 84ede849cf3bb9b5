import type { Counter, Histogram, MetricsRegistry } from '../runtime/index.js';

/** What the scheduler counts, as `lekha_scheduler_*` metrics; the gauge reads its running jobs at collection time. */
export class SchedulerMetrics {
  readonly executed: Counter;
  readonly succeeded: Counter;
  readonly failed: Counter;
  readonly retried: Counter;
  readonly inDoubt: Counter;
  readonly skipped: Counter;
  readonly leaseLost: Counter;
  readonly storeFailures: Counter;
  readonly lateness: Histogram;

  constructor(metrics: MetricsRegistry, read: { running(): number }) {
    this.executed = metrics.counter('lekha_scheduler_executed_total', 'Job runs started');
    this.succeeded = metrics.counter('lekha_scheduler_succeeded_total', 'Job runs that succeeded');
    this.failed = metrics.counter(
      'lekha_scheduler_failed_total',
      'Jobs that ran out of attempts (dead-lettered, or moved to their next run if recurring)',
    );
    this.retried = metrics.counter('lekha_scheduler_retried_total', 'Failed runs scheduled again after a backoff');
    this.inDoubt = metrics.counter(
      'lekha_scheduler_in_doubt_total',
      'Jobs that may have been delivered when their run was cut off; never run again',
    );
    this.skipped = metrics.counter(
      'lekha_scheduler_skipped_total',
      'Missed runs of recurring jobs whose policy is to skip them',
    );
    this.leaseLost = metrics.counter(
      'lekha_scheduler_lease_lost_total',
      'Job moves refused because another process had taken the job over',
    );
    this.storeFailures = metrics.counter(
      'lekha_scheduler_store_failures_total',
      'Claims or job moves the job store did not take (the lease decides what happens to the job)',
    );
    this.lateness = metrics.histogram('lekha_scheduler_lateness_ms', 'How long after its due time a run started');
    metrics.gauge('lekha_scheduler_running', 'Job runs in progress in this process', read.running);
  }
}
