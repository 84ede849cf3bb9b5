import { spawn } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ConfigError, loadSetting } from '../src/config/index.js';
import { setHeapGrowth } from '../src/runtime/index.js';
import { type BenchReport, formatTable, machine } from './report.js';
import { scenarios } from './scenarios.js';
import { formatSpreadTable, type SpreadReport, summarise } from './spread.js';

const usage = `Usage: npm run bench -- <scenario|all> [--quick] [--json] [--runs N]
Scenarios: ${Object.keys(scenarios).join(', ')}`;

const MAX_RUNS = 20;

/**
 * Runs one scenario (or every scenario with `all`, in quick mode), prints a
 * table on stdout and, with --json, one JSON object as the last stdout line.
 * Results are also written to bench/results/. With `--runs N` each scenario
 * runs N times, each in a fresh process, and the spread of every metric is
 * reported (median, min–max). Each such process is started on `entry` (a
 * script and the arguments before the bench's own): the way this process
 * was started, so that it loads what this one loaded (`lekha bench` loads
 * the whole runtime, whose wiring changes how V8 runs the process).
 */
export async function runBench(
  argv: string[],
  entry: readonly string[] = [fileURLToPath(import.meta.url)],
): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        quick: { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
        runs: { type: 'string', default: '1' },
      },
    });
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n${usage}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  const runs = Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1 || runs > MAX_RUNS) {
    process.stderr.write(`--runs must be a whole number from 1 to ${MAX_RUNS}, got "${values.runs}"\n`);
    return 2;
  }
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
  if (runs > 1) return runSpread(names, runs, quick, values.json, entry);
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

/** Each scenario `runs` times, each run a fresh process of this script, then the spread. */
async function runSpread(
  names: string[],
  runs: number,
  quick: boolean,
  json: boolean,
  entry: readonly string[],
): Promise<number> {
  const spreads: SpreadReport[] = [];
  let failed = 0;
  for (const name of names) {
    const reports: BenchReport[] = [];
    for (let i = 1; i <= runs; i++) {
      progress(`${name}: run ${i} of ${runs}`);
      const report = await runChild(entry, [name, '--json', ...(quick ? ['--quick'] : [])]);
      if (report === null) {
        // The others still say something: the spread is over the runs that finished, and the exit code tells.
        process.stderr.write(`${name}: run ${i} of ${runs} failed\n`);
        failed++;
      } else reports.push(report);
    }
    if (reports.length === 0) continue;
    const spread = summarise(reports);
    spreads.push(spread);
    process.stdout.write(`${formatSpreadTable(spread)}\n\n`);
    await saveAs(`${spread.scenario}-spread`, reports.at(-1)!.startedAt, spread);
  }
  if (json) {
    const out = spreads.length === 1 ? spreads[0] : { scenario: 'all', machine: machine(), spreads };
    process.stdout.write(`${JSON.stringify(out)}\n`);
  }
  return failed === 0 ? 0 : 1;
}

/** One run in a child process (same Node flags, e.g. --expose-gc): its report, or null when it failed. */
function runChild(entry: readonly string[], args: string[]): Promise<BenchReport | null> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...process.execArgv, ...entry, ...args], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => (out += chunk));
    child.on('error', () => resolve(null));
    child.on('close', (code) => {
      const lines = out.trimEnd().split('\n');
      const last = lines.pop() ?? '';
      process.stdout.write(`${lines.join('\n')}\n`);
      if (code !== 0) return resolve(null);
      try {
        resolve(JSON.parse(last) as BenchReport);
      } catch {
        resolve(null);
      }
    });
  });
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

function save(report: BenchReport): Promise<void> {
  return saveAs(report.scenario, report.startedAt, report);
}

async function saveAs(name: string, startedAt: string, content: unknown): Promise<void> {
  const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'bench', 'results');
  await mkdir(dir, { recursive: true });
  const stamp = startedAt.replace(/[:.]/g, '-');
  await writeFile(path.join(dir, `${name}-${stamp}.json`), `${JSON.stringify(content, null, 2)}\n`);
}

const invokedDirectly =
  process.argv[1] !== undefined && fileURLToPath(import.meta.url) === path.resolve(process.argv[1]);
if (invokedDirectly) void benchMain(process.argv.slice(2));

/**
 * `lekha bench` as a one-shot process, and each run of `--runs` too: runs
 * the bench and exits with its code; `argv` is the end of this process's
 * arguments, the bench's own. A scenario that failed part-way (or a
 * baseline library's retry timer) may leave connections and timers open,
 * and waiting on them would hang the run and a `--runs` parent with it.
 * Output to pipes and files is written synchronously here (Linux).
 * The process runs with the heap growth `lekha start` sets, so that what
 * is measured is what runs.
 */
export async function benchMain(argv: string[]): Promise<never> {
  const code = !applyHeapGrowth()
    ? 78
    : await runBench(argv, process.argv.slice(1, process.argv.length - argv.length)).catch((error: unknown) => {
        process.stderr.write(
          `bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
        );
        return 1;
      });
  process.exit(code);
}

/** Sets `HEAP_GROWTH_PERCENT` as `lekha start` does; false after saying why it cannot. */
function applyHeapGrowth(): boolean {
  try {
    setHeapGrowth(loadSetting('HEAP_GROWTH_PERCENT'));
    return true;
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`lekha: ${error.message}\n`);
    return false;
  }
}
