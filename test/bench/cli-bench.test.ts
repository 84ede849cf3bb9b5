import { execFile } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { cliPath, ensureBuiltCli, repoRoot } from '../support/built-cli.js';
import { freePort } from '../support/edge-harness.js';

interface BenchExit {
  code: number | null;
  /** Killed by the timeout: the process did not end by itself. */
  killed: boolean;
  stdout: string;
  stderr: string;
}

/** `lekha bench <args>` from the built CLI, with `env` over this process's environment. */
async function bench(args: string[], env: Record<string, string>, timeoutMs: number): Promise<BenchExit> {
  await ensureBuiltCli();
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [cliPath, 'bench', ...args],
      { cwd: repoRoot, env: { ...process.env, ...env }, timeout: timeoutMs },
      (_error, stdout, stderr) => resolve({ code: child.exitCode, killed: child.killed, stdout, stderr }),
    );
  });
}

describe('lekha bench', () => {
  it('exits with an error when a scenario fails part-way, though it left a client reconnecting', async () => {
    const redisUrl = `redis://127.0.0.1:${await freePort()}`; // nothing listens there
    // The storage bench opens Postgres, then fails on Redis, whose client keeps trying to reconnect;
    // with --runs each run is a child process of its own, and the parent waits for both.
    const result = await bench(['storage', '--quick', '--runs', '2'], { REDIS_URL: redisUrl }, 60_000);
    expect(result.killed).toBe(false);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('the storage bench needs Redis');
  }, 90_000);

  it('refuses a malformed HEAP_GROWTH_PERCENT by name before running anything', async () => {
    const result = await bench(['kernel', '--quick'], { HEAP_GROWTH_PERCENT: 'lots' }, 30_000);
    expect(result.code).toBe(78);
    expect(result.stderr).toContain('HEAP_GROWTH_PERCENT:');
    expect(result.stderr).not.toContain('kernel:'); // no scenario started
    expect(result.stdout).toBe('');
  }, 60_000);
});
