import type {
  ExperimentRecord,
  ExperimentSource,
  ExperimentStatus,
  ExperimentStore,
  NewExperiment,
  ReplyOutcome,
} from './ports/index.js';

/**
 * The experiments store as the admin API changes it, and the running
 * experiment as chat actors read it on every reply. The running one is
 * read from the store at start and again after every change made through
 * here, so a turn never waits for the database to learn which experiment
 * applies. (Another process's change is seen at its next start.)
 */
export class LiveExperiments implements ExperimentStore, ExperimentSource {
  private current: ExperimentRecord | null = null;

  private constructor(private readonly store: ExperimentStore) {}

  /** Reads the running experiment, if any, from `store`. */
  static async load(store: ExperimentStore): Promise<LiveExperiments> {
    const live = new LiveExperiments(store);
    await live.refresh();
    return live;
  }

  running(): ExperimentRecord | null {
    return this.current;
  }

  list(): Promise<ExperimentRecord[]> {
    return this.store.list();
  }

  get(id: number): Promise<ExperimentRecord | null> {
    return this.store.get(id);
  }

  async create(input: NewExperiment, nowMs: number): Promise<ExperimentRecord> {
    try {
      return await this.store.create(input, nowMs);
    } finally {
      await this.refresh();
    }
  }

  async setStatus(id: number, status: ExperimentStatus, nowMs: number): Promise<ExperimentRecord | null> {
    try {
      return await this.store.setStatus(id, status, nowMs);
    } finally {
      await this.refresh();
    }
  }

  outcomes(id: number, settledBeforeMs: number): Promise<ReplyOutcome[]> {
    return this.store.outcomes(id, settledBeforeMs);
  }

  // Read back rather than taken from the change's answer: two changes racing
  // (two admins, or a refused one) leave the holder with what the store has.
  private async refresh(): Promise<void> {
    this.current = (await this.store.list()).find((e) => e.status === 'running') ?? null;
  }
}
