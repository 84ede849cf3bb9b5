import type { WindowCounter } from './chat-state.js';

/**
 * Counts one more event in a fixed time window and returns the count so far
 * in the current window. Fixed windows keep the persisted state to two
 * numbers per counter, which matters with thousands of members per chat.
 */
export function countInWindow(counter: WindowCounter, nowMs: number, windowMs: number): number {
  if (nowMs - counter.startMs >= windowMs || nowMs < counter.startMs) {
    counter.startMs = nowMs;
    counter.count = 0;
  }
  counter.count++;
  return counter.count;
}
