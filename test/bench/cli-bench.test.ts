import { execFile } from 'node:child_process';
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { cliPath, ensureBuiltCli, repoRoot } from '../support/built-cli.js';

/** A port nothing listens on: taken from the OS, then let go. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('lekha bench', () => {
  it('exits with an error when a scenario fails part-way, though it left a client reconnecting', async () => {
    await ensureBuiltCli();
    const redisUrl = `redis://127.0.0.1:${await closedPort()}`;
    // The storage bench opens Postgres, then fails on Redis, whose client keeps trying to reconnect.
    const result = await new Promise<{ code: number | null; killed: boolean; stderr: string }>((resolve) => {
      const child = execFile(
        process.execPath,
        [cliPath, 'bench', 'storage', '--quick'],
        { cwd: repoRoot, env: { ...process.env, REDIS_URL: redisUrl }, timeout: 60_000 },
        (_error, _stdout, stderr) => resolve({ code: child.exitCode, killed: child.killed, stderr }),
      );
    });
    expect(result.killed).toBe(false);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('the storage bench needs Redis');
  }, 90_000);
});
