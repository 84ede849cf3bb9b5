/*
 * The built CLI (`dist/src/cli.js`) for the suites that run `lekha` as a real
 * process. vitest runs test files in parallel forks, and several of them may
 * need the build at once: `npm run build` runs at most once per vitest run.
 * A file that finds the build missing takes a lock (an atomic `mkdir`),
 * builds, and leaves a stamp in the run's shared directory (the global
 * setup's `sharedTempDir`, made afresh for every run); the others wait for
 * the lock, see the stamp and build nothing. A lock left by a process that
 * died is taken over.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { inject } from 'vitest';

/** The repository root. */
export const repoRoot = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
/** The built CLI's entry point: `node <cliPath> start`. */
export const cliPath = path.join(repoRoot, 'dist', 'src', 'cli.js');

/** A build takes about a minute on a busy 2-core machine; a waiter gives up well after that. */
const WAIT_FOR_BUILD_MS = 300_000;
const POLL_MS = 200;

/**
 * Builds `dist/` unless this vitest run already did; resolves once the build
 * is there. Safe to call from every test file of a run, concurrently.
 */
export async function ensureBuiltCli(): Promise<string> {
  const stamp = path.join(inject('sharedTempDir'), 'built-cli.stamp');
  // The lock lives outside the run's directory: two runs in one checkout must not build over each other either.
  const lock = path.join(
    tmpdir(),
    `lekha-build-${createHash('sha256').update(repoRoot).digest('hex').slice(0, 16)}.lock`,
  );
  const deadline = Date.now() + WAIT_FOR_BUILD_MS;
  for (;;) {
    if (existsSync(stamp)) return cliPath;
    if (takeLock(lock)) {
      try {
        // Another file of this run may have built between the stamp check and the lock.
        if (!existsSync(stamp)) {
          await promisify(execFile)('npm', ['run', 'build', '--silent'], { cwd: repoRoot });
          writeFileSync(stamp, `${process.pid} ${new Date().toISOString()}\n`);
        }
        return cliPath;
      } finally {
        rmSync(lock, { recursive: true, force: true });
      }
    }
    if (Date.now() > deadline) throw new Error(`the build of ${cliPath} held by ${lock} did not finish in time`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/** Takes the lock directory; a lock whose holder is gone is removed and taken. */
function takeLock(lock: string): boolean {
  try {
    mkdirSync(lock);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    if (holderAlive(lock)) return false;
    rmSync(lock, { recursive: true, force: true });
    try {
      mkdirSync(lock);
    } catch (retry) {
      if ((retry as NodeJS.ErrnoException).code === 'EEXIST') return false; // another waiter took it first
      throw retry;
    }
  }
  writeFileSync(path.join(lock, 'pid'), String(process.pid));
  return true;
}

function holderAlive(lock: string): boolean {
  let pid: number;
  try {
    pid = Number(readFileSync(path.join(lock, 'pid'), 'utf8'));
  } catch {
    // No pid yet: the holder is between making the directory and writing it, unless that was long ago.
    try {
      return Date.now() - statSync(lock).mtimeMs < 10_000;
    } catch {
      return false; // the lock is gone already
    }
  }
  if (!Number.isInteger(pid) || pid <= 0) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists under another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
