import { describe, expect, it } from 'vitest';
import { ActorQuarantinedError, LekhaError, ManualClock } from '../../src/runtime/index.js';
import { type RestartOptions, Supervisor } from '../../src/supervisor/index.js';
import { CounterActor, type CounterMsg, type CounterState, newProbe } from '../support/counter-actor.js';

function setup(persisted: Map<string, CounterState> = new Map(), restart: Partial<RestartOptions> = {}) {
  const clock = new ManualClock();
  const probe = newProbe();
  const loads: string[] = [];
  const deadLetters: CounterMsg[] = [];
  const sup = new Supervisor<string, CounterMsg, CounterState>({
    create: (key, state) => new CounterActor(key, state, probe),
    load: (key) => {
      loads.push(key);
      return Promise.resolve(persisted.get(key));
    },
    persist: (key, state) => void persisted.set(key, state),
    onDeadLetter: (_key, msg) => void deadLetters.push(msg),
    restart: {
      minBackoffMs: 100,
      maxBackoffMs: 1000,
      maxFailures: 3,
      windowMs: 10_000,
      cooldownMs: 60_000,
      ...restart,
    },
    clock,
  });
  return { clock, probe, loads, deadLetters, sup, persisted };
}

describe('restarts', () => {
  it('restarts a failed actor from its last persisted state, retries the message and keeps the queue', async () => {
    const { clock, probe, sup, loads } = setup(new Map([['a', { seen: [42] }]]));
    probe.failuresLeft.set('a', 1);
    sup.tell('a', { type: 'Add', n: 1 });
    sup.tell('a', { type: 'Fail', times: 1 });
    sup.tell('a', { type: 'Add', n: 2 });
    await clock.advance(0);
    expect(sup.stats().restarts).toBe(1);
    expect(probe.turns.map(([, n]) => n)).toEqual([1]);
    // Nothing runs during the backoff.
    await clock.advance(99);
    expect(loads).toEqual(['a']);
    await clock.advance(1);
    expect(loads).toEqual(['a', 'a']);
    const seen = await sup.ask<number[]>('a', (reply) => ({ type: 'Get', reply }));
    // The new incarnation starts from the persisted [42]: the unpersisted 1 is gone, the failed message succeeded on retry.
    expect(seen).toEqual([42, -1, 2]);
  });

  it('doubles the backoff with each failure in the window', async () => {
    const { clock, probe, sup, loads } = setup();
    probe.failuresLeft.set('a', 2);
    sup.tell('a', { type: 'Fail', times: 2 });
    await clock.advance(0);
    expect(loads).toHaveLength(1);
    await clock.advance(100);
    expect(loads).toHaveLength(2); // first restart after 100 ms, fails again
    await clock.advance(199);
    expect(loads).toHaveLength(2);
    await clock.advance(1);
    expect(loads).toHaveLength(3); // second restart after 200 ms
    expect(await sup.ask<number[]>('a', (reply) => ({ type: 'Get', reply }))).toEqual([-1]);
  });

  it('restarts after the jittered delay its injected random source draws', async () => {
    const { clock, probe, sup, loads } = setup(new Map(), { random: () => 0.5 });
    probe.failuresLeft.set('a', 2);
    sup.tell('a', { type: 'Fail', times: 2 });
    await clock.advance(0);
    await clock.advance(74);
    expect(loads).toHaveLength(1);
    await clock.advance(1);
    expect(loads).toHaveLength(2); // three quarters of 100 ms; fails again
    await clock.advance(149);
    expect(loads).toHaveLength(2);
    await clock.advance(1);
    expect(loads).toHaveLength(3); // three quarters of 200 ms
    expect(await sup.ask<number[]>('a', (reply) => ({ type: 'Get', reply }))).toEqual([-1]);
  });

  it('quarantines a key that keeps failing, dead-letters the poison message and keeps the rest', async () => {
    const { clock, probe, sup, deadLetters } = setup();
    probe.failuresLeft.set('a', 100);
    sup.tell('a', { type: 'Fail', times: 100 });
    sup.tell('a', { type: 'Add', n: 7 });
    await clock.advance(0);
    await clock.advance(100);
    await clock.advance(200);
    const stats = sup.stats();
    expect(stats.quarantined).toHaveLength(1);
    expect(stats.quarantined[0]).toMatchObject({ key: 'a', reason: expect.stringContaining('planned failure') });
    expect(deadLetters.map((m) => m.type)).toEqual(['Fail']);
    expect(() => sup.tell('a', { type: 'Add', n: 8 })).toThrow(ActorQuarantinedError);
    // Other keys are unaffected.
    sup.tell('b', { type: 'Add', n: 1 });
    expect(await sup.ask<number[]>('b', (reply) => ({ type: 'Get', reply }))).toEqual([1]);
    // After the cooldown the kept message is processed.
    await clock.advance(60_000);
    expect(sup.stats().quarantined).toHaveLength(0);
    expect(await sup.ask<number[]>('a', (reply) => ({ type: 'Get', reply }))).toEqual([7]);
  });

  it('quarantines at once when the state cannot be loaded, without resetting it', async () => {
    const clock = new ManualClock();
    let attempts = 0;
    const sup = new Supervisor<string, CounterMsg, CounterState>({
      create: (key, state) => new CounterActor(key, state, newProbe()),
      load: () => {
        attempts++;
        return Promise.reject(
          new LekhaError('SNAPSHOT_VERSION_UNKNOWN', 'snapshot v9 is newer than this build', { retryable: false }),
        );
      },
      clock,
    });
    sup.tell('a', { type: 'Add', n: 1 });
    await clock.advance(0);
    expect(attempts).toBe(1);
    expect(sup.stats().quarantined[0]?.reason).toContain('SNAPSHOT_VERSION_UNKNOWN');
    expect(sup.stats().live).toBe(0);
    const report = await sup.shutdown({ deadlineMs: 10 });
    expect(report.undelivered).toBe(1);
  });

  it('lets an admin release a quarantine early', async () => {
    const { clock, probe, sup } = setup();
    probe.failuresLeft.set('a', 3);
    sup.tell('a', { type: 'Fail', times: 3 });
    await clock.advance(0);
    await clock.advance(100);
    await clock.advance(200);
    expect(sup.stats().quarantined).toHaveLength(1);
    expect(sup.release('a')).toBe(true);
    expect(sup.release('a')).toBe(false);
    sup.tell('a', { type: 'Add', n: 5 });
    expect(await sup.ask<number[]>('a', (reply) => ({ type: 'Get', reply }))).toEqual([5]);
  });

  describe('with a quarantine hand-off', () => {
    function handingOff(load: (key: string) => Promise<CounterState | undefined>) {
      const clock = new ManualClock();
      const probe = newProbe();
      const handedOff: Array<{ key: string; messages: string[]; reason: string; untilMs: number }> = [];
      let loads = 0;
      const sup = new Supervisor<string, CounterMsg, CounterState>({
        create: (key, state) => new CounterActor(key, state, probe),
        load: (key) => {
          loads++;
          return load(key);
        },
        onQuarantine: (key, retained, { reason, untilMs }) =>
          void handedOff.push({ key, messages: retained.map((m) => m.type), reason, untilMs }),
        restart: { minBackoffMs: 100, maxBackoffMs: 1000, maxFailures: 3, windowMs: 10_000, cooldownMs: 60_000 },
        clock,
      });
      return { clock, probe, sup, handedOff, loads: () => loads };
    }

    it('hands every queued message to the hook when the state cannot be loaded, keeping none', async () => {
      const { clock, sup, handedOff } = handingOff(() =>
        Promise.reject(new LekhaError('SNAPSHOT_CORRUPT', 'bad bytes', { retryable: false })),
      );
      const startMs = clock.now();
      sup.tell('a', { type: 'Add', n: 1 });
      sup.tell('a', { type: 'Add', n: 2 });
      await clock.advance(0);
      expect(handedOff).toEqual([
        {
          key: 'a',
          messages: ['Add', 'Add'],
          reason: expect.stringContaining('SNAPSHOT_CORRUPT'),
          untilMs: startMs + 60_000,
        },
      ]);
      const report = await sup.shutdown({ deadlineMs: 10 });
      expect(report.undelivered).toBe(0);
    });

    it('hands over the poison message first, then what queued behind it', async () => {
      const { clock, probe, sup, handedOff } = handingOff(() => Promise.resolve(undefined));
      probe.failuresLeft.set('a', 100);
      sup.tell('a', { type: 'Fail', times: 100 });
      sup.tell('a', { type: 'Add', n: 7 });
      await clock.advance(0);
      await clock.advance(100);
      await clock.advance(200);
      expect(handedOff.map((h) => h.messages)).toEqual([['Fail', 'Add']]);
      expect(sup.stats().deadLetters).toBe(1);
    });

    it('does not load a quarantined key again at the end of the cooldown when nothing waits for it', async () => {
      let broken = true;
      const { clock, sup, loads } = handingOff(() =>
        broken
          ? Promise.reject(new LekhaError('SNAPSHOT_CORRUPT', 'bad bytes', { retryable: false }))
          : Promise.resolve({ seen: [1] }),
      );
      sup.tell('a', { type: 'Add', n: 1 });
      await clock.advance(0);
      expect(loads()).toBe(1);
      await clock.advance(60_000);
      expect(loads()).toBe(1);
      expect(sup.stats().quarantined).toEqual([]);
      // Its next message loads it afresh.
      broken = false;
      expect(await sup.ask<number[]>('a', (reply) => ({ type: 'Get', reply }))).toEqual([1]);
      expect(loads()).toBe(2);
    });
  });
});
