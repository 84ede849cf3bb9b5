#!/usr/bin/env node
// Performs the Dockerfile's steps without a Docker engine and checks that the
// result runs as the image would:
//
//   build    the files the Dockerfile copies, in a clean directory, compiled
//            with `npm run build` (the dev dependencies are this checkout's
//            node_modules, installed from the same package-lock.json);
//   deps     the `deps` stage's RUN commands as written (`npm ci --omit=dev`
//            and its pruning) in another clean directory, from the npm cache
//            (missing packages are fetched);
//   runtime  package.json + the production node_modules + dist/, owned by the
//            installing user and read-only to the user the image runs as
//            (the Dockerfile's USER, when this script runs as root), with a
//            data directory that user owns.
//
// Then `lekha start` in sandbox mode on a free port: waits for /healthz, runs
// the Dockerfile's HEALTHCHECK command, sends SIGTERM and expects a drain and
// exit 0 within SHUTDOWN_DEADLINE_MS plus a margin; the HEALTHCHECK must then
// fail. Prints one JSON line of figures (sizes, timings) and exits 0, or
// names the step that failed and exits 1.
//
//   node scripts/image-smoke.mjs [--keep]
import { execFile, spawn } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  cpSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  symlinkSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';

const run = promisify(execFile);
const root = resolve(import.meta.dirname, '..');
const keep = process.argv.includes('--keep');
const SHUTDOWN_DEADLINE_MS = 10_000;

/** What the Dockerfile says, read from it so this script cannot drift from the image. */
export function readDockerfile(text) {
  const instructions = text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  const copied = instructions
    .filter((line) => /^COPY\s/i.test(line) && !/--from=/i.test(line))
    .flatMap((line) =>
      line
        .split(/\s+/)
        .slice(1)
        .filter((arg) => !arg.startsWith('--'))
        .slice(0, -1),
    );
  const runs = new Map();
  let stage = '';
  for (const line of instructions) {
    const from = line.match(/^FROM\s+\S+(?:\s+AS\s+(\S+))?/i);
    if (from !== null) stage = from[1] ?? '';
    const command = line.match(/^RUN\s+((?:--\S+\s+)*)(.*)$/i);
    if (command !== null) runs.set(stage, [...(runs.get(stage) ?? []), command[2]]);
  }
  const user = instructions
    .filter((line) => /^USER\s/i.test(line))
    .at(-1)
    ?.split(/\s+/)[1];
  const healthcheck = instructions.find((line) => /^HEALTHCHECK\s/i.test(line));
  const exec = healthcheck?.match(/CMD\s+(\[.*\])\s*$/)?.[1];
  return { copied: [...new Set(copied)], runs, user, healthcheck: exec === undefined ? undefined : JSON.parse(exec) };
}

function freePort() {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => done(port));
    });
  });
}

async function sizeMb(dir) {
  const { stdout } = await run('du', ['-sk', dir]);
  return Math.round(Number(stdout.split('\t')[0]) / 102.4) / 10;
}

