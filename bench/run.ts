import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { type BenchReport, formatTable, machine } from './report.js';
import { scenarios } from './scenarios.js';

const usage = `Usage: npm run bench -- <scenario|all> [--quick] [--json]
Scenarios: ${Object.keys(scenarios).join(', ')}`;

/**
 * Runs one scenario (or every scenario with `all`, in quick mode), prints a
 * table on stdout and, with --json, one JSON object as the last stdout line.
 * Results are also written to bench/results/.
 */
export async function runBench(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { quick: { type: 'boolean', default: false }, json: { type: 'boolean', default: false } },
  });
  const name = positionals[0];
  if (name === undefined) {
    process.stderr.write(`${usage}\n`);
    return 2;
  }
  const names = name === 'all' ? Object.keys(scenarios) : [name];
  const quick = values.quick || name === 'all';
  for (const n of names) {
    if (scenarios[n] === undefined) {
      process.stderr.write(`unknown scenario "${n}"\n${usage}\n`);
      return 2;
    }
  }
  const reports: BenchReport[] = [];
  for (const n of names) {
    const scenario = await (scenarios[n] as () => Promise<import('./report.js').Scenario>)();
    const startedAt = new Date();
    const t0 = performance.now();
    const result = await scenario.run({ quick, progress });
    clearProgress();
    const report: BenchReport = {
      scenario: scenario.name,
      machine: machine(),
      startedAt: startedAt.toISOString(),
      durationMs: Math.round(performance.now() - t0),
      ...result,
    };
    reports.push(report);
    process.stdout.write(`${formatTable(report)}\n\n`);
    await save(report);
  }
  if (values.json) {
    const single = reports.length === 1 ? reports[0] : { scenario: 'all', machine: machine(), reports };
    process.stdout.write(`${JSON.stringify(single)}\n`);
  }
  return 0;
}

let progressShown = false;

function progress(message: string): void {
  if (process.stderr.isTTY) {
    process.stderr.write(`\r\x1b[2K${message}`);
    progressShown = true;
  } else {
    process.stderr.write(`${message}\n`);
  }
}

function clearProgress(): void {
  if (progressShown) process.stderr.write('\r\x1b[2K');
  progressShown = false;
}

async function save(report: BenchReport): Promise<void> {
  const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'bench', 'results');
  await mkdir(dir, { recursive: true });
  const stamp = report.startedAt.replace(/[:.]/g, '-');
  await writeFile(path.join(dir, `${report.scenario}-${stamp}.json`), `${JSON.stringify(report, null, 2)}\n`);
}

const invokedDirectly =
  process.argv[1] !== undefined && fileURLToPath(import.meta.url) === path.resolve(process.argv[1]);
if (invokedDirectly) {
  runBench(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(
        `bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
      process.exitCode = 1;
    },
  );
}
