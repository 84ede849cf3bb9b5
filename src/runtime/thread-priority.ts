import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';

/**
 * Lowers the OS scheduling priority of the calling thread to `niceness`
 * (0–19; higher yields more). Meant for worker threads doing background CPU
 * work, so that the event loop (and latency-critical threads) win the cores
 * whenever they have something to do, while the workers still use every
 * idle cycle.
 *
 * Node offers no thread id, so this works where Linux gives one: a thread's
 * nice value is its own there, set through its kernel id from
 * `/proc/thread-self`. Elsewhere, or if the system refuses, it does nothing
 * and returns false; priority is an optimisation, never a requirement.
 */
export function lowerThreadPriority(niceness: number): boolean {
  if (process.platform !== 'linux' || niceness <= 0) return false;
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').at(-1));
    if (!Number.isSafeInteger(tid) || tid <= 0) return false;
    setPriority(tid, Math.min(19, Math.trunc(niceness)));
    return true;
  } catch {
    // Safe to ignore: the thread keeps its priority and works as before.
    return false;
  }
}
