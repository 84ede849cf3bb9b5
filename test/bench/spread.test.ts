import { afterEach, describe, expect, it, vi } from 'vitest';
import type { BenchReport } from '../../bench/report.js';
import { runBench } from '../../bench/run.js';
import { formatSpreadTable, summarise } from '../../bench/spread.js';

function report(results: Record<string, number>, baseline?: Record<string, number>, scenario = 'kernel'): BenchReport {
  return {
    scenario,
    machine: { cpus: 2, node: 'v20', platform: 'linux-x64' },
    startedAt: '2026-12-06T00:00:00.000Z',
    durationMs: 1,
    results,
    ...(baseline === undefined ? {} : { baseline }),
    targets: { rate: { '>=': 100 }, p99: { '<=': 5 } },
  };
}

describe('bench spread over runs', () => {
  afterEach(() => vi.restoreAllMocks());

  it('reports the median, min and max of every metric, in run order', () => {
    const spread = summarise([
      report({ rate: 120, p99: 4 }, { rate: 50 }),
      report({ rate: 90, p99: 6 }, { rate: 40 }),
      report({ rate: 110, p99: 9 }, { rate: 60 }),
    ]);
    expect(spread.runs).toBe(3);
    expect(spread.results.rate).toEqual({ median: 110, min: 90, max: 120, values: [120, 90, 110] });
    expect(spread.results.p99).toEqual({ median: 6, min: 4, max: 9, values: [4, 6, 9] });
    expect(spread.baseline.rate?.median).toBe(50);
  });

  it('takes the mean of the middle two for an even number of runs and skips runs without the metric', () => {
    const spread = summarise([report({ rate: 100, step: 1 }), report({ rate: 200 }), report({ rate: 300, step: 3 })]);
    expect(spread.results.step).toEqual({ median: 2, min: 1, max: 3, values: [1, 3] });
  });

  it('judges the median against the target', () => {
    const table = formatSpreadTable(summarise([report({ rate: 120, p99: 4 }), report({ rate: 90, p99: 6 })]));
    expect(table).toMatch(/rate\s+105\s+90–120\s+>= 100\s+ok/);
    expect(table).toMatch(/p99\s+5\s+4–6\s+<= 5\s+ok/);
    const missing = formatSpreadTable(summarise([report({ rate: 80, p99: 7 })]));
    expect(missing).toMatch(/rate\s+80\s+80–80\s+>= 100\s+MISS/);
  });

  it('refuses reports of different scenarios or none', () => {
    expect(() => summarise([])).toThrow(/no bench report/);
    expect(() => summarise([report({ rate: 1 }), report({ rate: 1 }, undefined, 'chat')])).toThrow(
      /different scenarios \(kernel, chat\)/,
    );
  });

  it('refuses a run count that is not a whole number from 1 to 20', async () => {
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    for (const runs of ['0', '21', '2.5', 'three']) {
      expect(await runBench(['kernel', '--runs', runs])).toBe(2);
    }
    expect(stderr.mock.calls.map((call) => String(call[0])).join('')).toContain(
      '--runs must be a whole number from 1 to 20, got "three"',
    );
    expect(await runBench(['kernel', '--runs'])).toBe(2);
  });
});
