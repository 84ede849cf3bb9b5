import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/runtime/index.js';
import { BotApiError } from '../../src/sandbox/bot-api-error.js';
import { FloodGate } from '../../src/sandbox/flood-gate.js';

const LIMITS = { globalPerS: 30, privatePerS: 1, groupPerMin: 20 };

/** The retry_after a refused send announces, or null when the send was let through. */
function retryAfter(gate: FloodGate, chatId: number): number | null {
  try {
    gate.admit(chatId);
    return null;
  } catch (error) {
    expect(error).toBeInstanceOf(BotApiError);
    expect((error as BotApiError).code).toBe(429);
    return (error as BotApiError).parameters?.retry_after ?? -1;
  }
}

describe('FloodGate', () => {
  it('lets one message a second into a private chat and tells the next to wait until the second is over', async () => {
    const clock = new ManualClock();
    const gate = new FloodGate(LIMITS, clock);
    expect(retryAfter(gate, 5)).toBeNull();
    expect(retryAfter(gate, 5)).toBe(1);
    await clock.advance(999);
    expect(retryAfter(gate, 5)).toBe(1);
    await clock.advance(1);
    expect(retryAfter(gate, 5)).toBeNull();
    expect(gate.rejections).toBe(2);
  });

  it('lets twenty messages a minute into a group and announces the wait in whole seconds', async () => {
    const clock = new ManualClock();
    const gate = new FloodGate(LIMITS, clock);
    for (let i = 0; i < 20; i++) {
      expect(retryAfter(gate, -100)).toBeNull();
      await clock.advance(100);
    }
    expect(retryAfter(gate, -100)).toBe(58);
    expect(retryAfter(gate, -200)).toBeNull();
    await clock.advance(58_000);
    expect(retryAfter(gate, -100)).toBeNull();
  });

  it('limits the whole bot to its global rate over all chats', async () => {
    const clock = new ManualClock();
    const gate = new FloodGate(LIMITS, clock);
    for (let chatId = 1; chatId <= 30; chatId++) expect(retryAfter(gate, chatId)).toBeNull();
    expect(retryAfter(gate, 31)).toBe(1);
    await clock.advance(1000);
    expect(retryAfter(gate, 31)).toBeNull();
  });

  it('keeps refusing a chat that was held off until its retry_after has passed, even without limits', async () => {
    const clock = new ManualClock();
    const gate = new FloodGate(false, clock);
    gate.holdOff(7, 3);
    expect(retryAfter(gate, 7)).toBe(3);
    await clock.advance(2_500);
    expect(retryAfter(gate, 7)).toBe(1);
    expect(retryAfter(gate, 8)).toBeNull();
    await clock.advance(500);
    expect(retryAfter(gate, 7)).toBeNull();
    expect(retryAfter(gate, 7)).toBeNull();
  });
});
