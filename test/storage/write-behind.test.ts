import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { ManualClock, MetricsRegistry } from '../../src/runtime/index.js';
import { SnapshotFormat, WriteBehind } from '../../src/storage/index.js';
import { Supervisor } from '../../src/supervisor/index.js';
import { CounterActor, type CounterMsg, type CounterState, newProbe } from '../support/counter-actor.js';
import { MemorySnapshotStore } from '../support/memory-snapshot-store.js';

const counterState = z.object({ seen: z.array(z.number()) });
const format = new SnapshotFormat<CounterState>({ version: 1, parse: (value) => counterState.parse(value) });

interface Harness {
  clock: ManualClock;
  durable: MemorySnapshotStore;
  hot: MemorySnapshotStore | undefined;
  writeBehind: WriteBehind<string, CounterState>;
  supervisor: Supervisor<string, CounterMsg, CounterState>;
  add(key: string, ...ns: number[]): Promise<number[]>;
}

async function harness(
  options: {
    hot?: boolean;
    idleMs?: number;
    durable?: MemorySnapshotStore;
    hotStore?: MemorySnapshotStore;
    unfinished?: (state: CounterState) => boolean;
  } = {},
): Promise<Harness> {
  const clock = new ManualClock();
  const durable = options.durable ?? new MemorySnapshotStore();
  const hot = options.hotStore ?? (options.hot === true ? new MemorySnapshotStore() : undefined);
  const writeBehind = await WriteBehind.create<string, CounterState>({
    format,
    durable,
    ...(hot === undefined ? {} : { hot }),
    ...(options.unfinished === undefined ? {} : { unfinished: options.unfinished }),
    intervalMs: 1000,
    retry: { minMs: 100, maxMs: 1000 },
    clock,
    metrics: new MetricsRegistry(),
  });
  const probe = newProbe();
  const supervisor = new Supervisor<string, CounterMsg, CounterState>({
    create: (key, state) => new CounterActor(key, state, probe),
    load: (key) => writeBehind.load(key),
    persist: (key, state) => writeBehind.persist(key, state),
    idleMs: options.idleMs ?? 0,
    clock,
  });
  writeBehind.start(supervisor);
  const add = async (key: string, ...ns: number[]): Promise<number[]> => {
    for (const n of ns) supervisor.tell(key, { type: 'Add', n });
    return supervisor.ask<number[]>(key, (reply) => ({ type: 'Get', reply }));
  };
  return { clock, durable, hot, writeBehind, supervisor, add };
}

function stored(store: MemorySnapshotStore, key: string): CounterState | undefined {
  const record = store.records.get(key);
  return record === undefined ? undefined : format.decode(key, record.version, record.bytes);
}

function settled(promise: Promise<unknown>): { done: boolean } {
  const state = { done: false };
  void promise.then(() => {
    state.done = true;
  });
  return state;
}

