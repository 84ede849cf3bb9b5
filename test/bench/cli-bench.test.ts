import { execFile } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { cliPath, ensureBuiltCli, repoRoot } from '../support/built-cli.js';
import { freePort } from '../support/edge-harness.js';

describe('lekha bench', () => {
  it('exits with an error when a scenario fails part-way, though it left a client reconnecting', async () => {
    await ensureBuiltCli();
    const redisUrl = `redis://127.0.0.1:${await freePort()}`; // nothing listens there
    // The storage bench opens Postgres, then fails on Redis, whose client keeps trying to reconnect;
    // with --runs each run is a child process of its own, and the parent waits for both.
    const result = await new Promise<{ code: number | null; killed: boolean; stderr: string }>((resolve) => {
      const child = execFile(
        process.execPath,
        [cliPath, 'bench', 'storage', '--quick', '--runs', '2'],
        { cwd: repoRoot, env: { ...process.env, REDIS_URL: redisUrl }, timeout: 60_000 },
        (_error, _stdout, stderr) => resolve({ code: child.exitCode, killed: child.killed, stderr }),
      );
    });
    expect(result.killed).toBe(false);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('the storage bench needs Redis');
  }, 90_000);

  it('refuses a malformed HEAP_GROWTH_PERCENT by name before running anything', async () => {
    await ensureBuiltCli();
    const result = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = execFile(
        process.execPath,
        [cliPath, 'bench', 'kernel', '--quick'],
        { cwd: repoRoot, env: { ...process.env, HEAP_GROWTH_PERCENT: 'lots' }, timeout: 30_000 },
        (_error, stdout, stderr) => resolve({ code: child.exitCode, stdout, stderr }),
      );
    });
    expect(result.code).toBe(78);
    expect(result.stderr).toContain('HEAP_GROWTH_PERCENT:');
    expect(result.stderr).not.toContain('kernel:'); // no scenario started
    expect(result.stdout).toBe('');
  }, 60_000);
});
