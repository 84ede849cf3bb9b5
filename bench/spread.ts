import { alignRows, type BenchReport, formatNumber, formatTarget, meets, type Target } from './report.js';

/** One metric over several runs of a scenario: the median is what the verdict reads. */
export interface MetricSpread {
  median: number;
  min: number;
  max: number;
  /** Every run's value, in run order. */
  values: number[];
}

/** What `--runs N` reports: each metric's spread over the runs, with the targets of the last run. */
export interface SpreadReport {
  scenario: string;
  runs: number;
  machine: BenchReport['machine'];
  results: Record<string, MetricSpread>;
  baseline: Record<string, MetricSpread>;
  targets: Record<string, Target>;
}

/**
 * Summarises several reports of one scenario. A metric missing from some
 * runs (a step a run did not reach) is summarised over the runs that have it.
 */
export function summarise(reports: readonly BenchReport[]): SpreadReport {
  const last = reports.at(-1);
  if (last === undefined) throw new Error('no bench report to summarise');
  const other = reports.find((report) => report.scenario !== last.scenario);
  if (other !== undefined)
    throw new Error(`cannot summarise reports of different scenarios (${other.scenario}, ${last.scenario})`);
  return {
    scenario: last.scenario,
    runs: reports.length,
    machine: last.machine,
    results: spreadOf(reports.map((report) => report.results)),
    baseline: spreadOf(reports.map((report) => report.baseline ?? {})),
    targets: last.targets,
  };
}

/** The human table: metric, median, min–max over the runs, baseline median, target, verdict on the median. */
export function formatSpreadTable(spread: SpreadReport): string {
  const rows: string[][] = [['metric', 'median', `min–max (${spread.runs} runs)`, 'baseline', 'target', '']];
  for (const [name, metric] of Object.entries(spread.results)) {
    const target = spread.targets[name];
    const base = spread.baseline[name];
    rows.push([
      name,
      formatNumber(metric.median),
      `${formatNumber(metric.min)}–${formatNumber(metric.max)}`,
      base === undefined ? '' : formatNumber(base.median),
      target === undefined ? '' : formatTarget(target),
      target === undefined ? '' : meets(metric.median, target) ? 'ok' : 'MISS',
    ]);
  }
  return [`${spread.scenario} — median of ${spread.runs} runs, ${spread.machine.cpus} cpus`, ...alignRows(rows)].join(
    '\n',
  );
}

function spreadOf(runs: readonly Record<string, number>[]): Record<string, MetricSpread> {
  const names = [...new Set(runs.flatMap((run) => Object.keys(run)))];
  const out: Record<string, MetricSpread> = {};
  for (const name of names) {
    const values = runs.map((run) => run[name]).filter((value): value is number => value !== undefined);
    const sorted = [...values].sort((a, b) => a - b);
    const mid = sorted.length >> 1;
    const median = sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
    out[name] = { median, min: sorted[0]!, max: sorted.at(-1)!, values };
  }
  return out;
}
