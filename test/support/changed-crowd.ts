import type { Clock } from '../../src/runtime/index.js';
import { Supervisor } from '../../src/supervisor/index.js';
import { CounterActor, type CounterMsg, type CounterState, newProbe } from './counter-actor.js';

/**
 * 300 actors that each took one message and changed, all at once, under a
 * supervisor whose persist spins 0.3 ms (an encode of a big state) and then
 * calls `onPersist`: 16 persists always outlast a 4 ms slice, on any machine.
 */
export async function changedCrowd(options: { clock?: Clock; idleMs?: number; onPersist?: (key: string) => void }) {
  const { onPersist, ...supervision } = options;
  const persisted: string[] = [];
  const sup = new Supervisor<string, CounterMsg, CounterState>({
    create: (key, state) => new CounterActor(key, state, newProbe()),
    persist: (key) => {
      const until = performance.now() + 0.3;
      while (performance.now() < until);
      persisted.push(key);
      onPersist?.(key);
    },
    ...supervision,
  });
  const keys = Array.from({ length: 300 }, (_, i) => `chat${i}`);
  for (const key of keys) sup.tell(key, { type: 'Add', n: 1 });
  // Every first turn runs before anything else: all 300 changed (and, on a manual clock, went idle) together.
  while (sup.stats().turns < keys.length) await new Promise((resolve) => setImmediate(resolve));
  return { persisted, sup, keys };
}
