import { describe, expect, it } from 'vitest';
import { Actor, ManualClock } from '../../src/runtime/index.js';
import { Supervisor } from '../../src/supervisor/index.js';
import { changedCrowd } from '../support/changed-crowd.js';
import { CounterActor, type CounterMsg, type CounterState, newProbe } from '../support/counter-actor.js';

function setup(options: { idleMs?: number; maxLive?: number; failPersist?: () => boolean } = {}) {
  const clock = new ManualClock();
  const store = new Map<string, CounterState>();
  const persists: string[] = [];
  const sup = new Supervisor<string, CounterMsg, CounterState>({
    create: (key, state) => new CounterActor(key, state, newProbe()),
    load: (key) => Promise.resolve(store.get(key)),
    persist: async (key, state) => {
      persists.push(key);
      if (options.failPersist?.() === true) throw new Error('database unavailable');
      store.set(key, state);
    },
    idleMs: options.idleMs ?? 1000,
    maxLive: options.maxLive ?? Number.POSITIVE_INFINITY,
    clock,
  });
  return { clock, store, persists, sup };
}

describe('passivation', () => {
  it('persists an idle actor exactly once, drops it and brings it back on its next message', async () => {
    const { clock, store, persists, sup } = setup({ idleMs: 1000 });
    sup.tell('a', { type: 'Add', n: 1 });
    sup.tell('b', { type: 'Add', n: 2 });
    await clock.advance(500);
    sup.tell('b', { type: 'Add', n: 3 });
    await clock.advance(600); // a idle for 1100 ms, b for 600 ms
    expect(persists).toEqual(['a']);
    expect(sup.isLive('a')).toBe(false);
    expect(sup.isLive('b')).toBe(true);
    expect(store.get('a')).toEqual({ seen: [1] });
    await clock.advance(5000);
    expect(persists).toEqual(['a', 'b']);
    expect(sup.stats()).toMatchObject({ live: 0, passivated: 2, passivations: 2 });
    sup.tell('a', { type: 'Add', n: 4 });
    expect(await sup.ask<number[]>('a', (reply) => ({ type: 'Get', reply }))).toEqual([1, 4]);
    expect(sup.stats()).toMatchObject({ live: 1, passivated: 1 });
  });

  it('does not persist an idle actor whose state did not change', async () => {
    const { clock, persists, sup } = setup({ idleMs: 1000 });
    sup.tell('a', { type: 'Tick' });
    await clock.advance(5000);
    expect(sup.isLive('a')).toBe(false);
    expect(persists).toEqual([]);
  });

  it('evicts the least recently used idle actor when maxLive is reached', async () => {
    const { clock, persists, sup } = setup({ idleMs: 0, maxLive: 2 });
    sup.tell('a', { type: 'Add', n: 1 });
    await clock.advance(10);
    sup.tell('b', { type: 'Add', n: 2 });
    await clock.advance(10);
    sup.tell('a', { type: 'Add', n: 3 }); // a is now more recent than b
    await clock.advance(10);
    sup.tell('c', { type: 'Add', n: 4 });
    await clock.advance(10);
    expect(persists).toEqual(['b']);
    expect([...sup.liveKeys()].sort()).toEqual(['a', 'c']);
    expect(await sup.ask<number[]>('b', (reply) => ({ type: 'Get', reply }))).toEqual([2]);
    expect(persists).toEqual(['b', 'a']);
  });

  it('evicts in least-recently-used order after thousands of activations', async () => {
    // Enough turns that the supervisor's activation log is compacted several times over.
    const { clock, persists, sup } = setup({ idleMs: 0, maxLive: 4 });
    const keys = ['a', 'b', 'c', 'd'];
    for (let round = 0; round < 1500; round++) {
      // Rotates which key is used last, so the order at the end depends on every round.
      for (let i = 0; i < keys.length; i++)
        sup.tell(keys[(round + i) % keys.length] as string, { type: 'Add', n: round });
      await clock.advance(1);
    }
    // Round 1499 used d, a, b, c in that order.
    sup.tell('e', { type: 'Add', n: 0 });
    await clock.advance(1);
    sup.tell('f', { type: 'Add', n: 0 });
    await clock.advance(1);
    expect(persists).toEqual(['d', 'a']);
    expect([...sup.liveKeys()].sort()).toEqual(['b', 'c', 'e', 'f']);
  });

  it('keeps an actor whose persist failed, with its state, and retries later', async () => {
    let failing = true;
    const { clock, store, persists, sup } = setup({ idleMs: 1000, failPersist: () => failing });
    sup.tell('a', { type: 'Add', n: 1 });
    await clock.advance(1000);
    expect(persists).toEqual(['a']);
    expect(sup.isLive('a')).toBe(true);
    expect(sup.stats().persistFailures).toBe(1);
    failing = false;
    await clock.advance(2000);
    expect(sup.isLive('a')).toBe(false);
    expect(store.get('a')).toEqual({ seen: [1] });
  });

  it('holds messages that arrive during a persist and carries on from the state in hand', async () => {
    let release!: () => void;
    const clock = new ManualClock();
    const persists: CounterState[] = [];
    let loads = 0;
    const sup = new Supervisor<string, CounterMsg, CounterState>({
      create: (key, state) => new CounterActor(key, state, newProbe()),
      load: () => {
        loads++;
        return undefined;
      },
      persist: (_key, state) =>
        new Promise<void>((resolve) => {
          persists.push(state);
          release = resolve;
        }),
      idleMs: 1000,
      clock,
    });
    sup.tell('a', { type: 'Add', n: 1 });
    await clock.advance(1000);
    expect(persists).toHaveLength(1);
    sup.tell('a', { type: 'Add', n: 2 });
    release();
    expect(await sup.ask<number[]>('a', (reply) => ({ type: 'Get', reply }))).toEqual([1, 2]);
    expect(loads).toBe(1);
  });

  it('gives persist the stopped actor’s own state, lent rather than copied, and a failed persist leaves it to the next incarnation', async () => {
    const clock = new ManualClock();
    const created: CounterState[] = [];
    const persisted: CounterState[] = [];
    let failing = true;
    /** Owns the state it is given, as the chat actor does; copying it is an error. */
    class Owning extends Actor<CounterMsg, CounterState> {
      constructor(private readonly state: CounterState) {
        super();
        created.push(state);
      }
      receive(msg: CounterMsg): void {
        if (msg.type === 'Add') {
          this.state.seen.push(msg.n);
          this.markDirty();
        } else if (msg.type === 'Get') msg.reply.resolve([...this.state.seen]);
      }
      snapshot(): CounterState {
        throw new Error('passivation copied the state');
      }
      override lend(): CounterState {
        return this.state;
      }
    }
    const sup = new Supervisor<string, CounterMsg, CounterState>({
      create: (_key, state) => new Owning(state ?? { seen: [] }),
      persist: (_key, state) => {
        persisted.push(state);
        if (failing) throw new Error('database unavailable');
      },
      idleMs: 1000,
      clock,
    });
    sup.tell('a', { type: 'Add', n: 1 });
    await clock.advance(1000);
    expect(sup.stats()).toMatchObject({ persistFailures: 1, passivations: 0 });
    expect(persisted[0]).toBe(created[0]);
    // Kept in memory: the next incarnation goes on from the very same state.
    expect(created).toHaveLength(2);
    expect(created[1]).toBe(created[0]);
    failing = false;
    sup.tell('a', { type: 'Add', n: 2 });
    await clock.advance(1000);
    expect(sup.stats()).toMatchObject({ persistFailures: 1, passivations: 1, live: 0 });
    expect(persisted[1]).toBe(created[1]);
    expect(persisted[1]).toEqual({ seen: [1, 2] });
  });

  /** 300 changed actors that went idle together on a manual clock: the next `clock.advance(1000)` sweeps them. */
  async function idleCrowd(onPersist: (key: string) => void = () => {}) {
    const clock = new ManualClock();
    return { clock, ...(await changedCrowd({ clock, idleMs: 1000, onPersist })) };
  }

  it('sweeps thousands of idle actors in slices, letting other work run between them, and skips one that got a message meanwhile', async () => {
    /** The ticker's count at each persist: persists with the same count ran in one turn of the event loop. */
    const ticksAt: number[] = [];
    let ticks = 0;
    const { clock, persisted, sup, keys } = await idleCrowd(() => ticksAt.push(ticks));
    let ticking = true;
    const tick = (): void => {
      ticks++;
      // The last actor in line hears from someone while the sweep runs.
      if (ticks === 1) sup.tell('chat299', { type: 'Add', n: 2 });
      if (ticking) setImmediate(tick);
    };
    await clock.advance(1000);
    setImmediate(tick);
    while (persisted.length < keys.length - 1) await new Promise((resolve) => setImmediate(resolve));
    ticking = false;
    // 16 persists of 0.3 ms make every slice longer than 4 ms, so each slice is 16 actors, on any machine.
    const perTurn = new Map<number, number>();
    for (const at of ticksAt) perTurn.set(at, (perTurn.get(at) ?? 0) + 1);
    perTurn.delete(0); // before the ticker started
    expect(perTurn.size).toBeGreaterThanOrEqual(2);
    expect(Math.max(...perTurn.values())).toBeLessThanOrEqual(16);
    expect(new Set(persisted).size).toBe(keys.length - 1);
    expect(persisted).not.toContain('chat299');
    expect(sup.isLive('chat299')).toBe(true);
    expect(sup.stats()).toMatchObject({ live: 1, passivated: 299, passivations: 299 });
    expect(await sup.ask<number[]>('chat299', (reply) => ({ type: 'Get', reply }))).toEqual([1, 2]);
  });

  it('hands the actors a sliced sweep has not reached yet to shutdown, each persisted exactly once', async () => {
    const { clock, persisted, sup, keys } = await idleCrowd();
    await clock.advance(1000);
    const swept = persisted.length;
    expect(swept).toBeGreaterThan(0);
    expect(swept).toBeLessThan(keys.length);
    const report = await sup.shutdown();
    expect(report.persisted + sup.stats().passivations).toBe(keys.length);
    expect(persisted).toHaveLength(keys.length);
    expect(new Set(persisted).size).toBe(keys.length);
  });
});
