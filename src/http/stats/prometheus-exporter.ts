import { collectDefaultMetrics, type Metric as PromMetric, Registry } from 'prom-client';
import {
  type Clock,
  Counter,
  Gauge,
  Histogram,
  LATENCY_BUCKETS_MS,
  type Metric,
  type MetricsRegistry,
} from '../../runtime/index.js';

export interface PrometheusExporterOptions {
  metrics: MetricsRegistry;
  clock: Pick<Clock, 'now'>;
  /** Process metrics (CPU, memory, event-loop lag, GC, handles); on by default. */
  defaultMetrics?: boolean | undefined;
  /**
   * How long one rendering is served. Prometheus scrapes every few seconds;
   * the cache only matters when something polls much faster, and keeps a
   * burst of scrapes from costing the runtime CPU.
   */
  cacheMs?: number | undefined;
}

interface BridgedValue {
  metricName?: string;
  labels: Record<string, string | number>;
  value: number;
}

/**
 * `/metrics` in the Prometheus text format through prom-client: the
 * process's default metrics plus every metric of the runtime's
 * `MetricsRegistry` — counters, gauges, and latency histograms with
 * cumulative buckets, `_sum` and `_count`. Metrics the edges register later
 * are picked up at the next scrape.
 */
export class PrometheusExporter {
  readonly registry = new Registry();
  private readonly bridged = new Set<string>();
  private readonly cacheMs: number;
  private cached: { text: string; untilMs: number } | null = null;
  private rendering: Promise<string> | null = null;

  constructor(private readonly options: PrometheusExporterOptions) {
    this.cacheMs = options.cacheMs ?? 1000;
    if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: this.registry });
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  async render(): Promise<string> {
    const now = this.options.clock.now();
    if (this.cached !== null && this.cached.untilMs > now) return this.cached.text;
    // Concurrent scrapes share one rendering instead of each starting their own.
    this.rendering ??= this.renderFresh().finally(() => {
      this.rendering = null;
    });
    return this.rendering;
  }

  private async renderFresh(): Promise<string> {
    const { metrics } = this.options;
    for (const metric of metrics.all()) {
      if (this.bridged.has(metric.name)) continue;
      this.bridged.add(metric.name);
      // prom-client's registry takes any object with its metric shape
      // (name, help, type, get()); its typings only name its own classes.
      this.registry.registerMetric(bridge(metric, () => metrics.series(metric.name)) as unknown as PromMetric);
    }
    const text = await this.registry.metrics();
    this.cached = { text, untilMs: this.options.clock.now() + this.cacheMs };
    return text;
  }
}

/** One Prometheus metric for all the series (label sets) of a runtime metric, read at each scrape. */
function bridge(metric: Metric, series: () => Metric[]) {
  const type = metric instanceof Counter ? 'counter' : metric instanceof Gauge ? 'gauge' : 'histogram';
  return {
    name: metric.name,
    help: metric.help,
    type,
    aggregator: 'sum',
    get: async () => ({
      name: metric.name,
      help: metric.help,
      type,
      aggregator: 'sum',
      values: series().flatMap(valuesOf),
    }),
    reset: () => undefined,
  };
}

function valuesOf(metric: Metric): BridgedValue[] {
  const labels = metric.labels;
  if (!(metric instanceof Histogram)) return [{ labels: { ...labels }, value: metric.value }];
  const counts = metric.cumulativeCounts();
  const values: BridgedValue[] = LATENCY_BUCKETS_MS.map((le, i) => ({
    metricName: `${metric.name}_bucket`,
    labels: { ...labels, le },
    value: counts[i] ?? 0,
  }));
  values.push(
    { metricName: `${metric.name}_bucket`, labels: { ...labels, le: '+Inf' }, value: metric.count },
    { metricName: `${metric.name}_sum`, labels: { ...labels }, value: metric.sumMs },
    { metricName: `${metric.name}_count`, labels: { ...labels }, value: metric.count },
  );
  return values;
}
