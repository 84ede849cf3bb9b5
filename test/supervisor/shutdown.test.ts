import { describe, expect, it } from 'vitest';
import { NotOwnedError } from '../../src/runtime/index.js';
import { Supervisor } from '../../src/supervisor/index.js';
import { changedCrowd } from '../support/changed-crowd.js';
import { CounterActor, type CounterMsg, type CounterState, newProbe } from '../support/counter-actor.js';

describe('graceful shutdown', () => {
  it('drains every mailbox and waits for side effects before persisting each dirty actor once', async () => {
    const probe = newProbe();
    const store = new Map<number, CounterState>();
    const persistCalls: number[] = [];
    const sup = new Supervisor<number, CounterMsg, CounterState>({
      create: (key, state) => new CounterActor(key, state, probe),
      persist: async (key, state) => {
        persistCalls.push(key);
        await new Promise((r) => setTimeout(r, 1));
        store.set(key, state);
      },
      idleMs: 0,
    });
    for (let i = 0; i < 500; i++) sup.tell(i % 50, { type: 'Add', n: i });
    for (let k = 0; k < 10; k++) {
      sup.tell(k, { type: 'Slow', n: 1000 + k, work: () => new Promise((r) => setTimeout(() => r(1000 + k), 20)) });
    }
    sup.tell(99, { type: 'Tick' }); // live but never dirty
    const report = await sup.shutdown({ deadlineMs: 5000 });
    expect(report).toEqual({ drained: true, undelivered: 0, persisted: 50, persistFailures: 0 });
    expect(persistCalls.sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    for (let k = 0; k < 50; k++) {
      const expected = Array.from({ length: 10 }, (_, j) => k + 50 * j);
      if (k < 10) expected.push(1000 + k);
      expect(store.get(k)?.seen).toEqual(expected);
    }
  });

  it('resolves only after the persists it started have finished', async () => {
    let finished = false;
    const sup = new Supervisor<string, CounterMsg, CounterState>({
      create: (key, state) => new CounterActor(key, state, newProbe()),
      persist: async () => {
        await new Promise((r) => setTimeout(r, 30));
        finished = true;
      },
    });
    sup.tell('a', { type: 'Add', n: 1 });
    await sup.shutdown();
    expect(finished).toBe(true);
  });

  it('counts a failed persist in the report instead of throwing', async () => {
    const sup = new Supervisor<string, CounterMsg, CounterState>({
      create: (key, state) => new CounterActor(key, state, newProbe()),
      persist: () => Promise.reject(new Error('disk full')),
    });
    sup.tell('a', { type: 'Add', n: 1 });
    const report = await sup.shutdown();
    expect(report).toMatchObject({ drained: true, persisted: 0, persistFailures: 1 });
  });

  it('persists a changed actor whose state is undefined', async () => {
    class Blank extends CounterActor {
      override lend(): CounterState {
        return undefined as unknown as CounterState;
      }
    }
    const persisted: Array<[string, unknown]> = [];
    const sup = new Supervisor<string, CounterMsg, CounterState>({
      create: (key, state) => new Blank(key, state, newProbe()),
      persist: (key, state) => void persisted.push([key, state]),
    });
    sup.tell('a', { type: 'Add', n: 1 });
    const report = await sup.shutdown();
    expect(report).toMatchObject({ drained: true, persisted: 1, persistFailures: 0 });
    expect(persisted).toEqual([['a', undefined]]);
  });

  it('counts a synchronous persist that throws and still persists every other actor', async () => {
    const stored = new Map<string, CounterState>();
    const sup = new Supervisor<string, CounterMsg, CounterState>({
      create: (key, state) => new CounterActor(key, state, newProbe()),
      // Synchronous, as the write-behind's is: it encodes the state at once and throws when it cannot.
      persist: (key, state) => {
        if (key === 'b') throw new Error('cannot encode');
        stored.set(key, structuredClone(state));
      },
    });
    for (const key of ['a', 'b', 'c']) sup.tell(key, { type: 'Add', n: key.charCodeAt(0) });
    const report = await sup.shutdown();
    expect(report).toMatchObject({ drained: true, persisted: 2, persistFailures: 1 });
    expect([...stored]).toEqual([
      ['a', { seen: [97] }],
      ['c', { seen: [99] }],
    ]);
    expect(sup.stats().persistFailures).toBe(1);
  });
});

describe('takeDirty', () => {
  it('keeps an actor whose snapshot throws dirty without holding up the others', async () => {
    let broken = true;
    class Fragile extends CounterActor {
      override snapshot(): CounterState {
        if (broken) throw new Error('cannot snapshot');
        return super.snapshot();
      }
    }
    const probe = newProbe();
    const sup = new Supervisor<string, CounterMsg, CounterState>({
      create: (key, state) => (key === 'x' ? new Fragile(key, state, probe) : new CounterActor(key, state, probe)),
    });
    sup.tell('x', { type: 'Add', n: 1 });
    sup.tell('y', { type: 'Add', n: 2 });
    // The dispatcher yields after a 1 ms slice, so on a busy machine the second turn may come a few event-loop rounds later.
    const deadline = Date.now() + 5000;
    while (probe.turns.length < 2 && Date.now() < deadline) await new Promise((resolve) => setImmediate(resolve));
    expect(sup.takeDirty().map(([k]) => k)).toEqual(['y']);
    broken = false;
    expect(sup.takeDirty()).toEqual([['x', { seen: [1] }]]);
  });
});

describe('lendDirty', () => {
  /** A supervisor whose actors `a`, `b` and `c` changed, in that order. */
  async function threeChanged(
    create: (key: string, state: CounterState | undefined, probe: ReturnType<typeof newProbe>) => CounterActor,
  ) {
    const probe = newProbe();
    const sup = new Supervisor<string, CounterMsg, CounterState>({ create: (key, state) => create(key, state, probe) });
    sup.tell('a', { type: 'Add', n: 1 });
    sup.tell('b', { type: 'Add', n: 2 });
    sup.tell('c', { type: 'Add', n: 3 });
    await settled(sup, probe, 3);
    return { sup, probe };
  }

  async function settled(
    sup: Supervisor<string, CounterMsg, CounterState>,
    probe: { turns: unknown[] },
    turns: number,
  ) {
    const deadline = Date.now() + 5000;
    while (probe.turns.length < turns && Date.now() < deadline) await new Promise((resolve) => setImmediate(resolve));
    expect(sup.stats().mailboxDepthSum).toBe(0);
  }

  it('lends changed states until told to stop, and keeps the rest changed and first in line', async () => {
    const lent: string[] = [];
    class Lending extends CounterActor {
      override lend(): CounterState {
        lent.push(String(this.key));
        return super.lend();
      }
    }
    const { sup, probe } = await threeChanged((key, state, probe) => new Lending(key, state, probe));
    expect(sup.dirtyCount).toBe(3);

    const taken: Array<[string, CounterState]> = [];
    sup.lendDirty((key, state) => {
      taken.push([key, state]);
      return false;
    });
    expect(taken).toEqual([['a', { seen: [1] }]]);
    expect(sup.dirtyCount).toBe(2);

    sup.tell('d', { type: 'Add', n: 4 });
    sup.tell('a', { type: 'Add', n: 5 });
    await settled(sup, probe, 5);
    sup.lendDirty((key, state) => {
      taken.push([key, state]);
      return true;
    });
    expect(taken.slice(1)).toEqual([
      ['b', { seen: [2] }],
      ['c', { seen: [3] }],
      ['d', { seen: [4] }],
      ['a', { seen: [1, 5] }],
    ]);
    expect(lent).toEqual(['a', 'b', 'c', 'd', 'a']);
    expect(sup.dirtyCount).toBe(0);
    expect(sup.takeDirty()).toEqual([]);
  });

  it('keeps a state changed when taking it throws, and the states after it too', async () => {
    const { sup } = await threeChanged((key, state, probe) => new CounterActor(key, state, probe));
    expect(() =>
      sup.lendDirty((key) => {
        if (key === 'b') throw new Error('encoder crashed');
        return true;
      }),
    ).toThrow('encoder crashed');
    expect(sup.takeDirty()).toEqual([
      ['b', { seen: [2] }],
      ['c', { seen: [3] }],
    ]);
  });
});

describe('stopping many actors at once', () => {
  /**
   * 300 changed actors (see `changedCrowd`) whose persists note the count of
   * a ticker that a setImmediate chain advances: persists noted with the
   * same count ran in one turn of the event loop.
   */
  async function tickedCrowd(onPersist: (key: string) => void = () => {}) {
    const ticksAt: number[] = [];
    let ticks = 0;
    let ticking = true;
    const tick = (): void => {
      ticks++;
      if (ticking) setImmediate(tick);
    };
    const crowd = await changedCrowd({
      onPersist: (key) => {
        ticksAt.push(ticks);
        onPersist(key);
      },
    });
    setImmediate(tick);
    /** How many persists ran in each turn of the event loop; stops the ticker. */
    const perTurn = (): number[] => {
      ticking = false;
      const counts = new Map<number, number>();
      for (const at of ticksAt) counts.set(at, (counts.get(at) ?? 0) + 1);
      return [...counts.values()];
    };
    return { ...crowd, perTurn };
  }

  it('persists thousands of actors in slices, letting other work run between them', async () => {
    const { sup, keys, persisted, perTurn } = await tickedCrowd();
    const report = await sup.shutdown();
    expect(report).toEqual({ drained: true, undelivered: 0, persisted: keys.length, persistFailures: 0 });
    expect(new Set(persisted).size).toBe(keys.length);
    // 16 persists of 0.3 ms make every slice longer than 4 ms, so each slice is 16 actors, on any machine.
    const turns = perTurn();
    expect(turns.length).toBeGreaterThanOrEqual(keys.length / 16);
    expect(Math.max(...turns)).toBeLessThanOrEqual(16);
  });

  it('hands actors off in slices: a key leaves once its state is handed over, and is refused as not served here until then', async () => {
    let between: { handedOver: string; notYet: string; refusal: unknown } | undefined;
    const { sup, keys, persisted, perTurn } = await tickedCrowd(() => {
      // Once the first slice is over, ask for a key already handed over and one not yet.
      if (persisted.length !== 1) return;
      setImmediate(() => {
        const handedOver = persisted[0] as string;
        const notYet = keys.find((key) => !persisted.includes(key)) as string;
        let refusal: unknown;
        try {
          sup.tell(notYet, { type: 'Add', n: 2 });
        } catch (error) {
          refusal = error;
        }
        sup.tell(handedOver, { type: 'Add', n: 3 });
        between = { handedOver, notYet, refusal };
      });
    });
    const report = await sup.handOff(() => true, { deadlineMs: 1000 });
    expect(report).toEqual({ persisted: keys.length, undelivered: 0, persistFailures: 0 });
    expect(new Set(persisted).size).toBe(keys.length);
    const turns = perTurn();
    expect(turns.length).toBeGreaterThanOrEqual(keys.length / 16);
    expect(Math.max(...turns)).toBeLessThanOrEqual(16);
    expect(between?.refusal).toBeInstanceOf(NotOwnedError);
    expect(sup.isLive(between?.notYet as string)).toBe(false);
    // The key asked for after it was handed over came back as a new actor, with none of the old state.
    expect(await sup.ask<number[]>(between?.handedOver as string, (reply) => ({ type: 'Get', reply }))).toEqual([3]);
    expect(sup.stats().live).toBe(1);
    await sup.shutdown();
  });

  it('does not persist an actor waiting in a hand-off whose lease is lost meanwhile', async () => {
    let lost: string | undefined;
    const { sup, keys, persisted } = await tickedCrowd(() => {
      if (persisted.length !== 1) return;
      setImmediate(() => {
        lost = keys.find((key) => !persisted.includes(key));
        expect(sup.drop((key) => key === lost)).toBe(1);
      });
    });
    const report = await sup.handOff(() => true, { deadlineMs: 1000 });
    expect(lost).toBeDefined();
    expect(report).toEqual({ persisted: keys.length - 1, undelivered: 0, persistFailures: 0 });
    expect(persisted).not.toContain(lost);
    expect(new Set(persisted).size).toBe(keys.length - 1);
  });

  it('waits for a hand-off under way before it stops, and persists each of its actors exactly once', async () => {
    let stopping: ReturnType<typeof sup.shutdown> | undefined;
    const { sup, keys, persisted } = await tickedCrowd(() => {
      if (persisted.length === 1) stopping = sup.shutdown();
    });
    const handingOff = sup.handOff(() => true, { deadlineMs: 1000 });
    while (stopping === undefined) await new Promise((resolve) => setImmediate(resolve));
    const stopped = await stopping;
    // Storage closes right after the supervisor: every state must be handed over by then.
    expect(persisted).toHaveLength(keys.length);
    const handedOff = await handingOff;
    expect(handedOff).toEqual({ persisted: keys.length, undelivered: 0, persistFailures: 0 });
    expect(stopped).toEqual({ drained: true, undelivered: 0, persisted: 0, persistFailures: 0 });
    expect(new Set(persisted).size).toBe(keys.length);
    expect(sup.stats().total).toBe(0);
  });
});
