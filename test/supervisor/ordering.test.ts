import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Supervisor } from '../../src/supervisor/index.js';
import { CounterActor, type CounterMsg, type CounterState, newProbe } from '../support/counter-actor.js';

function counterSupervisor(probe = newProbe(), options: { throughput?: number } = {}) {
  return new Supervisor<string, CounterMsg, CounterState>({
    create: (key, state) => new CounterActor(key, state, probe),
    mailboxCapacity: 100_000,
    dispatcher: { throughput: options.throughput ?? 4 },
    // Some keys load asynchronously, some synchronously: ordering must hold for both.
    load: (key) => (key.endsWith('!') ? Promise.resolve(undefined) : undefined),
  });
}

describe('message ordering', () => {
  it('keeps per-key order under concurrent producers', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(fc.constantFrom('a', 'b', 'c!', 'd!'), { minLength: 1, maxLength: 40 }), {
          minLength: 1,
          maxLength: 6,
        }),
        fc.integer({ min: 1, max: 8 }),
        async (producers, throughput) => {
          const probe = newProbe();
          const sup = counterSupervisor(probe, { throughput });
          const sent = new Map<string, number[]>();
          let n = 0;
          // Each producer is an async task that yields between sends, so sends interleave.
          await Promise.all(
            producers.map(async (keys) => {
              for (const key of keys) {
                const value = n++;
                sup.tell(key, { type: 'Add', n: value });
                (sent.get(key) ?? sent.set(key, []).get(key)!).push(value);
                await Promise.resolve();
              }
            }),
          );
          await sup.shutdown();
          for (const [key, values] of sent) {
            expect(probe.turns.filter(([k]) => k === key).map(([, v]) => v)).toEqual(values);
          }
          expect(probe.maxConcurrentPerKey).toBe(1);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('interleaves turns across keys instead of running one key to exhaustion', async () => {
    const probe = newProbe();
    const sup = counterSupervisor(probe, { throughput: 1 });
    for (let i = 0; i < 5; i++) sup.tell('hot', { type: 'Add', n: i });
    sup.tell('cold', { type: 'Add', n: 100 });
    await sup.shutdown();
    const order = probe.turns.map(([key]) => key);
    // The cold key gets its turn after at most one round of the hot key.
    expect(order.indexOf('cold')).toBeLessThanOrEqual(1);
    expect(order.filter((k) => k === 'hot')).toHaveLength(5);
  });

  it('queues messages that arrive while the state loads, in order', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const probe = newProbe();
    const sup = new Supervisor<string, CounterMsg, CounterState>({
      create: (key, state) => new CounterActor(key, state, probe),
      load: async () => {
        await gate;
        return { seen: [7] };
      },
    });
    for (let i = 0; i < 10; i++) sup.tell('k', { type: 'Add', n: i });
    expect(probe.turns).toHaveLength(0);
    expect(sup.stats().loading).toBe(1);
    release();
    const seen = await sup.ask<number[]>('k', (reply) => ({ type: 'Get', reply }));
    expect(seen).toEqual([7, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    await sup.shutdown();
  });
});
