import type { PluginCallStats } from '../ports/index.js';
import type { Counter, Histogram, MetricsRegistry } from '../runtime/index.js';

/** One plugin's figures, each a series labelled `plugin="<name>"`. */
export class PluginMetrics {
  readonly calls: Counter;
  readonly failures: Counter;
  readonly timeouts: Counter;
  readonly rejected: Counter;
  readonly latency: Histogram;

  constructor(metrics: MetricsRegistry, plugin: string) {
    const labels = { plugin };
    this.calls = metrics.counter(
      'lekha_plugin_calls_total',
      'Plugin handler calls (commands, tools, listeners, jobs)',
      labels,
    );
    this.failures = metrics.counter(
      'lekha_plugin_failures_total',
      'Plugin handler calls that threw or timed out',
      labels,
    );
    this.timeouts = metrics.counter('lekha_plugin_timeouts_total', 'Plugin handler calls that ran out of time', labels);
    this.rejected = metrics.counter(
      'lekha_plugin_rejected_total',
      "Plugin calls refused at once because the plugin's breaker was open",
      labels,
    );
    this.latency = metrics.histogram('lekha_plugin_latency_ms', 'Duration of plugin handler calls', labels);
  }

  stats(): PluginCallStats {
    return {
      calls: this.calls.value,
      failures: this.failures.value,
      timeouts: this.timeouts.value,
      rejected: this.rejected.value,
      latencyMs: { p50: this.latency.percentileMs(50), p99: this.latency.percentileMs(99) },
    };
  }
}
