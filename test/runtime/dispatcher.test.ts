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

type Note = { type: 'Note'; onTurn?: () => void };

class Logger extends Actor<Note, null> {
  constructor(
    private readonly name: string,
    private readonly log: string[],
  ) {
    super();
  }
  receive(msg: Note): void {
    this.log.push(this.name);
    msg.onTurn?.();
  }
  snapshot(): null {
    return null;
  }
}

/** Resolves once `log` holds `turns` entries (the drain runs in microtasks and, past a slice, immediates). */
function turnsDone(log: string[], turns: number): Promise<void> {
  return new Promise((resolve) => {
    const check = (): void => {
      if (log.length >= turns) resolve();
      else setImmediate(check);
    };
    check();
  });
}

describe('Dispatcher fairness', () => {
  // A slice long enough that it never ends within these tests: order alone is asserted.
  const options = { throughput: 2, sliceMs: 60_000 };

  it('runs a chat that just woke up before chats that already had their go', async () => {
    const log: string[] = [];
    const sup = new Supervisor<string, Note, null>({
      create: (key) => new Logger(key, log),
      dispatcher: options,
    });
    const wakeCold = (): void => sup.tell('cold', { type: 'Note' });
    for (let i = 0; i < 6; i++) sup.tell('hot1', i === 2 ? { type: 'Note', onTurn: wakeCold } : { type: 'Note' });
    for (let i = 0; i < 6; i++) sup.tell('hot2', { type: 'Note' });
    await turnsDone(log, 13);
    await sup.shutdown();
    // hot1's third turn (its second go) wakes cold; cold runs as soon as that go ends,
    // ahead of hot2, which was waiting for its second go already.
    expect(log).toEqual([
      ...['hot1', 'hot1', 'hot2', 'hot2', 'hot1', 'hot1'],
      'cold',
      ...['hot2', 'hot2', 'hot1', 'hot1', 'hot2', 'hot2'],
    ]);
  });

  it('gives a flooding chat its go between bursts of chats that woke up', async () => {
    const log: string[] = [];
    const sup = new Supervisor<string, Note, null>({
      create: (key) => new Logger(key, log),
      dispatcher: options,
    });
    for (let i = 0; i < 6; i++) sup.tell('hot', { type: 'Note' });
    for (let i = 0; i < 40; i++) sup.tell(`cold${i}`, { type: 'Note' });
    await turnsDone(log, 46);
    await sup.shutdown();
    const hotTurns = log.flatMap((name, at) => (name === 'hot' ? [at] : []));
    // Its first go as a woken chat itself, then a go after every 16 woken chats.
    expect(hotTurns).toEqual([0, 1, 17, 18, 35, 36]);
    expect(log).toHaveLength(46);
  });
});
