import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import pg from 'pg';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A Postgres database the suites may create schemas in. */
    postgresUrl: string;
    /** A Redis the suites may write keys under their own prefix in. */
    redisUrl: string;
    /** A directory this run's test files share files through (removed at the end of the run). */
    sharedTempDir: string;
  }
}

/**
 * Finds the Postgres and Redis the integration suites run against, in this
 * order: `DATABASE_URL` / `REDIS_URL` when set (they must work), services on
 * localhost's default ports, throwaway instances started from the installed
 * server binaries in a temporary directory on free ports. With none of
 * these it fails and says what to install: suites are never skipped.
 * `LEKHA_TEST_SERVICES=spawn` forces throwaway instances. Also gives the
 * run a temporary directory its test files share files through.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const cleanups: Array<() => Promise<void> | void> = [];
  const spawnOnly = process.env.LEKHA_TEST_SERVICES === 'spawn';
  try {
    project.provide('postgresUrl', await findPostgres(spawnOnly, cleanups));
    project.provide('redisUrl', await findRedis(spawnOnly, cleanups));
    const shared = mkdtempSync(path.join(os.tmpdir(), 'lekha-test-shared-'));
    cleanups.push(() => rmSync(shared, { recursive: true, force: true }));
    project.provide('sharedTempDir', shared);
  } catch (error) {
    await runAll(cleanups);
    throw error;
  }
  return () => runAll(cleanups);
}

async function runAll(cleanups: Array<() => Promise<void> | void>): Promise<void> {
  for (const cleanup of cleanups.reverse()) await cleanup();
}

// ---- Postgres ----

async function findPostgres(spawnOnly: boolean, cleanups: Array<() => Promise<void> | void>): Promise<string> {
  const explicit = process.env.DATABASE_URL;
  if (explicit !== undefined && explicit !== '' && !spawnOnly) {
    const problem = await probePostgres(explicit);
    if (problem !== undefined) throw new Error(`DATABASE_URL is set but the tests cannot use it: ${problem}`);
    return explicit;
  }
  if (!spawnOnly) {
    const user = process.env.PGUSER ?? os.userInfo().username;
    for (const database of ['test', 'postgres']) {
      const url = `postgres://${encodeURIComponent(user)}@127.0.0.1:5432/${database}`;
      if ((await probePostgres(url)) === undefined) return url;
    }
  }
  const bin = postgresBinDir();
  if (bin === undefined) {
    throw new Error(
      'The integration tests need Postgres: set DATABASE_URL, run a server on 127.0.0.1:5432 that accepts ' +
        'this user without a password, or install the server binaries (Debian: apt-get install postgresql) ' +
        'so the tests can start a throwaway one.',
    );
  }
  return startThrowawayPostgres(bin, cleanups);
}

async function probePostgres(url: string): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  } finally {
    await client.end().catch(() => undefined); // the connection may never have opened
  }
}

/** The directory holding initdb and pg_ctl: on PATH, or the newest Debian cluster version. */
function postgresBinDir(): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (dir !== '' && existsSync(path.join(dir, 'initdb')) && existsSync(path.join(dir, 'pg_ctl'))) return dir;
  }
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter((v) => existsSync(path.join(root, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] === undefined ? undefined : path.join(root, versions[0], 'bin');
}

async function startThrowawayPostgres(bin: string, cleanups: Array<() => Promise<void> | void>): Promise<string> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'lekha-test-pg-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  // Postgres refuses to run as root; run it as the postgres system user then.
  const owner = process.getuid?.() === 0 ? systemUser('postgres') : undefined;
  if (process.getuid?.() === 0 && owner === undefined) {
    throw new Error('Tests run as root and there is no "postgres" system user to run a throwaway Postgres as.');
  }
  if (owner !== undefined) chownSync(dir, owner.uid, owner.gid);
  const as = owner === undefined ? {} : { uid: owner.uid, gid: owner.gid };
  const data = path.join(dir, 'data');
  const port = await freePort();
  execFileSync(path.join(bin, 'initdb'), ['-D', data, '-A', 'trust', '-U', 'lekha', '-E', 'UTF8', '--no-sync'], {
    ...as,
    stdio: 'pipe',
  });
  const settings = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off`;
  execFileSync(
    path.join(bin, 'pg_ctl'),
    ['-D', data, '-l', path.join(dir, 'server.log'), '-o', settings, '-w', 'start'],
    {
      ...as,
      stdio: 'pipe',
    },
  );
  cleanups.push(() => {
    execFileSync(path.join(bin, 'pg_ctl'), ['-D', data, '-m', 'immediate', 'stop'], { ...as, stdio: 'pipe' });
  });
  const admin = new pg.Client({ connectionString: `postgres://lekha@127.0.0.1:${port}/postgres` });
  await admin.connect();
  await admin.query('CREATE DATABASE test');
  await admin.end();
  return `postgres://lekha@127.0.0.1:${port}/test`;
}

// ---- Redis ----

async function findRedis(spawnOnly: boolean, cleanups: Array<() => Promise<void> | void>): Promise<string> {
  const explicit = process.env.REDIS_URL;
  if (explicit !== undefined && explicit !== '' && !spawnOnly) {
    const problem = await probeRedis(explicit);
    if (problem !== undefined) throw new Error(`REDIS_URL is set but the tests cannot use it: ${problem}`);
    return explicit;
  }
  if (!spawnOnly && (await probeRedis('redis://127.0.0.1:6379')) === undefined) return 'redis://127.0.0.1:6379';
  const server = onPath('redis-server');
  if (server === undefined) {
    throw new Error(
      'The integration tests need Redis: set REDIS_URL, run one on 127.0.0.1:6379, or install redis-server ' +
        '(Debian: apt-get install redis-server) so the tests can start a throwaway one.',
    );
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), 'lekha-test-redis-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const port = await freePort();
  const child: ChildProcess = spawn(
    server,
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir],
    {
      stdio: 'ignore',
    },
  );
  cleanups.push(() => {
    child.kill('SIGTERM');
  });
  const url = `redis://127.0.0.1:${port}`;
  for (let attempt = 0; attempt < 100; attempt++) {
    if ((await probeRedis(url)) === undefined) return url;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`a throwaway redis-server on port ${port} did not answer`);
}

async function probeRedis(url: string): Promise<string | undefined> {
  const redis = new Redis(url, {
    lazyConnect: true,
    retryStrategy: () => null,
    maxRetriesPerRequest: 0,
    connectTimeout: 2000,
  });
  redis.on('error', () => undefined); // reported through the rejected connect below
  try {
    await redis.connect();
    await redis.ping();
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  } finally {
    redis.disconnect();
  }
}

// ---- plumbing ----

function onPath(command: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, command);
    if (dir !== '' && existsSync(candidate)) return candidate;
  }
  return undefined;
}

function systemUser(name: string): { uid: number; gid: number } | undefined {
  try {
    const uid = Number(execFileSync('id', ['-u', name], { stdio: 'pipe' }).toString().trim());
    const gid = Number(execFileSync('id', ['-g', name], { stdio: 'pipe' }).toString().trim());
    return { uid, gid };
  } catch {
    return undefined; // `id` fails when the user does not exist
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
