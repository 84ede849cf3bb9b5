import { describe, expect, it } from 'vitest';
import type { NewExperiment } from '../../src/ports/index.js';
import { ExperimentConflictError, ExperimentStoppedError, MemoryExperimentStore } from '../../src/storage/index.js';

const input = (name: string): NewExperiment => ({
  name,
  unit: 'member',
  variants: [
    { name: 'control', share: 1 },
    { name: 'b', share: 3, overrides: { emoji: 'none' } },
  ],
  minimumEffect: 0.2,
  scoreWindowMs: 60_000,
});

describe('experiments kept in memory', () => {
  it('keeps the rules of the database: one live at a time, stopped is final, newest first', async () => {
    const store = new MemoryExperimentStore();
    const first = await store.create(input('a'), 1000);
    expect(first).toMatchObject({ id: 1, status: 'running', createdAtMs: 1000, stoppedAtMs: null, unit: 'member' });
    await expect(store.create(input('b'), 2000)).rejects.toBeInstanceOf(ExperimentConflictError);
    expect(await store.setStatus(first.id, 'paused', 2000)).toMatchObject({ status: 'paused', updatedAtMs: 2000 });
    await expect(store.create(input('b'), 2000)).rejects.toMatchObject({ code: 'EXPERIMENT_CONFLICT' });
    expect(await store.setStatus(first.id, 'stopped', 3000)).toMatchObject({ status: 'stopped', stoppedAtMs: 3000 });
    await expect(store.setStatus(first.id, 'running', 4000)).rejects.toBeInstanceOf(ExperimentStoppedError);
    expect(await store.setStatus(99, 'paused', 4000)).toBeNull();
    const second = await store.create(input('b'), 5000);
    expect((await store.list()).map((e) => e.id)).toEqual([second.id, first.id]);
    expect(await store.get(42)).toBeNull();
    expect(await store.outcomes(second.id, 10_000)).toEqual([]);
  });

  it('hands out copies: changing an answer changes nothing stored', async () => {
    const store = new MemoryExperimentStore();
    const created = await store.create(input('a'), 1000);
    created.variants[0]!.share = 100;
    created.status = 'stopped';
    expect(await store.get(created.id)).toMatchObject({ status: 'running', variants: [{ share: 1 }, { share: 3 }] });
  });
});
