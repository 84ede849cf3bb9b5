import { describe, expect, it } from 'vitest';
import { type Counter, ManualClock, MetricsRegistry } from '../../src/runtime/index.js';
import { type SnapshotFence, WriteBehind } from '../../src/storage/index.js';
import { Supervisor } from '../../src/supervisor/index.js';
import { CapturingLogger } from '../support/capturing-logger.js';
import { CounterActor, type CounterMsg, type CounterState, newProbe } from '../support/counter-actor.js';
import { counterFormat } from '../support/counter-runtime.js';
import { MemorySnapshotStore } from '../support/memory-snapshot-store.js';

/** A fenced write-behind over a memory store, counters supervised on top; `fences` says what this member holds. */
async function harness() {
  const clock = new ManualClock();
  const durable = new MemorySnapshotStore();
  durable.leases.set(1, 3);
  const fences = new Map<string, SnapshotFence>();
  const metrics = new MetricsRegistry();
  const logger = new CapturingLogger();
  const writeBehind = await WriteBehind.create<string, CounterState>({
    format: counterFormat,
    durable,
    fence: (key) => fences.get(key) ?? null,
    intervalMs: 1000,
    clock,
    metrics,
    logger,
  });
  const probe = newProbe();
  const supervisor = new Supervisor<string, CounterMsg, CounterState>({
    create: (key, state) => new CounterActor(key, state, probe),
    load: (key) => writeBehind.load(key),
    persist: (key, state) => writeBehind.persist(key, state),
    idleMs: 0,
    clock,
  });
  writeBehind.start(supervisor);
  const add = async (key: string, n: number): Promise<number[]> => {
    supervisor.tell(key, { type: 'Add', n });
    return supervisor.ask<number[]>(key, (reply) => ({ type: 'Get', reply }));
  };
  const fenced = (): number => (metrics.get('lekha_snapshot_writes_fenced_total') as Counter).value;
  return { clock, durable, fences, writeBehind, supervisor, add, fenced, logger };
}

const stored = (store: MemorySnapshotStore, key: string): CounterState | undefined => {
  const record = store.records.get(key);
  return record === undefined ? undefined : counterFormat.decode(key, record.version, record.bytes);
};

describe('WriteBehind with fences', () => {
  it('writes each snapshot under the fence it was taken with', async () => {
    const h = await harness();
    h.fences.set('a', { partition: 1, epoch: 3 });
    await h.add('a', 1);
    await h.clock.advance(1000);
    expect(h.durable.records.get('a')?.fence).toEqual({ partition: 1, epoch: 3 });
    expect(stored(h.durable, 'a')).toEqual({ seen: [1] });
  });

  it('drops and counts changed states of keys it does not serve, rejecting their afterFlush, and writes the others', async () => {
    const h = await harness();
    h.fences.set('mine', { partition: 1, epoch: 3 });
    await h.add('mine', 1);
    await h.add('theirs', 2);
    const theirs = h.writeBehind.afterFlush('theirs').catch((error: unknown) => error);
    const mine = h.writeBehind.afterFlush('mine');
    await h.clock.advance(1000);
    expect(await theirs).toMatchObject({ code: 'WRITE_FENCED' });
    await mine;
    expect(h.durable.writes).toEqual([['mine']]);
    expect(h.fenced()).toBe(1);
    expect(h.writeBehind.stats()).toMatchObject({ pending: 0, fenced: 1 });
  });

  it('never retries a refused snapshot', async () => {
    const h = await harness();
    h.fences.set('a', { partition: 1, epoch: 2 }); // the store's lease is at epoch 3
    await h.add('a', 1);
    const flushed = h.writeBehind.afterFlush('a').catch((error: unknown) => error);
    await h.clock.advance(1000);
    expect(await flushed).toMatchObject({ code: 'WRITE_FENCED' });
    await h.clock.advance(10_000);
    expect(h.durable.writes).toEqual([['a']]);
    expect(h.durable.records.has('a')).toBe(false);
    expect(h.writeBehind.stats()).toMatchObject({ pending: 0, fenced: 1, written: 0, writeFailures: 0 });
    expect(h.logger.lines.filter((l) => l.level === 'warn').map((l) => l.obj)).toEqual([
      { key: 'a', partition: 1, epoch: 2 },
    ]);
  });

  it('discards the pending snapshots of a lost partition: waiters rejected, load reads the store again', async () => {
    const h = await harness();
    h.fences.set('p1:a', { partition: 1, epoch: 3 });
    h.fences.set('p2:b', { partition: 2, epoch: 1 });
    h.durable.leases.set(2, 1);
    h.durable.records.set('p1:a', { key: 'p1:a', version: 1, seq: 1, bytes: counterFormat.encode({ seen: [9] }) });
    const release = h.durable.hold();
    h.writeBehind.persist('p1:a', { seen: [9, 10] });
    h.writeBehind.persist('p2:b', { seen: [5] });
    const lost = h.writeBehind.afterFlush('p1:a').catch((error: unknown) => error);
    const kept = h.writeBehind.afterFlush('p2:b');
    expect(h.writeBehind.discard((key) => key.startsWith('p1:'))).toBe(1);
    expect(await lost).toMatchObject({ code: 'WRITE_FENCED' });
    expect(h.writeBehind.stats().pending).toBe(1);
    expect(await h.writeBehind.load('p1:a')).toEqual({ seen: [9] });
    await h.clock.advance(1000);
    release();
    await kept;
    expect(stored(h.durable, 'p2:b')).toEqual({ seen: [5] });
    expect(stored(h.durable, 'p1:a')).toEqual({ seen: [9] });
  });

  it('rejects the waiters of a discarded snapshot registered after it was staged as well', async () => {
    const h = await harness();
    h.fences.set('a', { partition: 1, epoch: 3 });
    const release = h.durable.hold();
    await h.add('a', 1);
    await h.clock.advance(1000); // staged and being written (held)
    const waiting = h.writeBehind.afterFlush('a').catch((error: unknown) => error);
    await h.clock.advance(1000); // the waiter joins the pending snapshot
    expect(h.writeBehind.discard(() => true)).toBe(1);
    expect(await waiting).toMatchObject({ code: 'WRITE_FENCED' });
    release();
    await h.writeBehind.flush();
    expect(h.writeBehind.stats().pending).toBe(0);
  });

  it('refuses a hot tier next to a fence', async () => {
    await expect(
      WriteBehind.create<string, CounterState>({
        format: counterFormat,
        durable: new MemorySnapshotStore(),
        hot: new MemorySnapshotStore(),
        fence: () => null,
        intervalMs: 1000,
      }),
    ).rejects.toMatchObject({ code: 'INVALID_OPTION' });
  });
});
