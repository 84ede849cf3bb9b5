import { describe, expect, it } from 'vitest';
import { OffsetTracker } from '../../src/telegram/index.js';

describe('OffsetTracker', () => {
  it('has nothing to confirm before the first update', () => {
    expect(new OffsetTracker().confirmableOffset).toBeUndefined();
  });

  it('never lets the offset pass an unfinished update', () => {
    const tracker = new OffsetTracker();
    for (const id of [10, 11, 12]) tracker.begin(id);
    tracker.complete(11);
    tracker.complete(12);
    expect(tracker.confirmableOffset).toBe(10);
    tracker.complete(10);
    expect(tracker.confirmableOffset).toBe(13);
    expect(tracker.inFlight).toBe(0);
  });

  it('recognises an update it is already following', () => {
    const tracker = new OffsetTracker();
    expect(tracker.begin(5)).toBe(true);
    expect(tracker.begin(5)).toBe(false);
  });

  it('keeps the offset below an update the runtime refused', () => {
    const tracker = new OffsetTracker();
    tracker.begin(20);
    tracker.complete(20);
    tracker.begin(21);
    tracker.abandon(21);
    expect(tracker.confirmableOffset).toBe(21);
    expect(tracker.begin(21)).toBe(true);
  });

  it('orders webhook updates that overtake each other', () => {
    const tracker = new OffsetTracker();
    tracker.begin(31);
    tracker.begin(30);
    tracker.complete(31);
    expect(tracker.confirmableOffset).toBe(30);
    tracker.complete(30);
    expect(tracker.confirmableOffset).toBe(32);
  });

  it('wakes waiters when an update finishes and when the offset moves', async () => {
    const tracker = new OffsetTracker();
    tracker.begin(1);
    tracker.begin(2);
    const events: string[] = [];
    const second = tracker.whenComplete(2).then(() => events.push('2 done'));
    const progress = tracker.progress().then(() => events.push('offset moved'));
    tracker.complete(2);
    await second;
    expect(events).toEqual(['2 done']);
    tracker.complete(1);
    await progress;
    expect(events).toEqual(['2 done', 'offset moved']);
  });
});
