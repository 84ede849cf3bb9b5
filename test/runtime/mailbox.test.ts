import { describe, expect, it } from 'vitest';
import { Mailbox, type OverflowPolicy } from '../../src/runtime/index.js';

type Msg = { type: 'Command' | 'Analytics'; n: number };
const policyOf = (m: Msg): OverflowPolicy => (m.type === 'Analytics' ? 'drop-oldest' : 'reject');

describe('Mailbox', () => {
  it('delivers messages in arrival order and holds no storage when empty', () => {
    const box = new Mailbox<Msg>(10);
    for (let n = 0; n < 5; n++) expect(box.offer({ type: 'Command', n }, policyOf)).toBe('accepted');
    expect([1, 2, 3, 4, 5].map(() => box.shift()?.n)).toEqual([0, 1, 2, 3, 4]);
    expect(box.isEmpty).toBe(true);
    expect(box.shift()).toBeUndefined();
  });

  it('rejects a command at capacity when nothing low-value can make room', () => {
    const box = new Mailbox<Msg>(2);
    box.offer({ type: 'Command', n: 1 }, policyOf);
    box.offer({ type: 'Command', n: 2 }, policyOf);
    expect(box.offer({ type: 'Command', n: 3 }, policyOf)).toBe('rejected');
    expect(box.offer({ type: 'Analytics', n: 4 }, policyOf)).toBe('dropped');
    expect(box.drain().map((m) => m.n)).toEqual([1, 2]);
  });

  it('drops the oldest low-value message to make room, for commands too', () => {
    const box = new Mailbox<Msg>(3);
    box.offer({ type: 'Command', n: 1 }, policyOf);
    box.offer({ type: 'Analytics', n: 2 }, policyOf);
    box.offer({ type: 'Analytics', n: 3 }, policyOf);
    expect(box.offer({ type: 'Analytics', n: 4 }, policyOf)).toBe('displaced');
    expect(box.offer({ type: 'Command', n: 5 }, policyOf)).toBe('displaced');
    expect(box.drain().map((m) => m.n)).toEqual([1, 4, 5]);
  });

  it('puts a retried message back at the front', () => {
    const box = new Mailbox<Msg>(4);
    box.offer({ type: 'Command', n: 1 }, policyOf);
    box.offer({ type: 'Command', n: 2 }, policyOf);
    const first = box.shift()!;
    box.unshift(first);
    expect(box.drain().map((m) => m.n)).toEqual([1, 2]);
  });

  it('refuses a capacity that is not a positive integer', () => {
    expect(() => new Mailbox(0)).toThrow(/positive integer/);
    expect(() => new Mailbox(1.5)).toThrow(/positive integer/);
    expect(() => new Mailbox(0)).toThrow(expect.objectContaining({ code: 'INVALID_OPTION', option: 'capacity' }));
  });
});
