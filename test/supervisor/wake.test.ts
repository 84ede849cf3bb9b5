import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/runtime/index.js';
import { SnapshotCorruptError } from '../../src/storage/index.js';
import { Supervisor } from '../../src/supervisor/index.js';
import { CounterActor, type CounterMsg, type CounterState, newProbe } from '../support/counter-actor.js';

/** A counter that notes each start and the state it started from. */
class StartingCounter extends CounterActor {
  constructor(
    private readonly chat: string,
    private readonly from: CounterState | undefined,
    private readonly starts: Array<[string, number[] | undefined]>,
  ) {
    super(chat, from, newProbe());
  }

  override onStart(): void {
    this.starts.push([this.chat, this.from?.seen]);
    // A started state with work left over (here: an odd last number) changes as it goes on with it.
    if ((this.from?.seen.at(-1) ?? 0) % 2 === 1) this.receive({ type: 'Add', n: 0 });
  }
}

function setup() {
  const clock = new ManualClock();
  const store = new Map<string, CounterState>([
    ['a', { seen: [1, 2] }],
    ['odd', { seen: [3] }],
    ['q', { seen: [9] }],
  ]);
  const starts: Array<[string, number[] | undefined]> = [];
  const served = new Set(['a', 'b', 'q', 'odd']);
  const sup = new Supervisor<string, CounterMsg, CounterState>({
    create: (key, state) => new StartingCounter(key, state, starts),
    load: (key) => {
      if (key === 'q') throw new SnapshotCorruptError(key, 'bytes do not decode');
      return Promise.resolve(store.get(key));
    },
    admit: (key) => served.has(key),
    idleMs: 0,
    clock,
  });
  const get = (key: string): Promise<number[]> => sup.ask<number[]>(key, (reply) => ({ type: 'Get', reply }));
  return { clock, starts, served, sup, get };
}

describe('wake', () => {
  it('starts an actor from its stored state without a message, once', async () => {
    const { clock, starts, sup, get } = setup();
    expect(sup.wake('a')).toBe(true);
    await clock.advance(0);
    expect(starts).toEqual([['a', [1, 2]]]);
    expect(sup.isLive('a')).toBe(true);
    // In memory already (live, or still loading): nothing to start.
    expect(sup.wake('a')).toBe(false);
    expect(sup.wake('b')).toBe(true);
    expect(sup.wake('b')).toBe(false);
    await clock.advance(0);
    expect(starts).toEqual([
      ['a', [1, 2]],
      ['b', undefined],
    ]);
    expect(await get('a')).toEqual([1, 2]);
    expect(sup.metrics.get('lekha_actor_wakes_total')).toMatchObject({ value: 2 });
  });

  it('keeps what the actor changed as it started marked for the next write, and nothing else', async () => {
    const { clock, sup } = setup();
    sup.wake('a');
    sup.wake('odd');
    await clock.advance(0);
    expect(sup.takeDirty()).toEqual([['odd', { seen: [3, 0] }]]);
  });

  it('leaves alone a key it does not serve, a quarantined one, and every key once shutting down', async () => {
    const { clock, starts, served, sup } = setup();
    expect(sup.wake('x')).toBe(false);
    expect(sup.stats().total).toBe(0);
    sup.wake('q'); // its snapshot cannot be read: quarantined
    await clock.advance(0);
    expect(sup.stats().quarantined.map((q) => q.key)).toEqual(['q']);
    expect(sup.wake('q')).toBe(false);
    served.add('late');
    void sup.shutdown({ deadlineMs: 10 });
    expect(sup.wake('late')).toBe(false);
    expect(starts).toEqual([]);
    // Only the quarantined key's start was tried.
    expect(sup.metrics.get('lekha_actor_wakes_total')).toMatchObject({ value: 1 });
  });
});
