import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { waitFor } from './edge-harness.js';

/** A throwaway redis-server of one test's own, for server-wide commands (SCRIPT FLUSH) other test files must not feel. */
export interface PrivateRedis {
  readonly client: Redis;
  close(): Promise<void>;
}

/** Starts `redis-server` on a Unix socket in a temporary directory (no TCP port at all). */
export async function startPrivateRedis(): Promise<PrivateRedis> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'lekha-private-redis-'));
  const socket = path.join(dir, 'redis.sock');
  const child: ChildProcess = spawn(
    'redis-server',
    ['--port', '0', '--unixsocket', socket, '--save', '', '--appendonly', 'no', '--dir', dir],
    { stdio: 'ignore' },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const client = new Redis({ path: socket, lazyConnect: true, retryStrategy: () => 20, maxRetriesPerRequest: 1 });
  client.on('error', () => undefined);
  await waitFor(
    'the private redis-server to answer',
    async () => {
      if (child.exitCode !== null) throw new Error(`redis-server exited with ${child.exitCode}`);
      return (await client.ping().catch(() => '')) === 'PONG';
    },
    10_000,
  );
  return {
    client,
    async close() {
      client.disconnect();
      child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
