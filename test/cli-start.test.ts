/*
 * `lekha start` as operators run it: the built CLI (`node dist/src/cli.js`,
 * and `npm start`) in its own process, against the Bot API emulator.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BotApiEmulator } from '../src/sandbox/index.js';
import { cliPath as cli, ensureBuiltCli, repoRoot as root } from './support/built-cli.js';
import { createTestSchema, type TestSchema } from './support/test-services.js';

/** Generous for a loaded machine: a start that fails exits well within it; one that hangs never does. */
const EXIT_WITHIN_MS = 20_000;
const cleanups: Array<() => Promise<unknown> | unknown> = [];
let schema: TestSchema;

beforeAll(async () => {
  // The CLI under test is the one `npm run build` makes (once per run, whichever file needs it first).
  await ensureBuiltCli();
  schema = await createTestSchema('cli_start');
}, 300_000);

afterAll(async () => {
  await schema?.drop();
});

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** The environment without any Lekha setting of the test runner's own. */
function baseEnv(): NodeJS.ProcessEnv {
  const lekhaSetting =
    /^(TELEGRAM_|GROQ_|WEBHOOK_|DATABASE_|REDIS_|DATA_DIR$|HTTP_|ADMIN_TOKEN$|ENCRYPTION_KEYS?$|EMBED|MODEL_|MEMORY_|LOG_LEVEL$)/;
  return Object.fromEntries(Object.entries(process.env).filter(([key]) => !lekhaSetting.test(key)));
}

/** A fresh DATA_DIR, removed after the test. */
function dataDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'lekha-cli-start-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

interface Exit {
  code: number | null;
  stdout: string;
  stderr: string;
  elapsedMs: number;
}

interface Running {
  child: ChildProcess;
  stdout: () => string;
  exit: Promise<Exit>;
}

