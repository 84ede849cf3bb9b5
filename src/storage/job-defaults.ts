import type { JobSchedule, JobStatus, MissedRunPolicy, NewJob } from '../ports/index.js';

/** Every status a job can have, in life-cycle order (for counts that list all of them). */
export const JOB_STATUSES: readonly JobStatus[] = [
  'pending',
  'claimed',
  'delivering',
  'done',
  'failed',
  'cancelled',
  'in_doubt',
];

/** Attempts a job gets when its creator names none: the first run and two retries. */
export const DEFAULT_MAX_ATTEMPTS = 3;

/** A new job with every optional field filled in as the stores store it. */
export function jobDefaults(job: NewJob): Required<Omit<NewJob, 'schedule' | 'missedRuns'>> & {
  schedule: JobSchedule;
  missedRuns: MissedRunPolicy;
} {
  return {
    kind: job.kind,
    key: job.key ?? null,
    chatId: job.chatId ?? null,
    userId: job.userId ?? null,
    text: job.text ?? '',
    dueAtMs: job.dueAtMs,
    maxAttempts: job.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
    schedule: job.schedule ?? { kind: 'once' },
    missedRuns: job.missedRuns ?? 'run-once',
  };
}
