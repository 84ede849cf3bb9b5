import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/runtime/index.js';
import { Supervisor } from '../../src/supervisor/index.js';
import { CounterActor, type CounterMsg, type CounterState, newProbe } from '../support/counter-actor.js';

/** A side effect the test finishes by hand. */
function manual(): { work: () => Promise<number>; finish(value: number): void; started: () => boolean } {
  let resolve: ((value: number) => void) | undefined;
  return {
    work: () => new Promise<number>((r) => (resolve = r)),
    finish: (value) => resolve?.(value),
    started: () => resolve !== undefined,
  };
}

function setup() {
  const clock = new ManualClock();
  const store = new Map<string, CounterState>();
  const persists: string[] = [];
  const served = new Set<string>(['a', 'b', 'c', 'r']);
  const sup = new Supervisor<string, CounterMsg, CounterState>({
    create: (key, state) => new CounterActor(key, state, newProbe()),
    load: (key) => Promise.resolve(store.get(key)),
    persist: async (key, state) => {
      persists.push(key);
      store.set(key, state);
    },
    admit: (key) => served.has(key),
    idleMs: 0,
    restart: { minBackoffMs: 1000, maxBackoffMs: 1000 },
    clock,
  });
  const get = (key: string): Promise<number[]> => sup.ask<number[]>(key, (reply) => ({ type: 'Get', reply }));
  return { clock, store, persists, served, sup, get };
}

describe('admit', () => {
  it('refuses messages to keys this member does not serve, new or live, with CHAT_NOT_OWNED', async () => {
    const { clock, served, sup, get } = setup();
    expect(() => sup.tell('x', { type: 'Add', n: 1 })).toThrow(
      expect.objectContaining({ code: 'CHAT_NOT_OWNED', key: 'x' }),
    );
    await expect(get('x')).rejects.toMatchObject({ code: 'CHAT_NOT_OWNED' });
    expect(sup.stats().total).toBe(0);

    const effect = manual();
    sup.tell('a', { type: 'Add', n: 1 });
    sup.tell('a', { type: 'Slow', n: 2, work: effect.work });
    await clock.advance(0);
    served.delete('a'); // its partition is being handed off
    expect(() => sup.tell('a', { type: 'Add', n: 3 })).toThrow(expect.objectContaining({ code: 'CHAT_NOT_OWNED' }));
    await expect(get('a')).rejects.toMatchObject({ code: 'CHAT_NOT_OWNED' });
    effect.finish(20);
    await clock.advance(0);
    // The outcome of its own side effect still reached it.
    served.add('a');
    expect(await get('a')).toEqual([1, 20]);
  });
});

describe('drop', () => {
  it('stops matching actors at once without persisting, cancels their side effects and forgets them', async () => {
    const { clock, store, persists, sup, get } = setup();
    store.set('a', { seen: [7] });
    sup.tell('a', { type: 'Add', n: 1 });
    const effect = manual();
    sup.tell('a', { type: 'Slow', n: 2, work: effect.work });
    sup.tell('b', { type: 'Add', n: 5 });
    sup.tell('r', { type: 'Fail', times: 100 }); // fails, waits for its restart
    await clock.advance(0);
    expect(effect.started()).toBe(true);
    expect(sup.stats()).toMatchObject({ live: 2, inflightEffects: 1 });

    expect(sup.drop((key) => key === 'a' || key === 'r')).toBe(2);
    expect(persists).toEqual([]);
    expect(sup.stats()).toMatchObject({ live: 1, passivated: 0, total: 1, inflightEffects: 0, mailboxDepthSum: 0 });
    expect(clock.pendingTimers).toBe(0); // r's restart timer is gone

    effect.finish(20);
    await clock.advance(5000);
    expect(sup.isLive('a')).toBe(false);
    expect(store.get('a')).toEqual({ seen: [7] });
    // A later message (the partition came back) activates it from the store.
    expect(await get('a')).toEqual([7]);
    expect(await get('b')).toEqual([5]);
    expect(sup.stats()).toMatchObject({ live: 2, passivated: 0, total: 2 });
  });

  it('forgets passivated keys that match and leaves the others', async () => {
    const clock = new ManualClock();
    const sup = new Supervisor<string, CounterMsg, CounterState>({
      create: (key, state) => new CounterActor(key, state, newProbe()),
      persist: () => undefined,
      idleMs: 100,
      clock,
    });
    sup.tell('a', { type: 'Add', n: 1 });
    sup.tell('b', { type: 'Add', n: 1 });
    await clock.advance(200);
    expect(sup.stats()).toMatchObject({ live: 0, passivated: 2 });
    expect(sup.drop((key) => key === 'a')).toBe(0);
    expect(sup.stats()).toMatchObject({ live: 0, passivated: 1, total: 1 });
  });

  it('drops an actor whose passivation is being persisted without counting it as passivated afterwards', async () => {
    const clock = new ManualClock();
    let release: (() => void) | undefined;
    const store = new Map<string, CounterState>();
    const sup = new Supervisor<string, CounterMsg, CounterState>({
      create: (key, state) => new CounterActor(key, state, newProbe()),
      load: (key) => store.get(key),
      persist: (key, state) =>
        new Promise<void>((resolve) => {
          release = () => {
            store.set(key, state);
            resolve();
          };
        }),
      idleMs: 100,
      clock,
    });
    sup.tell('a', { type: 'Add', n: 1 });
    await clock.advance(200);
    expect(release).toBeDefined(); // passivating, its persist held
    expect(sup.drop(() => true)).toBe(1);
    release?.();
    await clock.advance(0);
    expect(sup.stats()).toMatchObject({ live: 0, passivated: 0, total: 0, passivations: 0 });
    expect(await sup.ask<number[]>('a', (reply) => ({ type: 'Get', reply }))).toEqual([1]);
  });

  it('clears the quarantine of a dropped key', async () => {
    const clock = new ManualClock();
    const quarantining = new Supervisor<string, CounterMsg, CounterState>({
      create: (key, state) => new CounterActor(key, state, newProbe()),
      restart: { maxFailures: 1 },
      idleMs: 0,
      clock,
    });
    quarantining.tell('q', { type: 'Fail', times: 5 });
    await clock.advance(0);
    expect(quarantining.stats().quarantined).toHaveLength(1);
    expect(quarantining.drop(() => true)).toBe(1);
    expect(quarantining.stats()).toMatchObject({ quarantined: [], total: 0, mailboxDepthSum: 0 });
    expect(clock.pendingTimers).toBe(0);
  });
});