async function until(what, check, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

/** `command` started as the image's user: behind `asUser` (setpriv …), or as is when that is empty. */
function spawnAs(asUser, command, options) {
  const [file, ...args] = [...asUser, ...command];
  return spawn(file, args, options);
}

function exitCodeOf(asUser, command, env, cwd) {
  return new Promise((done) => {
    spawnAs(asUser, command, { cwd, env, stdio: 'ignore' }).once('close', (code) => done(code));
  });
}

async function main() {
  const dockerfile = readDockerfile(readFileSync(join(root, 'Dockerfile'), 'utf8'));
  if (dockerfile.user === undefined || dockerfile.healthcheck === undefined) {
    throw new Error('the Dockerfile names no USER or no HEALTHCHECK CMD [...]');
  }
  const [uid, gid = uid] = dockerfile.user.split(':');
  const asUser =
    process.getuid?.() === 0 ? ['setpriv', `--reuid=${uid}`, `--regid=${gid}`, '--clear-groups', '--'] : [];
  const work = mkdtempSync(join(tmpdir(), 'lekha-image-smoke-'));
  chmodSync(work, 0o755);
  const figures = {};
  try {
    const build = join(work, 'build');
    const deps = join(work, 'deps');
    const app = join(work, 'app');
    const data = join(work, 'data');
    for (const dir of [build, deps, app, data]) mkdirSync(dir);

    let started = Date.now();
    for (const source of dockerfile.copied) {
      cpSync(join(root, source), join(build, source), { recursive: true, filter: (f) => !f.includes('/results') });
    }
    symlinkSync(join(root, 'node_modules'), join(build, 'node_modules'));
    await run('npm', ['run', 'build', '--silent'], { cwd: build });
    figures.buildS = (Date.now() - started) / 1000;

    started = Date.now();
    for (const file of ['package.json', 'package-lock.json', '.npmrc']) cpSync(join(root, file), join(deps, file));
    const depsSteps = dockerfile.runs.get('deps') ?? [];
    if (!depsSteps.some((step) => /\bnpm ci\b.*--omit=dev/.test(step))) {
      throw new Error('the deps stage runs no `npm ci --omit=dev`');
    }
    for (const step of depsSteps) {
      await run('sh', ['-ec', step], {
        cwd: deps,
        env: { ...process.env, npm_config_prefer_offline: 'true' },
        maxBuffer: 64 << 20,
      });
    }
    figures.npmCiS = (Date.now() - started) / 1000;

    cpSync(join(root, 'package.json'), join(app, 'package.json'));
    renameSync(join(deps, 'node_modules'), join(app, 'node_modules'));
    cpSync(join(build, 'dist'), join(app, 'dist'), { recursive: true });
    if (asUser.length > 0) chownSync(data, Number(uid), Number(gid));
    figures.nodeModulesMb = await sizeMb(join(app, 'node_modules'));
    figures.distMb = await sizeMb(join(app, 'dist'));

    const port = await freePort();
    const env = {
      PATH: process.env.PATH,
      // The image's root filesystem may be read-only (deploy/k8s): HOME is not writable either.
      HOME: app,
      NODE_ENV: 'production',
      HTTP_HOST: '127.0.0.1',
      HTTP_PORT: String(port),
      DATA_DIR: data,
      SHUTDOWN_DEADLINE_MS: String(SHUTDOWN_DEADLINE_MS),
      EMBED_THREADS: '1',
      MEMORY_SHARDS: '1',
    };
    started = Date.now();
    const child = spawnAs(asUser, ['node', 'dist/src/cli.js', 'start'], {
      cwd: app,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const exited = new Promise((done) => child.once('close', (code, signal) => done({ code, signal })));
    let exit = null;
    void exited.then((result) => (exit = result));
    try {
      await until(
        '/healthz to answer 200',
        async () => {
          if (exit !== null) throw new Error(`lekha start exited early (${JSON.stringify(exit)}):\n${output}`);
          return globalThis.fetch(`http://127.0.0.1:${port}/healthz`).then(
            (res) => res.ok,
            () => false,
          );
        },
        120_000,
      );
      figures.startS = (Date.now() - started) / 1000;
      const healthy = await exitCodeOf(asUser, dockerfile.healthcheck, env, app);
      if (healthy !== 0) throw new Error(`the HEALTHCHECK command exits ${healthy} against a healthy server`);

      started = Date.now();
      child.kill('SIGTERM');
      const giveUp = new globalThis.AbortController();
      const result = await Promise.race([
        exited,
        sleep(SHUTDOWN_DEADLINE_MS + 10_000, 'hung', { signal: giveUp.signal }).catch(() => 'aborted'),
      ]);
      giveUp.abort();
      if (result === 'hung') throw new Error(`no exit within ${SHUTDOWN_DEADLINE_MS + 10_000} ms of SIGTERM`);
      figures.stopS = (Date.now() - started) / 1000;
      if (result.code !== 0) throw new Error(`exit ${JSON.stringify(result)} after SIGTERM:\n${output}`);
      if (!/"msg":"stopping"/.test(output) || !/"msg":"stopped"/.test(output)) {
        throw new Error(`no "stopping" / "stopped" lines after SIGTERM:\n${output}`);
      }
      const afterStop = await exitCodeOf(asUser, dockerfile.healthcheck, env, app);
      if (afterStop === 0) throw new Error('the HEALTHCHECK command exits 0 with no server running');
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
    process.stdout.write(`${JSON.stringify({ ok: true, user: dockerfile.user, ...figures })}\n`);
  } finally {
    if (keep) process.stderr.write(`kept ${work}\n`);
    else rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  main().catch((error) => {
    process.stderr.write(`image smoke: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
}
