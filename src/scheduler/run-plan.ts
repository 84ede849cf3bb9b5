import type { Job } from '../ports/index.js';
import { nextFutureRun } from './schedule.js';

/** What to do with a claimed job now: run it or not, and when it is due next (null: never). */
export interface RunPlan {
  run: boolean;
  /** A missed run of a `skip` job: not run, moved to its next slot. */
  skipped: boolean;
  nextDueAtMs: number | null;
}

/**
 * Decides a claimed job's run. A recurring job's run is *missed* when it
 * starts more than `missedGraceMs` after its due time (no process was up,
 * or all were saturated): a `run-once` job runs once for all the runs it
 * missed, a `skip` job does not run; either way its next run is its first
 * slot after now, so a long downtime never causes a burst of runs.
 */
export function planRun(job: Job, nowMs: number, missedGraceMs: number): RunPlan {
  if (job.schedule.kind === 'once') return { run: true, skipped: false, nextDueAtMs: null };
  const nextDueAtMs = nextFutureRun(job.schedule, job.dueAtMs, nowMs);
  const missed = nowMs - job.dueAtMs > missedGraceMs;
  const skipped = missed && job.missedRuns === 'skip';
  return { run: !skipped, skipped, nextDueAtMs };
}
