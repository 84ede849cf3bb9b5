import { randomUUID } from 'node:crypto';
import { link, mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { DataDirInUseError } from './errors.js';

/** The lock file's name inside the data directory. */
export const DATA_DIR_LOCK_FILE = 'lekha.lock';

/**
 * Tells this process's locks from those an earlier process with the same PID
 * left behind: a container restarted after a crash runs Lekha under the same
 * PID (often 1) again.
 */
const processNonce = randomUUID();

/** Holder of the lock as its file says. */
interface Holder {
  pid: number;
  nonce: string;
  text: string;
}

/**
 * One process at a time in a data directory: embedded PGlite corrupts (or
 * aborts) when two processes open the same files. The lock is a file under
 * the directory holding the owner's PID, created exclusively; a lock whose
 * process is gone (a crash, a SIGKILL) is taken over.
 */
export class DataDirLock {
  private released = false;

  private constructor(
    readonly dir: string,
    private readonly file: string,
    private readonly text: string,
  ) {}

  /** Takes the lock of `dir` (created if missing), or throws {@link DataDirInUseError} naming the live holder. */
  static async acquire(dir: string): Promise<DataDirLock> {
    const resolved = path.resolve(dir);
    await mkdir(resolved, { recursive: true });
    const file = path.join(resolved, DATA_DIR_LOCK_FILE);
    const text = `${process.pid}\n${processNonce}\n`;
    // A few rounds: a stale lock this process removes may be taken by another one first.
    let holder: Holder | null = null;
    for (let round = 0; round < 5; round++) {
      if (await createExclusively(file, text)) return new DataDirLock(resolved, file, text);
      holder = await readHolder(file);
      if (holder === null) continue;
      if (isAlive(holder)) break;
      await removeIfUnchanged(file, holder.text);
    }
    throw new DataDirInUseError(resolved, holder?.pid ?? null);
  }

  /** Gives the directory up (once; later calls do nothing). */
  async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    await removeIfUnchanged(this.file, this.text);
  }
}

/**
 * Writes the lock beside its final name and links it there: the link fails
 * if a lock exists, and a lock that exists always has its content.
 */
async function createExclusively(file: string, text: string): Promise<boolean> {
  const draft = `${file}.${process.pid}.${randomUUID()}`;
  await writeFile(draft, text);
  try {
    await link(draft, file);
    return true;
  } catch (error) {
    if (errorCode(error) === 'EEXIST') return false;
    throw error;
  } finally {
    await unlink(draft);
  }
}

/** The holder the lock file names; null when it vanished meanwhile. Unreadable content counts as a holder that is gone. */
async function readHolder(file: string): Promise<Holder | null> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return null;
    throw error;
  }
  const [pid, nonce] = text.split('\n');
  return { pid: Number(pid), nonce: nonce ?? '', text };
}

function isAlive(holder: Holder): boolean {
  if (!Number.isSafeInteger(holder.pid) || holder.pid <= 0) return false;
  if (holder.pid === process.pid) return holder.nonce === processNonce;
  try {
    process.kill(holder.pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return errorCode(error) !== 'ESRCH';
  }
}

/** Removes the lock file unless it changed hands since it was read. */
async function removeIfUnchanged(file: string, text: string): Promise<void> {
  try {
    if ((await readFile(file, 'utf8')) === text) await unlink(file);
  } catch (error) {
    if (errorCode(error) !== 'ENOENT') throw error;
  }
}

function errorCode(error: unknown): unknown {
  return typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
}
