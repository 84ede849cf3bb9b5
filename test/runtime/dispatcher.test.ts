import { describe, expect, it } from 'vitest';
import { Actor } from '../../src/runtime/index.js';
import { Supervisor } from '../../src/supervisor/index.js';

type Msg = { type: 'Work'; ms: number };

class Busy extends Actor<Msg, null> {
  constructor(private readonly log: string[]) {
    super();
  }
  receive(msg: Msg): void {
    const until = performance.now() + msg.ms;
    while (performance.now() < until) {
      // CPU-bound turn
    }
    this.log.push('turn');
  }
  snapshot(): null {
    return null;
  }
}

describe('Dispatcher', () => {
  it('yields to the event loop during a long drain so I/O callbacks are not starved', async () => {
    const log: string[] = [];
    const sup = new Supervisor<number, Msg, null>({ create: () => new Busy(log), dispatcher: { sliceMs: 5 } });
    for (let i = 0; i < 40; i++) sup.tell(i % 4, { type: 'Work', ms: 1 });
    setImmediate(() => log.push('io'));
    await sup.shutdown();
    const io = log.indexOf('io');
    expect(io).toBeGreaterThan(0);
    expect(io).toBeLessThan(20);
    expect(log.filter((x) => x === 'turn')).toHaveLength(40);
  });
});
