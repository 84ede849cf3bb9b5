import { describe, expect, it } from 'vitest';
import { AskTimeoutError, ManualClock } from '../../src/runtime/index.js';
import { Supervisor } from '../../src/supervisor/index.js';
import { CounterActor, type CounterMsg, type CounterState, newProbe } from '../support/counter-actor.js';

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('side effects', () => {
  it('delivers results back to the mailbox, never concurrently with another turn', async () => {
    const probe = newProbe();
    const sup = new Supervisor<string, CounterMsg, CounterState>({ create: (k, s) => new CounterActor(k, s, probe) });
    const slow = deferred<number>();
    sup.tell('a', { type: 'Slow', n: 1, work: () => slow.promise });
    sup.tell('a', { type: 'Add', n: 2 });
    // The dispatcher yields after a 1 ms slice, so on a busy machine the second turn may come a few event-loop rounds later.
    const deadline = Date.now() + 5000;
    while (probe.turns.length === 0 && Date.now() < deadline) await new Promise((r) => setImmediate(r));
    // The slow work has not finished, yet the next message was handled.
    expect(probe.turns.map(([, n]) => n)).toEqual([2]);
    slow.resolve(10);
    await new Promise((r) => setImmediate(r));
    sup.tell('a', { type: 'Add', n: 3 });
    const seen = await sup.ask<number[]>('a', (reply) => ({ type: 'Get', reply }));
    expect(seen).toEqual([2, 10, 3]);
    expect(probe.maxConcurrentPerKey).toBe(1);
    await sup.shutdown();
  });

  it('delivers a failed side effect as a message instead of an unhandled rejection', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const probe = newProbe();
      const sup = new Supervisor<string, CounterMsg, CounterState>({ create: (k, s) => new CounterActor(k, s, probe) });
      sup.tell('a', { type: 'Slow', n: 4, work: () => Promise.reject(new Error('network down')) });
      sup.tell('a', {
        type: 'Slow',
        n: 5,
        work: () => {
          throw new Error('threw before returning a promise');
        },
      });
      await sup.shutdown();
      expect(probe.turns.map(([, n]) => n)).toEqual([4, 5]);
      await new Promise((r) => setTimeout(r, 10));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('aborts side effects and discards their results when the actor stops', async () => {
    const probe = newProbe();
    const clock = new ManualClock();
    const sup = new Supervisor<string, CounterMsg, CounterState>({
      create: (k, s) => new CounterActor(k, s, probe),
      clock,
    });
    const signals: AbortSignal[] = [];
    const never = deferred<number>();
    // One effect takes the signal, one takes none (it is tracked without one) and is dropped all the same.
    sup.tell('a', {
      type: 'Slow',
      n: 1,
      work: (signal) => {
        signals.push(signal);
        return never.promise;
      },
    });
    sup.tell('a', { type: 'Slow', n: 2, work: () => never.promise });
    await clock.advance(0);
    expect(sup.stats().inflightEffects).toBe(2);
    expect(signals.map((s) => s.aborted)).toEqual([false]);
    const stopped = sup.shutdown({ deadlineMs: 100 });
    await clock.advance(100);
    const report = await stopped;
    expect(report.drained).toBe(false);
    expect(signals.map((s) => s.aborted)).toEqual([true]);
    expect(sup.stats().inflightEffects).toBe(0);
    never.resolve(1);
    await new Promise((r) => setImmediate(r));
    expect(probe.turns).toEqual([]);
  });

  it('times out an ask that gets no reply', async () => {
    const clock = new ManualClock();
    const sup = new Supervisor<string, CounterMsg, CounterState>({
      create: (k, s) => new CounterActor(k, s, newProbe()),
      clock,
    });
    // `Add` never replies: the reply channel is dropped on the floor.
    const asked = sup.ask<number>('a', () => ({ type: 'Add', n: 1 }), 250);
    const outcome = asked.then(
      () => 'resolved',
      (error: unknown) => error,
    );
    await clock.advance(249);
    await clock.advance(1);
    const error = await outcome;
    expect(error).toBeInstanceOf(AskTimeoutError);
    expect((error as AskTimeoutError).code).toBe('ASK_TIMEOUT');
  });

  it('fires timers on the injected clock, once or repeatedly until cancelled', async () => {
    const clock = new ManualClock();
    const probe = newProbe();
    class Ticker extends CounterActor {
      override onStart(): void {
        this.every(1000, { type: 'Tick' });
      }
    }
    const sup = new Supervisor<string, CounterMsg, CounterState>({
      create: (k, s) => new Ticker(k, s, probe),
      clock,
      idleMs: 0,
    });
    sup.tell('t', { type: 'Add', n: 1 });
    await clock.advance(3500);
    expect(probe.ticks).toBe(3);
    await sup.shutdown();
    await clock.advance(5000);
    expect(probe.ticks).toBe(3);
    expect(clock.pendingTimers).toBe(0);
  });
});
