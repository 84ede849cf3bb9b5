import { describe, expect, it } from 'vitest';
import { Actor, type Gauge, MailboxFullError, ShuttingDownError } from '../../src/runtime/index.js';
import { Supervisor } from '../../src/supervisor/index.js';

type Msg = { type: 'Command'; n: number } | { type: 'Analytics'; n: number };

class Recorder extends Actor<Msg, null> {
  constructor(private readonly seen: Msg[]) {
    super();
  }
  receive(msg: Msg): void {
    this.seen.push(msg);
  }
  snapshot(): null {
    return null;
  }
}

function setup() {
  const seen: Msg[] = [];
  const sup = new Supervisor<string, Msg, null>({
    create: () => new Recorder(seen),
    mailboxCapacity: 3,
    overflowPolicy: (msg) => (msg.type === 'Analytics' ? 'drop-oldest' : 'reject'),
  });
  return { seen, sup };
}

describe('mailbox overflow', () => {
  it('rejects a command to its sender when the mailbox is full, and counts it', async () => {
    const { seen, sup } = setup();
    for (let n = 0; n < 3; n++) sup.tell('a', { type: 'Command', n });
    let error: unknown;
    try {
      sup.tell('a', { type: 'Command', n: 3 });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(MailboxFullError);
    expect((error as MailboxFullError).code).toBe('MAILBOX_FULL');
    await sup.shutdown();
    expect(seen.map((m) => m.n)).toEqual([0, 1, 2]);
    expect(sup.stats()).toMatchObject({ overflowRejected: 1, overflowDropped: 0, overflowsByType: { Command: 1 } });
  });

  it('drops the oldest low-value message instead of a command, and counts it', async () => {
    const { seen, sup } = setup();
    sup.tell('a', { type: 'Analytics', n: 0 });
    sup.tell('a', { type: 'Command', n: 1 });
    sup.tell('a', { type: 'Analytics', n: 2 });
    sup.tell('a', { type: 'Command', n: 3 });
    sup.tell('a', { type: 'Analytics', n: 4 });
    await sup.shutdown();
    expect(seen.map((m) => m.n)).toEqual([1, 3, 4]);
    expect(sup.stats()).toMatchObject({ overflowRejected: 0, overflowDropped: 2 });
  });

  it('shows the messages waiting in the mailbox depth gauges until their turns run', async () => {
    const { sup } = setup();
    const depth = () => [
      (sup.metrics.get('lekha_mailbox_depth') as Gauge).value,
      (sup.metrics.get('lekha_mailbox_depth_max') as Gauge).value,
    ];
    expect(depth()).toEqual([0, 0]);
    for (let n = 0; n < 3; n++) sup.tell('a', { type: 'Command', n });
    sup.tell('b', { type: 'Command', n: 0 });
    expect(depth()).toEqual([4, 3]);
    await sup.shutdown();
    expect(depth()).toEqual([0, 0]);
  });

  it('refuses new messages once shutdown has begun', async () => {
    const { sup } = setup();
    const stopping = sup.shutdown();
    expect(() => sup.tell('a', { type: 'Command', n: 1 })).toThrow(ShuttingDownError);
    await stopping;
  });
});
