import type {
  ExperimentRecord,
  ExperimentStatus,
  ExperimentStore,
  NewExperiment,
  ReplyOutcome,
} from '../ports/index.js';
import { ExperimentConflictError, ExperimentStoppedError } from './errors.js';

/**
 * Experiments kept in the process, for a runtime without storage: they last
 * until it stops, under the same rules as the database's (one live at a
 * time, stopped is final). Replies are not kept without storage either (the
 * ledger discards them), so every experiment's outcomes are empty.
 */
export class MemoryExperimentStore implements ExperimentStore {
  private readonly experiments = new Map<number, ExperimentRecord>();
  private lastId = 0;

  async list(): Promise<ExperimentRecord[]> {
    return [...this.experiments.values()].reverse().map((e) => structuredClone(e));
  }

  async get(id: number): Promise<ExperimentRecord | null> {
    const experiment = this.experiments.get(id);
    return experiment === undefined ? null : structuredClone(experiment);
  }

  async create(input: NewExperiment, nowMs: number): Promise<ExperimentRecord> {
    const live = [...this.experiments.values()].find((e) => e.status !== 'stopped');
    if (live !== undefined) throw new ExperimentConflictError(live);
    const experiment: ExperimentRecord = {
      id: ++this.lastId,
      name: input.name,
      unit: input.unit,
      variants: structuredClone(input.variants),
      minimumEffect: input.minimumEffect,
      scoreWindowMs: input.scoreWindowMs,
      status: 'running',
      createdAtMs: nowMs,
      updatedAtMs: nowMs,
      stoppedAtMs: null,
    };
    this.experiments.set(experiment.id, experiment);
    return structuredClone(experiment);
  }

  async setStatus(id: number, status: ExperimentStatus, nowMs: number): Promise<ExperimentRecord | null> {
    const experiment = this.experiments.get(id);
    if (experiment === undefined) return null;
    if (experiment.status === 'stopped') throw new ExperimentStoppedError(id);
    experiment.status = status;
    experiment.updatedAtMs = nowMs;
    if (status === 'stopped') experiment.stoppedAtMs = nowMs;
    return structuredClone(experiment);
  }

  async outcomes(_id: number, _settledBeforeMs: number): Promise<ReplyOutcome[]> {
    return [];
  }
}