function launch(
  command: string,
  args: string[],
  env: Record<string, string>,
  options: { detached?: boolean } = {},
): Running {
  const startedAt = Date.now();
  const child = spawn(command, args, {
    cwd: root,
    env: { ...baseEnv(), EMBED_THREADS: '1', MEMORY_SHARDS: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: options.detached === true,
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exit = new Promise<Exit>((resolve) =>
    child.once('close', (code) => resolve({ code, stdout, stderr, elapsedMs: Date.now() - startedAt })),
  );
  cleanups.push(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  return { child, stdout: () => stdout, exit };
}

/** Runs `lekha <args>` to its end, or reports that it did not end in time (and kills it). */
async function lekha(env: Record<string, string>, ...args: string[]): Promise<Exit & { hung: boolean }> {
  const run = launch(process.execPath, [cli, ...args], env);
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<'hung'>((resolve) => (timer = setTimeout(() => resolve('hung'), EXIT_WITHIN_MS)));
  const outcome = await Promise.race([run.exit, hung]);
  clearTimeout(timer);
  if (outcome === 'hung') {
    run.child.kill('SIGKILL');
    return { ...(await run.exit), hung: true };
  }
  return { ...outcome, hung: false };
}

async function until(what: string, condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** A server up and listening, started from the built CLI; resolves once its admin API listens. */
async function runningServer(
  env: Record<string, string>,
  command: [string, ...string[]] = [process.execPath, cli, 'start'],
): Promise<Running> {
  const server = launch(
    command[0],
    command.slice(1),
    { LOG_LEVEL: 'info', HTTP_PORT: '0', ...env },
    { detached: command[0] !== process.execPath },
  );
  await until('the server to listen', () => server.stdout().includes('admin dashboard and API listening'), 120_000);
  return server;
}

/** What a failed start must look like: exit 1 in bounded time, exactly one line on stderr, no stack trace. */
function expectOneLineFailure(result: Exit & { hung: boolean }, line: RegExp): void {
  expect(result.hung, `still running after ${EXIT_WITHIN_MS} ms; stderr: ${result.stderr}`).toBe(false);
  expect(result.code).toBe(1);
  expect(result.stderr).toMatch(/^lekha: [^\n]+\n$/);
  expect(result.stderr).toMatch(line);
  expect(`${result.stdout}${result.stderr}`).not.toMatch(/\n\s+at /);
}

async function emulator(): Promise<BotApiEmulator> {
  const botApi = await BotApiEmulator.start({ limits: false });
  cleanups.push(() => botApi.close());
  return botApi;
}

/** A port no one listens on: taken from the system, then let go. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('lekha start when it cannot start', () => {
  it('exits with one line naming TELEGRAM_BOT_TOKEN when Telegram refuses the token, never printing it', async () => {
    const botApi = await emulator();
    const wrongToken = `${botApi.token.split(':')[0]}:${'x'.repeat(35)}`;
    const result = await lekha(
      {
        TELEGRAM_BOT_TOKEN: wrongToken,
        TELEGRAM_API_ROOT: botApi.apiRoot,
        DATABASE_URL: schema.url,
        HTTP_PORT: '0',
        LOG_LEVEL: 'info',
      },
      'start',
    );
    expectOneLineFailure(
      result,
      /^lekha: TELEGRAM_BOT_TOKEN was refused by Telegram \(401 Unauthorized\): check the token from @BotFather\n$/,
    );
    expect(`${result.stdout}${result.stderr}`).not.toContain(wrongToken);
    expect(`${result.stdout}${result.stderr}`).not.toContain(wrongToken.split(':')[1]);
  });

  it('exits with one line naming TELEGRAM_API_ROOT when Telegram refuses connections, never printing the token', async () => {
    const port = await closedPort();
    const token = `123456:${'y'.repeat(35)}`;
    const apiRoot = `http://127.0.0.1:${port}`;
    const result = await lekha(
      {
        TELEGRAM_BOT_TOKEN: token,
        TELEGRAM_API_ROOT: apiRoot,
        DATABASE_URL: schema.url,
        HTTP_PORT: '0',
        LOG_LEVEL: 'info',
      },
      'start',
    );
    expectOneLineFailure(
      result,
      new RegExp(`^lekha: cannot reach Telegram at TELEGRAM_API_ROOT=${apiRoot}: connect ECONNREFUSED\\n$`),
    );
    expect(`${result.stdout}${result.stderr}`).not.toContain(token.split(':')[1]);
  });

  it('exits with one line naming TELEGRAM_API_ROOT when Telegram resets the connection', async () => {
    const botApi = await emulator();
    botApi.injectFault({ kind: 'reset', target: 'getMe', count: 100 });
    const result = await lekha(
      {
        TELEGRAM_BOT_TOKEN: botApi.token,
        TELEGRAM_API_ROOT: botApi.apiRoot,
        DATABASE_URL: schema.url,
        HTTP_PORT: '0',
        LOG_LEVEL: 'info',
      },
      'start',
    );
    expectOneLineFailure(
      result,
      new RegExp(`^lekha: cannot reach Telegram at TELEGRAM_API_ROOT=${botApi.apiRoot}: read ECONNRESET\\n$`),
    );
    expect(`${result.stdout}${result.stderr}`).not.toContain(botApi.token.split(':')[1]);
  });

  it('exits with one line naming HTTP_PORT when the port is taken, without taking a single update', async () => {
    const botApi = await emulator();
    botApi.injectMessage({ chatId: 42, from: { id: 7, firstName: 'Tester' }, text: 'Лёха, привет!' });
    const holder = net.createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise((resolve) => holder.close(resolve)));
    const { port } = holder.address() as net.AddressInfo;
    const result = await lekha(
      {
        TELEGRAM_BOT_TOKEN: botApi.token,
        TELEGRAM_API_ROOT: botApi.apiRoot,
        DATABASE_URL: schema.url,
        HTTP_HOST: '127.0.0.1',
        HTTP_PORT: String(port),
        LOG_LEVEL: 'info',
      },
      'start',
    );
    expectOneLineFailure(
      result,
      new RegExp(`^lekha: HTTP_PORT ${port} is already in use on 127\\.0\\.0\\.1: set HTTP_PORT to a free port\\n$`),
    );
    expect(botApi.stats().getUpdatesCalls).toBe(0);
    expect(botApi.sent).toEqual([]);
  });
});

describe('one process per DATA_DIR', () => {
  it('refuses a second server and `lekha token create` while a server holds the embedded database, naming its PID', async () => {
    const dir = dataDir();
    const server = await runningServer({ DATA_DIR: dir });
    const pid = server.child.pid as number;

    const second = await lekha({ DATA_DIR: dir, HTTP_PORT: '0', LOG_LEVEL: 'info' }, 'start');
    expectOneLineFailure(
      second,
      new RegExp(
        `^lekha: data directory ${dir} is in use by PID ${pid}: stop that process, or set DATA_DIR to another directory\\n$`,
      ),
    );

    const token = await lekha({ DATA_DIR: dir, LOG_LEVEL: 'silent' }, 'token', 'create', '--role', 'admin');
    expect(token.hung).toBe(false);
    expect(token.code).toBe(1);
    expect(token.stderr).toMatch(
      new RegExp(`^lekha: data directory ${dir} is in use by PID ${pid}: [^\\n]*POST /api/tokens[^\\n]*\\n$`),
    );
    expect(token.stdout).toBe('');

    server.child.kill('SIGTERM');
    expect((await server.exit).code).toBe(0);
    // Once the server is gone the directory is free again.
    const after = await lekha({ DATA_DIR: dir, LOG_LEVEL: 'silent' }, 'token', 'create', '--role', 'admin');
    expect(after.code).toBe(0);
    expect(after.stderr).toContain('Created admin token');
    expect(after.stdout).toMatch(/^\S{20,}\n$/);
  }, 240_000);
});

describe('npm start under a process supervisor', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)(
    'stops the node process too when only npm gets %s',
    async (signal) => {
      const npm = await runningServer({ DATABASE_URL: schema.url, DATA_DIR: dataDir() }, ['npm', 'start', '--silent']);
      const group = npm.child.pid as number;
      const groupAlive = (): boolean => {
        try {
          process.kill(-group, 0);
          return true;
        } catch {
          // ESRCH: no process is left in npm's process group.
          return false;
        }
      };
      cleanups.push(() => {
        if (groupAlive()) process.kill(-group, 'SIGKILL');
      });
      process.kill(group, signal);
      await until('npm and every process it started to exit', () => !groupAlive(), 30_000);
      expect((await npm.exit).stdout).toContain('"msg":"stopped"');
    },
    240_000,
  );
});
