import { createHistogram, type RecordableHistogram } from 'node:perf_hooks';

/** Labels of one series of a metric (`{ plugin: "weather" }`); a metric's series share its name and help. */
export type MetricLabels = Readonly<Record<string, string>>;

const NO_LABELS: MetricLabels = Object.freeze({});

/** A monotonically increasing count. */
export class Counter {
  value = 0;

  constructor(
    readonly name: string,
    readonly help: string,
    readonly labels: MetricLabels = NO_LABELS,
  ) {}

  inc(by = 1): void {
    this.value += by;
  }
}

/** A value that goes up and down, set directly or read from a callback at collection time. */
export class Gauge {
  private current = 0;

  constructor(
    readonly name: string,
    readonly help: string,
    private readonly read?: () => number,
    readonly labels: MetricLabels = NO_LABELS,
  ) {}

  get value(): number {
    return this.read === undefined ? this.current : this.read();
  }

  set(value: number): void {
    this.current = value;
  }

  inc(by = 1): void {
    this.current += by;
  }

  dec(by = 1): void {
    this.current -= by;
  }
}

export interface HistogramSummary {
  count: number;
  mean: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/**
 * Upper bounds (ms) of the buckets every {@link Histogram} counts exactly:
 * what `/metrics` exports as Prometheus's cumulative `le` buckets.
 */
export const LATENCY_BUCKETS_MS: readonly number[] = Object.freeze([
  0.5, 1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10_000, 30_000,
]);

const BUCKET_BOUNDS_MICROS = LATENCY_BUCKETS_MS.map((ms) => ms * 1000);

/**
 * Distribution of durations in milliseconds. Backed by Node's HDR histogram
 * (`perf_hooks.createHistogram`), which records in constant time without
 * allocating; values are kept with microsecond resolution. The mean comes
 * from a running sum: the HDR histogram's own walks every bucket up to the
 * largest value recorded (~100 µs once one 2 s outlier is in), and
 * `summary()` is read by every stats poll and scrape. The counts per
 * {@link LATENCY_BUCKETS_MS} bound are kept too, exact: an HDR histogram
 * answers percentiles, and counts worked back from them are approximate
 * (so a scrape's bucket could read lower than the one before, which
 * Prometheus takes for a counter reset) and cost a bisection per bound.
 */
export class Histogram {
  private readonly hdr: RecordableHistogram = createHistogram();
  private sumMicros = 0;
  /** Values in each bucket alone (not cumulative); a value above the last bound is only in `count`. */
  private readonly inBucket = new Float64Array(BUCKET_BOUNDS_MICROS.length);

  constructor(
    readonly name: string,
    readonly help: string,
    readonly labels: MetricLabels = NO_LABELS,
  ) {}

  recordMs(ms: number): void {
    const micros = Math.max(1, Math.round(ms * 1000));
    this.hdr.record(micros);
    this.sumMicros += micros;
    // Most values are short: walking up from the smallest bound is a few comparisons.
    let bucket = 0;
    while (bucket < BUCKET_BOUNDS_MICROS.length && micros > BUCKET_BOUNDS_MICROS[bucket]!) bucket++;
    if (bucket < BUCKET_BOUNDS_MICROS.length) this.inBucket[bucket]!++;
  }

  get count(): number {
    return this.hdr.count;
  }

  /** The sum of every value recorded (as recorded: to the microsecond), in ms. */
  get sumMs(): number {
    return this.sumMicros / 1000;
  }

  /** Value in ms at percentile `p` (0–100); 0 when nothing was recorded. */
  percentileMs(p: number): number {
    return this.hdr.count === 0 ? 0 : this.hdr.percentile(p) / 1000;
  }

  summary(): HistogramSummary {
    const empty = this.hdr.count === 0;
    return {
      count: this.hdr.count,
      mean: empty ? 0 : this.sumMicros / this.hdr.count / 1000,
      p50: this.percentileMs(50),
      p95: this.percentileMs(95),
      p99: this.percentileMs(99),
      max: empty ? 0 : this.hdr.max / 1000,
    };
  }

  /** For each bound of {@link LATENCY_BUCKETS_MS}, in order, how many values were at most it. */
  cumulativeCounts(): number[] {
    let total = 0;
    return Array.from(this.inBucket, (n) => (total += n));
  }

  reset(): void {
    this.hdr.reset();
    this.sumMicros = 0;
    this.inBucket.fill(0);
  }
}

export type Metric = Counter | Gauge | Histogram;

/**
 * The set of metrics one runtime exposes. Components register their metrics
 * here at construction; the HTTP layer walks `all()` to export them.
 */
export class MetricsRegistry {
  /** By name, then by the series' labels (`""` for the unlabelled one). */
  private readonly metrics = new Map<string, Map<string, Metric>>();

  counter(name: string, help: string, labels?: MetricLabels): Counter {
    return this.register(new Counter(name, help, labels));
  }

  gauge(name: string, help: string, read?: () => number, labels?: MetricLabels): Gauge {
    return this.register(new Gauge(name, help, read, labels));
  }

  histogram(name: string, help: string, labels?: MetricLabels): Histogram {
    return this.register(new Histogram(name, help, labels));
  }

  /** The series of `name` with exactly these labels (none: the unlabelled one). */
  get(name: string, labels: MetricLabels = NO_LABELS): Metric | undefined {
    return this.metrics.get(name)?.get(labelKey(labels));
  }

  /** Every series, each metric's together. */
  all(): Iterable<Metric> {
    return [...this.metrics.values()].flatMap((series) => [...series.values()]);
  }

  /** Every series of one metric. */
  series(name: string): Metric[] {
    return [...(this.metrics.get(name)?.values() ?? [])];
  }

  private register<T extends Metric>(metric: T): T {
    let series = this.metrics.get(metric.name);
    const first = series?.values().next().value;
    if (first !== undefined && first.constructor !== metric.constructor) {
      throw new TypeError(`metric ${metric.name} is already registered as a ${first.constructor.name}`);
    }
    const key = labelKey(metric.labels);
    const existing = series?.get(key);
    if (existing !== undefined) return existing as T;
    if (series === undefined) this.metrics.set(metric.name, (series = new Map()));
    series.set(key, metric);
    return metric;
  }
}

/** A series' name as Prometheus writes it: `name` or `name{label="value",…}`. */
export function seriesName(metric: Metric): string {
  const key = labelKey(metric.labels);
  return key === '' ? metric.name : `${metric.name}{${key}}`;
}

function labelKey(labels: MetricLabels): string {
  const names = Object.keys(labels);
  if (names.length === 0) return '';
  return names
    .sort()
    .map((n) => `${n}=${JSON.stringify(labels[n])}`)
    .join(',');
}
