import type {
  ClaimedJob,
  Job,
  JobClaimScope,
  JobQuery,
  JobSchedule,
  JobStatus,
  JobStore,
  NewJob,
} from '../ports/index.js';
import { partitionOf } from '../runtime/index.js';
import { jobDefaults, JOB_STATUSES } from './job-defaults.js';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

interface Entry extends Mutable<Job> {
  owner: string | null;
  leaseUntilMs: number | null;
}

const LEASE_LOST_MID_DELIVERY = 'its process stopped while delivering it (lease expired); it may have been delivered';

/**
 * Jobs in this process's memory, for runs without storage: the same
 * semantics as {@link PostgresJobStore} (leases, fencing, in-doubt), but
 * lost with the process, and shared only by schedulers in it.
 */
export class MemoryJobStore implements JobStore {
  private readonly jobs = new Map<number, Entry>();
  private nextId = 1;

  constructor(private readonly clock: { now(): number } = Date) {}

  add(job: NewJob): Promise<Job> {
    const full = jobDefaults(job);
    const now = this.clock.now();
    const entry: Entry = {
      ...full,
      id: this.nextId++,
      status: 'pending',
      attempts: 0,
      lastError: null,
      createdAtMs: now,
      updatedAtMs: now,
      owner: null,
      leaseUntilMs: null,
    };
    this.jobs.set(entry.id, entry);
    return Promise.resolve(jobOf(entry));
  }

  async ensureRecurring(job: NewJob & { key: string; schedule: Exclude<JobSchedule, { kind: 'once' }> }): Promise<Job> {
    const existing = [...this.jobs.values()].find((e) => e.key === job.key);
    if (existing === undefined) return this.add(job);
    const full = jobDefaults(job);
    existing.schedule = full.schedule;
    existing.maxAttempts = full.maxAttempts;
    existing.missedRuns = full.missedRuns;
    return jobOf(existing);
  }

  claimDue(
    owner: string,
    nowMs: number,
    leaseMs: number,
    limit: number,
    scope?: JobClaimScope,
  ): Promise<{ claimed: ClaimedJob[]; inDoubt: number }> {
    const inScope = (e: { chatId: number | null }): boolean =>
      scope === undefined || e.chatId === null || scope.owned.includes(partitionOf(e.chatId, scope.partitions));
    const expired = [...this.jobs.values()]
      .filter(
        (e) =>
          (e.status === 'claimed' || e.status === 'delivering') && (e.leaseUntilMs as number) <= nowMs && inScope(e),
      )
      .sort((a, b) => (a.leaseUntilMs as number) - (b.leaseUntilMs as number));
    const due = [...this.jobs.values()]
      .filter((e) => e.status === 'pending' && e.dueAtMs <= nowMs && inScope(e))
      .sort((a, b) => a.dueAtMs - b.dueAtMs || a.id - b.id);
    const claimed: ClaimedJob[] = [];
    let inDoubt = 0;
    for (const entry of [...expired, ...due].slice(0, limit)) {
      entry.updatedAtMs = nowMs;
      if (entry.status === 'delivering') {
        entry.status = 'in_doubt';
        entry.lastError = LEASE_LOST_MID_DELIVERY;
        entry.leaseUntilMs = null;
        inDoubt++;
        continue;
      }
      entry.status = 'claimed';
      entry.attempts++;
      entry.owner = owner;
      entry.leaseUntilMs = nowMs + leaseMs;
      claimed.push({ ...jobOf(entry), owner, leaseUntilMs: entry.leaseUntilMs });
    }
    claimed.sort((a, b) => a.dueAtMs - b.dueAtMs || a.id - b.id);
    return Promise.resolve({ claimed, inDoubt });
  }

  startDelivery(id: number, owner: string): Promise<boolean> {
    return this.move(id, owner, ['claimed'], (e) => {
      e.status = 'delivering';
    });
  }

  complete(id: number, owner: string, nextDueAtMs: number | null): Promise<boolean> {
    return this.move(id, owner, ['claimed', 'delivering'], (e) => {
      if (nextDueAtMs === null) {
        e.status = 'done';
        e.leaseUntilMs = null;
      } else {
        pendingAgain(e, nextDueAtMs);
        e.attempts = 0;
      }
    });
  }

