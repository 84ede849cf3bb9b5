import os from 'node:os';

/** A target a metric must meet: at least, or at most, a value. */
export type Target = { '>=': number } | { '<=': number };

export interface ScenarioResult {
  results: Record<string, number>;
  /** The same metrics measured in the same run for the comparison system. */
  baseline?: Record<string, number>;
  targets: Record<string, Target>;
  /** Free-form remarks printed under the table (what was measured, caveats). */
  notes?: string[];
}

export interface BenchContext {
  /** Shorter runs (each scenario under a minute). */
  quick: boolean;
  /** Writes a progress line on stderr (overwritten in place on a terminal). */
  progress(message: string): void;
}

export interface Scenario {
  name: string;
  description: string;
  run(ctx: BenchContext): Promise<ScenarioResult>;
}

export interface BenchReport extends ScenarioResult {
  scenario: string;
  machine: { cpus: number; node: string; platform: string };
  startedAt: string;
  durationMs: number;
}

export function machine(): BenchReport['machine'] {
  return { cpus: os.availableParallelism(), node: process.version, platform: `${process.platform}-${process.arch}` };
}

export function meets(value: number | undefined, target: Target): boolean {
  if (value === undefined || Number.isNaN(value)) return false;
  return '>=' in target ? value >= target['>='] : value <= target['<='];
}

/** The human table: metric, value, baseline, target, verdict. */
export function formatTable(report: BenchReport): string {
  const rows: string[][] = [['metric', 'value', 'baseline', 'target', '']];
  for (const [name, value] of Object.entries(report.results)) {
    const target = report.targets[name];
    const base = report.baseline?.[name];
    rows.push([
      name,
      formatNumber(value),
      base === undefined ? '' : formatNumber(base),
      target === undefined ? '' : formatTarget(target),
      target === undefined ? '' : meets(value, target) ? 'ok' : 'MISS',
    ]);
  }
  const header = `${report.scenario} — ${report.machine.cpus} cpus, node ${report.machine.node}, ${(report.durationMs / 1000).toFixed(1)} s`;
  const notes = (report.notes ?? []).map((n) => `  * ${n}`);
  return [header, ...alignRows(rows), ...notes].join('\n');
}

/** Rows as aligned columns, the first row a header underlined with dashes. */
export function alignRows(rows: readonly string[][]): string[] {
  const widths = rows[0]!.map((_, col) => Math.max(...rows.map((row) => row[col]!.length)));
  const lines = rows.map((row) =>
    row
      .map((cell, col) => cell.padEnd(widths[col]!))
      .join('  ')
      .trimEnd(),
  );
  lines.splice(1, 0, widths.map((w) => '-'.repeat(w)).join('  '));
  return lines;
}

/** A target's text: `>= 5` or `<= 1,000`. */
export function formatTarget(target: Target): string {
  return '>=' in target ? `>= ${formatNumber(target['>='])}` : `<= ${formatNumber(target['<='])}`;
}

export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Math.abs(value) >= 1000) return Math.round(value).toLocaleString('en-US');
  return Number(value.toPrecision(3)).toString();
}
