import { Histogram, type MetricsRegistry } from '../../runtime/index.js';

/** Reads one metric of the registry by name, or null when it is not registered (or is of another kind). */
export const MetricReader = {
  value(metrics: MetricsRegistry, name: string): number | null {
    const metric = metrics.get(name);
    return metric === undefined || metric instanceof Histogram ? null : metric.value;
  },

  histogram(metrics: MetricsRegistry, name: string): Histogram | null {
    const metric = metrics.get(name);
    return metric instanceof Histogram ? metric : null;
  },
};