  fail(id: number, owner: string, error: string, retryAtMs: number | null, nextRun = false): Promise<boolean> {
    return this.move(id, owner, ['claimed', 'delivering'], (e) => {
      e.lastError = error;
      if (retryAtMs === null) {
        e.status = 'failed';
        e.leaseUntilMs = null;
      } else {
        pendingAgain(e, retryAtMs);
        if (nextRun) e.attempts = 0;
      }
    });
  }

  markInDoubt(id: number, owner: string, error: string): Promise<boolean> {
    return this.move(id, owner, ['delivering'], (e) => {
      e.status = 'in_doubt';
      e.lastError = error;
      e.leaseUntilMs = null;
    });
  }

  release(id: number, owner: string): Promise<boolean> {
    return this.move(id, owner, ['claimed'], (e) => {
      pendingAgain(e, e.dueAtMs);
      e.attempts--;
    });
  }

  cancel(id: number, userId?: number): Promise<boolean> {
    const entry = this.jobs.get(id);
    if (entry?.status !== 'pending' || (userId !== undefined && entry.userId !== userId)) return Promise.resolve(false);
    entry.status = 'cancelled';
    entry.updatedAtMs = this.clock.now();
    return Promise.resolve(true);
  }

  retry(id: number, dueAtMs: number): Promise<boolean> {
    const entry = this.jobs.get(id);
    if (entry === undefined || (entry.status !== 'failed' && entry.status !== 'in_doubt'))
      return Promise.resolve(false);
    pendingAgain(entry, dueAtMs);
    entry.attempts = 0;
    entry.updatedAtMs = this.clock.now();
    return Promise.resolve(true);
  }

  get(id: number): Promise<Job | undefined> {
    const entry = this.jobs.get(id);
    return Promise.resolve(entry === undefined ? undefined : jobOf(entry));
  }

  list(query: JobQuery): Promise<Job[]> {
    const statuses =
      query.status === undefined ? undefined : typeof query.status === 'string' ? [query.status] : query.status;
    const after = query.afterId === undefined ? undefined : this.jobs.get(query.afterId);
    const rows = [...this.jobs.values()]
      .filter(
        (e) =>
          (statuses === undefined || statuses.includes(e.status)) &&
          (query.kind === undefined || e.kind === query.kind) &&
          (query.chatId === undefined || e.chatId === query.chatId) &&
          (query.userId === undefined || e.userId === query.userId) &&
          (query.afterId === undefined ||
            (after !== undefined && (e.dueAtMs > after.dueAtMs || (e.dueAtMs === after.dueAtMs && e.id > after.id)))),
      )
      .sort((a, b) => a.dueAtMs - b.dueAtMs || a.id - b.id)
      .slice(0, query.limit);
    return Promise.resolve(rows.map(jobOf));
  }

  countPending(query: { chatId: number; userId?: number }): Promise<number> {
    let n = 0;
    for (const e of this.jobs.values()) {
      if (e.chatId !== query.chatId || (query.userId !== undefined && e.userId !== query.userId)) continue;
      if (e.status === 'pending' || e.status === 'claimed') n++;
    }
    return Promise.resolve(n);
  }

  countByStatus(): Promise<Record<JobStatus, number>> {
    const counts = Object.fromEntries(JOB_STATUSES.map((s) => [s, 0])) as Record<JobStatus, number>;
    for (const e of this.jobs.values()) counts[e.status]++;
    return Promise.resolve(counts);
  }

  private move(id: number, owner: string, from: readonly JobStatus[], change: (e: Entry) => void): Promise<boolean> {
    const entry = this.jobs.get(id);
    if (entry === undefined || entry.owner !== owner || !from.includes(entry.status)) return Promise.resolve(false);
    change(entry);
    entry.updatedAtMs = this.clock.now();
    return Promise.resolve(true);
  }
}

function pendingAgain(entry: Entry, dueAtMs: number): void {
  entry.status = 'pending';
  entry.dueAtMs = dueAtMs;
  entry.owner = null;
  entry.leaseUntilMs = null;
}

function jobOf(entry: Entry): Job {
  const { owner: _owner, leaseUntilMs: _lease, ...job } = entry;
  return { ...job, schedule: { ...job.schedule } };
}