describe('WriteBehind', () => {
  it('writes the actors that changed once per interval, in one batch', async () => {
    const h = await harness();
    await h.add('a', 1);
    await h.add('b', 2, 3);
    await h.clock.advance(999);
    expect(h.durable.writes).toEqual([]);
    await h.clock.advance(1);
    expect(h.durable.writes).toEqual([['a', 'b']]);
    expect(stored(h.durable, 'a')).toEqual({ seen: [1] });
    expect(stored(h.durable, 'b')).toEqual({ seen: [2, 3] });
    await h.clock.advance(5000);
    expect(h.durable.writes).toHaveLength(1); // nothing changed since
  });

  it('marks the snapshots of states with unfinished work, on flush and on passivation, and lists them', async () => {
    // A counter whose last number is odd stands for a state with work in flight.
    const unfinished = (state: CounterState): boolean => (state.seen.at(-1) ?? 0) % 2 === 1;
    const h = await harness({ unfinished });
    await h.add('a', 1);
    await h.add('b', 2);
    await h.clock.advance(1000);
    expect(h.durable.records.get('a')?.unfinished).toBe(true);
    expect(h.durable.records.get('b')?.unfinished).toBe(false);
    expect(await h.writeBehind.unfinishedKeys('')).toEqual(['a']);
    await h.add('a', 4);
    await h.add('b', 3);
    await h.clock.advance(1000);
    expect(await h.writeBehind.unfinishedKeys('')).toEqual(['b']);

    // Passivated before the next flush: its state is staged by `persist`, and written marked.
    const p = await harness({ unfinished, idleMs: 100 });
    await p.add('c', 5);
    await p.clock.advance(500);
    expect(p.supervisor.isLive('c')).toBe(false);
    expect(p.durable.records.has('c')).toBe(false);
    await p.clock.advance(500);
    expect(await p.writeBehind.unfinishedKeys('')).toEqual(['c']);
  });

  it('answers load from a snapshot that is not written yet before asking any store', async () => {
    const h = await harness({ hot: true });
    const release = h.durable.hold();
    await h.add('a', 1, 2);
    await h.clock.advance(1000);
    expect(h.durable.records.has('a')).toBe(false); // the write is still in flight
    const readsBefore = h.durable.reads + (h.hot as MemorySnapshotStore).reads;
    expect(await h.writeBehind.load('a')).toEqual({ seen: [1, 2] });
    expect(h.durable.reads + (h.hot as MemorySnapshotStore).reads).toBe(readsBefore);
    release();
  });

  it('reads Redis first, Postgres second, and nothing for a new key', async () => {
    const h = await harness({ hot: true });
    const hot = h.hot as MemorySnapshotStore;
    await hot.write([{ key: 'x', version: 1, seq: 5, bytes: format.encode({ seen: [7] }) }]);
    await h.durable.write([{ key: 'x', version: 1, seq: 3, bytes: format.encode({ seen: [3] }) }]);
    await h.durable.write([{ key: 'y', version: 1, seq: 3, bytes: format.encode({ seen: [4] }) }]);
    expect(await h.writeBehind.load('x')).toEqual({ seen: [7] });
    expect(h.durable.reads).toBe(0);
    expect(await h.writeBehind.load('y')).toEqual({ seen: [4] });
    expect(await h.writeBehind.load('z')).toBeUndefined();
    await h.clock.advance(0);
    expect(hot.records.get('y')?.seq).toBe(3); // copied back for the next activation
  });

  it('gives a passivated actor its state back from the staged snapshot before any flush', async () => {
    const h = await harness({ idleMs: 100 });
    await h.add('a', 1);
    await h.clock.advance(250);
    expect(h.supervisor.stats().passivated).toBe(1);
    expect(h.durable.records.has('a')).toBe(false);
    expect(await h.add('a', 2)).toEqual([1, 2]);
  });

  it('keeps snapshots pending through failed writes and retries with growing backoff until they are durable', async () => {
    const h = await harness();
    h.durable.failWrites = 3;
    await h.add('a', 1);
    await h.clock.advance(1000);
    expect(h.durable.writes).toHaveLength(1);
    expect(h.writeBehind.stats()).toMatchObject({ pending: 1, writeFailures: 1 });
    await h.clock.advance(49); // the first retry waits at least half of 100 ms
    expect(h.durable.writes).toHaveLength(1);
    await h.clock.advance(51);
    expect(h.durable.writes).toHaveLength(2);
    await h.clock.advance(200);
    expect(h.durable.writes).toHaveLength(3);
    await h.add('a', 2); // the actor keeps working meanwhile
    await h.clock.advance(400);
    expect(h.writeBehind.stats()).toMatchObject({ pending: 0, writeFailures: 3 });
    expect(stored(h.durable, 'a')).toEqual({ seen: [1] });
    await h.clock.advance(300); // the next interval takes the newer change
    expect(stored(h.durable, 'a')).toEqual({ seen: [1, 2] });
  });

  it('resolves afterFlush only once the changes made before it are durable', async () => {
    const h = await harness();
    await h.add('a', 1);
    const release = h.durable.hold();
    const flushed = settled(h.writeBehind.afterFlush('a'));
    const untouched = settled(h.writeBehind.afterFlush('never-changed'));
    await h.clock.advance(1000);
    expect(untouched.done).toBe(true);
    expect(flushed.done).toBe(false);
    release();
    await h.clock.advance(0);
    expect(flushed.done).toBe(true);
    expect(stored(h.durable, 'a')).toEqual({ seen: [1] });
  });

  it('keeps running turns while a write is stuck', async () => {
    const h = await harness();
    const release = h.durable.hold();
    await h.add('a', 1);
    await h.clock.advance(1000);
    expect(await h.add('a', 2, 3)).toEqual([1, 2, 3]);
    await h.clock.advance(1000); // the next cycle stages the newer state while the first write hangs
    release();
    await h.clock.advance(0);
    await h.writeBehind.flush();
    expect(stored(h.durable, 'a')).toEqual({ seen: [1, 2, 3] });
  });

  it('numbers snapshots above any sequence it has loaded, so a restart never writes below its past', async () => {
    const durable = new MemorySnapshotStore();
    const future = 9e15; // written by a process whose clock ran far ahead
    await durable.write([{ key: 'a', version: 1, seq: future, bytes: format.encode({ seen: [1] }) }]);
    const h = await harness({ durable });
    await h.add('a', 2);
    await h.clock.advance(1000);
    expect(durable.records.get('a')?.seq).toBeGreaterThan(future);
    expect(stored(durable, 'a')).toEqual({ seen: [1, 2] });
  });

  it('marks keys stale when Redis refuses a batch, and reads skip Redis for them after a restart', async () => {
    const hot = new MemorySnapshotStore();
    const durable = new MemorySnapshotStore();
    const first = await harness({ hotStore: hot, durable });
    await first.add('a', 1);
    await first.clock.advance(1000);
    expect(stored(hot, 'a')).toEqual({ seen: [1] });
    hot.failWrites = 1;
    await first.add('a', 2);
    await first.clock.advance(1000);
    expect(stored(durable, 'a')).toEqual({ seen: [1, 2] });
    expect(stored(hot, 'a')).toEqual({ seen: [1] }); // Redis kept the older copy
    expect([...durable.staleMarks]).toEqual(['a']);

    const second = await harness({ hotStore: hot, durable });
    const hotReads = hot.reads;
    expect(await second.writeBehind.load('a')).toEqual({ seen: [1, 2] });
    expect(hot.reads).toBe(hotReads);
    await second.clock.advance(0);
    expect(stored(hot, 'a')).toEqual({ seen: [1, 2] }); // the fresh copy went back to Redis
    expect(durable.staleMarks.size).toBe(0);
  });

  it('falls back to the durable store when Redis cannot be read', async () => {
    const h = await harness({ hot: true });
    await h.durable.write([{ key: 'a', version: 1, seq: 1, bytes: format.encode({ seen: [5] }) }]);
    (h.hot as MemorySnapshotStore).failReads = true;
    expect(await h.writeBehind.load('a')).toEqual({ seen: [5] });
  });

  it('writes everything pending on close and reports what it could not write before the deadline', async () => {
    const ok = await harness();
    await ok.add('a', 1);
    await ok.supervisor.shutdown();
    expect(await ok.writeBehind.close()).toEqual({ unwritten: 0 });
    expect(stored(ok.durable, 'a')).toEqual({ seen: [1] });

    const down = await harness();
    down.durable.failWrites = Number.POSITIVE_INFINITY;
    await down.add('b', 1);
    await down.supervisor.shutdown();
    const closing = down.writeBehind.close({ deadlineMs: 500 });
    await down.clock.advance(600);
    expect(await closing).toEqual({ unwritten: 1 });
  });

  it('encodes each lent state as it takes it, in slices, taking no more than were listed when the cycle began', async () => {
    const durable = new MemorySnapshotStore();
    const writeBehind = await WriteBehind.create<string, CounterState>({
      format,
      durable,
      intervalMs: 1000,
      clock: new ManualClock(),
      metrics: new MetricsRegistry(),
    });
    // The actors' own states: each changes again as soon as it is taken, and is listed anew.
    const states = new Map(Array.from({ length: 5 }, (_, i) => [`k${i}`, { seen: [i] }]));
    const listed = [...states.keys()];
    let calls = 0;
    writeBehind.start({
      get dirtyCount() {
        return listed.length;
      },
      lendDirty: (take) => {
        calls++;
        for (let key = listed.shift(); key !== undefined; key = listed.shift()) {
          const state = states.get(key)!;
          const more = take(key, state);
          state.seen.push(100);
          listed.push(key);
          if (!more) return;
        }
      },
    });
    // Every reading of the time is 5 ms after the last: each state fills a 4 ms slice.
    let nowMs = 0;
    const now = vi.spyOn(performance, 'now').mockImplementation(() => (nowMs += 5));
    try {
      await writeBehind.flush();
    } finally {
      now.mockRestore();
    }
    expect(calls).toBe(5);
    expect(listed).toHaveLength(5);
    for (let i = 0; i < 5; i++) expect(stored(durable, `k${i}`)).toEqual({ seen: [i] });
  });

  it('drops a state that cannot be encoded, counts it and rejects afterFlush for it', async () => {
    const clock = new ManualClock();
    const metrics = new MetricsRegistry();
    const durable = new MemorySnapshotStore();
    const writeBehind = await WriteBehind.create<string, CounterState>({
      format,
      durable,
      intervalMs: 1000,
      clock,
      metrics,
    });
    const unencodable = { seen: [() => 1] } as unknown as CounterState;
    let dirty: Array<[string, CounterState]> = [
      ['bad', unencodable],
      ['good', { seen: [1] }],
    ];
    writeBehind.start({
      get dirtyCount() {
        return dirty.length;
      },
      lendDirty: (take) => {
        const taken = dirty;
        dirty = [];
        for (const [key, state] of taken) take(key, state);
      },
    });
    const bad = writeBehind.afterFlush('bad');
    const rejected = bad.then(
      () => 'resolved',
      (error: unknown) => (error instanceof Error ? error.message : String(error)),
    );
    await clock.advance(1000);
    expect(await rejected).not.toBe('resolved');
    expect(metrics.get('lekha_snapshot_encode_failures_total')).toMatchObject({ value: 1 });
    expect(stored(durable, 'good')).toEqual({ seen: [1] });
  });
});
