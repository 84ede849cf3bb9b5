import { createHistogram, type RecordableHistogram } from 'node:perf_hooks';

/** A monotonically increasing count. */
export class Counter {
  value = 0;

  constructor(
    readonly name: string,
    readonly help: string,
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
 * Distribution of durations in milliseconds. Backed by Node's HDR histogram
 * (`perf_hooks.createHistogram`), which records in constant time without
 * allocating; values are kept with microsecond resolution.
 */
export class Histogram {
  private readonly hdr: RecordableHistogram = createHistogram();

  constructor(
    readonly name: string,
    readonly help: string,
  ) {}

  recordMs(ms: number): void {
    const micros = Math.round(ms * 1000);
    this.hdr.record(micros < 1 ? 1 : micros);
  }

  get count(): number {
    return this.hdr.count;
  }

  /** Value in ms at percentile `p` (0–100); 0 when nothing was recorded. */
  percentileMs(p: number): number {
    return this.hdr.count === 0 ? 0 : this.hdr.percentile(p) / 1000;
  }

  summary(): HistogramSummary {
    const empty = this.hdr.count === 0;
    return {
      count: this.hdr.count,
      mean: empty ? 0 : this.hdr.mean / 1000,
      p50: this.percentileMs(50),
      p95: this.percentileMs(95),
      p99: this.percentileMs(99),
      max: empty ? 0 : this.hdr.max / 1000,
    };
  }

  reset(): void {
    this.hdr.reset();
  }
}

export type Metric = Counter | Gauge | Histogram;

/**
 * The set of metrics one runtime exposes. Components register their metrics
 * here at construction; the HTTP layer walks `all()` to export them.
 */
export class MetricsRegistry {
  private readonly metrics = new Map<string, Metric>();

  counter(name: string, help: string): Counter {
    return this.register(new Counter(name, help));
  }

  gauge(name: string, help: string, read?: () => number): Gauge {
    return this.register(new Gauge(name, help, read));
  }

  histogram(name: string, help: string): Histogram {
    return this.register(new Histogram(name, help));
  }

  get(name: string): Metric | undefined {
    return this.metrics.get(name);
  }

  all(): Iterable<Metric> {
    return this.metrics.values();
  }

  private register<T extends Metric>(metric: T): T {
    const existing = this.metrics.get(metric.name);
    if (existing !== undefined) {
      if (existing.constructor !== metric.constructor) {
        throw new TypeError(`metric ${metric.name} is already registered as a ${existing.constructor.name}`);
      }
      return existing as T;
    }
    this.metrics.set(metric.name, metric);
    return metric;
  }
}
