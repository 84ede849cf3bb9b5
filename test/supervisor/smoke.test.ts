import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/runtime/index.js';
import { Supervisor } from '../../src/supervisor/index.js';
import { CounterActor, type CounterMsg, type CounterState, newProbe } from '../support/counter-actor.js';

describe('Supervisor basics', () => {
  it('spawns on first tell and answers ask from actor state', async () => {
    const clock = new ManualClock();
    const probe = newProbe();
    const sup = new Supervisor<string, CounterMsg, CounterState>({
      create: (key, state) => new CounterActor(key, state, probe),
      clock,
    });
    sup.tell('a', { type: 'Add', n: 1 });
    sup.tell('a', { type: 'Add', n: 2 });
    sup.tell('b', { type: 'Add', n: 3 });
    const seen = await sup.ask<number[]>('a', (reply) => ({ type: 'Get', reply }));
    expect(seen).toEqual([1, 2]);
    expect(sup.stats().live).toBe(2);
    const report = await sup.shutdown();
    expect(report.drained).toBe(true);
  });
});
