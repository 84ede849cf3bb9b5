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
});
