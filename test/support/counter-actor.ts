import { Actor, type Outcome, type Reply } from '../../src/runtime/index.js';

export interface CounterState {
  seen: number[];
}

export type CounterMsg =
  | { type: 'Add'; n: number }
  | { type: 'Fail'; times: number }
  | { type: 'Slow'; n: number; work: (signal: AbortSignal) => Promise<number> }
  | { type: 'SlowDone'; n: number; outcome: Outcome<number> }
  | { type: 'Get'; reply: Reply<number[]> }
  | { type: 'Tick' };

export interface CounterProbe {
  /** Every (key, n) in the order turns saw them. */
  turns: Array<[unknown, number]>;
  /** Turns currently executing (must never exceed 1 per actor). */
  running: Map<unknown, number>;
  maxConcurrentPerKey: number;
  failuresLeft: Map<unknown, number>;
  ticks: number;
}

export function newProbe(): CounterProbe {
  return { turns: [], running: new Map(), maxConcurrentPerKey: 0, failuresLeft: new Map(), ticks: 0 };
}

/** A small actor that records what its turns see; used across kernel tests. */
export class CounterActor extends Actor<CounterMsg, CounterState> {
  private readonly state: CounterState;

  constructor(
    private readonly id: unknown,
    state: CounterState | undefined,
    private readonly probe: CounterProbe,
  ) {
    super();
    this.state = state === undefined ? { seen: [] } : { seen: [...state.seen] };
  }

  receive(msg: CounterMsg): void {
    const running = (this.probe.running.get(this.id) ?? 0) + 1;
    this.probe.running.set(this.id, running);
    this.probe.maxConcurrentPerKey = Math.max(this.probe.maxConcurrentPerKey, running);
    try {
      this.handle(msg);
    } finally {
      this.probe.running.set(this.id, running - 1);
    }
  }

  snapshot(): CounterState {
    return { seen: [...this.state.seen] };
  }

  private handle(msg: CounterMsg): void {
    switch (msg.type) {
      case 'Add':
        this.state.seen.push(msg.n);
        this.probe.turns.push([this.id, msg.n]);
        this.markDirty();
        return;
      case 'Fail': {
        const left = this.probe.failuresLeft.get(this.id) ?? msg.times;
        if (left > 0) {
          this.probe.failuresLeft.set(this.id, left - 1);
          throw new Error(`planned failure, ${left - 1} left`);
        }
        this.state.seen.push(-1);
        this.markDirty();
        return;
      }
      case 'Slow':
        this.pipe(msg.work, (outcome) => ({ type: 'SlowDone', n: msg.n, outcome }));
        return;
      case 'SlowDone':
        this.state.seen.push(msg.outcome.ok ? msg.outcome.value : -msg.n);
        this.probe.turns.push([this.id, msg.n]);
        this.markDirty();
        return;
      case 'Get':
        msg.reply.resolve([...this.state.seen]);
        return;
      case 'Tick':
        this.probe.ticks++;
        return;
    }
  }
}