describe('handOff', () => {
  it('waits for a side effect in flight, persists and removes the matching actors, and leaves the others running', async () => {
    const { clock, store, persists, served, sup, get } = setup();
    const effect = manual();
    sup.tell('a', { type: 'Add', n: 1 });
    sup.tell('a', { type: 'Slow', n: 2, work: effect.work });
    sup.tell('c', { type: 'Tick' }); // live, never dirty
    sup.tell('b', { type: 'Add', n: 5 });
    await clock.advance(0);

    served.delete('a');
    served.delete('c');
    let report: unknown;
    const handing = sup
      .handOff((key) => key === 'a' || key === 'c', { deadlineMs: 10_000 })
      .then((r) => {
        report = r;
      });
    await clock.advance(1000);
    expect(report).toBeUndefined();
    expect(persists).toEqual([]);
    sup.tell('b', { type: 'Add', n: 6 }); // other keys keep going meanwhile
    expect(await get('b')).toEqual([5, 6]);

    effect.finish(20);
    await handing;
    expect(report).toEqual({ persisted: 1, undelivered: 0, persistFailures: 0 });
    expect(persists).toEqual(['a']);
    expect(store.get('a')).toEqual({ seen: [1, 20] });
    expect(sup.isLive('a')).toBe(false);
    expect(sup.isLive('c')).toBe(false);
    expect(sup.stats()).toMatchObject({ live: 1, passivated: 0, total: 1, inflightEffects: 0 });
    expect(await get('b')).toEqual([5, 6]);
  });

  it('gives up waiting at the deadline: persists what the actor holds, cancels its side effect, counts what was queued', async () => {
    const { clock, store, persists, served, sup } = setup();
    const effect = manual();
    sup.tell('a', { type: 'Add', n: 1 });
    sup.tell('a', { type: 'Slow', n: 2, work: effect.work });
    sup.tell('r', { type: 'Fail', times: 100 }); // waits 1000 ms for its restart, its message kept
    await clock.advance(0);
    served.clear();

    let report: unknown;
    const handing = sup
      .handOff(() => true, { deadlineMs: 500 })
      .then((r) => {
        report = r;
      });
    await clock.advance(499);
    expect(report).toBeUndefined();
    await clock.advance(1);
    await handing;
    expect(report).toEqual({ persisted: 1, undelivered: 1, persistFailures: 0 });
    expect(persists).toEqual(['a']);
    expect(store.get('a')).toEqual({ seen: [1] });
    expect(sup.stats()).toMatchObject({ live: 0, passivated: 0, total: 0, inflightEffects: 0, mailboxDepthSum: 0 });
    expect(clock.pendingTimers).toBe(0);

    effect.finish(20); // cancelled: delivered nowhere
    await clock.advance(5000);
    expect(sup.stats().total).toBe(0);
  });

  it('ends when the lease is lost meanwhile and the actors are dropped, persisting nothing', async () => {
    const { clock, persists, served, sup } = setup();
    const effect = manual();
    sup.tell('a', { type: 'Add', n: 1 });
    sup.tell('a', { type: 'Slow', n: 2, work: effect.work });
    await clock.advance(0);
    served.delete('a');
    const handing = sup.handOff((key) => key === 'a', { deadlineMs: 10_000 });
    await clock.advance(100);
    expect(sup.drop((key) => key === 'a')).toBe(1);
    expect(await handing).toEqual({ persisted: 0, undelivered: 0, persistFailures: 0 });
    expect(persists).toEqual([]);
    expect(sup.stats()).toMatchObject({ live: 0, total: 0 });
  });

  it('counts a failed persist and still removes the actor', async () => {
    const clock = new ManualClock();
    const sup = new Supervisor<string, CounterMsg, CounterState>({
      create: (key, state) => new CounterActor(key, state, newProbe()),
      persist: () => Promise.reject(new Error('WRITE_FENCED')),
      clock,
    });
    sup.tell('a', { type: 'Add', n: 1 });
    await clock.advance(0);
    expect(await sup.handOff(() => true, { deadlineMs: 100 })).toEqual({
      persisted: 0,
      undelivered: 0,
      persistFailures: 1,
    });
    expect(sup.stats()).toMatchObject({ live: 0, total: 0, persistFailures: 1 });
  });

  it('resolves at once when no actor matches, and a shutdown afterwards persists the rest', async () => {
    const { clock, persists, sup } = setup();
    sup.tell('b', { type: 'Add', n: 1 });
    await clock.advance(0);
    expect(await sup.handOff((key) => key === 'zzz', { deadlineMs: 100 })).toEqual({
      persisted: 0,
      undelivered: 0,
      persistFailures: 0,
    });
    expect(await sup.shutdown({ deadlineMs: 100 })).toEqual({
      drained: true,
      undelivered: 0,
      persisted: 1,
      persistFailures: 0,
    });
    expect(persists).toEqual(['b']);
  });
});
