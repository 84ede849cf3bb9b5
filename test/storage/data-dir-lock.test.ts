import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DATA_DIR_LOCK_FILE, DataDirInUseError, DataDirLock } from '../../src/storage/index.js';

const dirs: string[] = [];

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function dataDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'lekha-lock-'));
  dirs.push(dir);
  return dir;
}

/** The PID of a process that has exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', '0']);
  return child.pid as number;
}

describe('DataDirLock', () => {
  it('writes the holder’s PID into a lock file and refuses a second holder, naming the PID', async () => {
    const dir = dataDir();
    const lock = await DataDirLock.acquire(dir);
    expect(readFileSync(path.join(dir, DATA_DIR_LOCK_FILE), 'utf8').split('\n')[0]).toBe(String(process.pid));
    const second = DataDirLock.acquire(dir);
    await expect(second).rejects.toBeInstanceOf(DataDirInUseError);
    await expect(second).rejects.toMatchObject({
      code: 'DATA_DIR_IN_USE',
      pid: process.pid,
      message: `data directory ${dir} is in use by PID ${process.pid}`,
    });
    await lock.release();
  });

  it('gives the directory to the next process once released', async () => {
    const dir = dataDir();
    await (await DataDirLock.acquire(dir)).release();
    const again = await DataDirLock.acquire(dir);
    await again.release();
  });

  it('takes over a lock left by a process that is gone', async () => {
    const dir = dataDir();
    writeFileSync(path.join(dir, DATA_DIR_LOCK_FILE), `${deadPid()}\nsome-nonce\n`);
    const lock = await DataDirLock.acquire(dir);
    expect(readFileSync(path.join(dir, DATA_DIR_LOCK_FILE), 'utf8').split('\n')[0]).toBe(String(process.pid));
    await lock.release();
  });

  it('takes over a lock left under this same PID by an earlier process (a restarted container)', async () => {
    const dir = dataDir();
    writeFileSync(path.join(dir, DATA_DIR_LOCK_FILE), `${process.pid}\nan-earlier-process\n`);
    const lock = await DataDirLock.acquire(dir);
    await lock.release();
  });

  it('takes over a lock file with unreadable content', async () => {
    const dir = dataDir();
    writeFileSync(path.join(dir, DATA_DIR_LOCK_FILE), 'garbage');
    const lock = await DataDirLock.acquire(dir);
    await lock.release();
  });

  it('leaves a lock it no longer holds in place on release', async () => {
    const dir = dataDir();
    const lock = await DataDirLock.acquire(dir);
    const other = `${process.ppid}\nanother-holder\n`;
    writeFileSync(path.join(dir, DATA_DIR_LOCK_FILE), other);
    await lock.release();
    expect(readFileSync(path.join(dir, DATA_DIR_LOCK_FILE), 'utf8')).toBe(other);
  });
});
