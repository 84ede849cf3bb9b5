import type { Job, JobQuery, JobStatus, SchedulerAdmin, SchedulerStats } from '../../src/ports/index.js';

const statuses: JobStatus[] = ['pending', 'claimed', 'delivering', 'done', 'failed', 'cancelled', 'in_doubt'];

/** A job with every field filled: override what a test needs. */
export function job(id: number, extra: Partial<Job> = {}): Job {
  return {
    id,
    kind: 'reminder',
    key: null,
    chatId: -1001,
    userId: 7,
    text: `reminder ${id}`,
    dueAtMs: 1_700_000_000_000 + id * 60_000,
    status: 'pending',
    attempts: 0,
    maxAttempts: 5,
    schedule: { kind: 'once' },
    missedRuns: 'run-once',
    lastError: null,
    createdAtMs: 1_700_000_000_000,
    updatedAtMs: 1_700_000_000_000,
    ...extra,
  };
}

/** The scheduler's admin side in memory: jobs in a list, retry and cancel by the port's rules. */
export class MemorySchedulerAdmin implements SchedulerAdmin {
  private jobs: Job[];
  /** Queries the routes made, as the port received them. */
  readonly queries: JobQuery[] = [];

  constructor(
    jobs: Job[],
    private readonly figures: Omit<SchedulerStats, 'byStatus'> = {
      executed: 0,
      succeeded: 0,
      failed: 0,
      retried: 0,
      inDoubt: 0,
      lateMs: { p50: 0, p99: 0 },
    },
  ) {
    this.jobs = jobs.map((j) => ({ ...j }));
  }

  async stats(): Promise<SchedulerStats> {
    const byStatus = Object.fromEntries(statuses.map((s) => [s, 0])) as Record<JobStatus, number>;
    for (const j of this.jobs) byStatus[j.status]++;
    return { ...this.figures, byStatus };
  }

  async list(query: JobQuery): Promise<Job[]> {
    this.queries.push(query);
    const wanted = query.status === undefined ? null : new Set<JobStatus>([query.status].flat());
    const sorted = [...this.jobs].sort((a, b) => a.dueAtMs - b.dueAtMs || a.id - b.id);
    const start = query.afterId === undefined ? 0 : sorted.findIndex((j) => j.id === query.afterId) + 1;
    return sorted
      .slice(start)
      .filter(
        (j) =>
          (wanted === null || wanted.has(j.status)) &&
          (query.kind === undefined || j.kind === query.kind) &&
          (query.chatId === undefined || j.chatId === query.chatId),
      )
      .slice(0, query.limit)
      .map((j) => ({ ...j }));
  }

  async retry(id: number): Promise<boolean> {
    return this.move(id, ['failed', 'in_doubt'], 'pending');
  }

  async cancel(id: number): Promise<boolean> {
    return this.move(id, ['pending'], 'cancelled');
  }

  status(id: number): JobStatus | undefined {
    return this.jobs.find((j) => j.id === id)?.status;
  }

  private move(id: number, from: JobStatus[], to: JobStatus): boolean {
    const i = this.jobs.findIndex((j) => j.id === id && from.includes(j.status));
    const found = this.jobs[i];
    if (found === undefined) return false;
    this.jobs[i] = { ...found, status: to, attempts: to === 'pending' ? 0 : found.attempts, lastError: null };
    return true;
  }
}
