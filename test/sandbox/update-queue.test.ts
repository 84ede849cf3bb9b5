import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/runtime/index.js';
import { BotApiError } from '../../src/sandbox/bot-api-error.js';
import { EmulatorIds } from '../../src/sandbox/emulator-ids.js';
import { UpdateQueue } from '../../src/sandbox/update-queue.js';

function queue(): { clock: ManualClock; queue: UpdateQueue } {
  const clock = new ManualClock();
  return { clock, queue: new UpdateQueue(EmulatorIds.fromClock(clock.now()), clock) };
}

const message = (text: string): Record<string, unknown> => ({ message: { text, chat: { id: 1 } } });
const texts = (updates: Array<{ message?: { text?: string } }>): Array<string | undefined> =>
  updates.map((u) => u.message?.text);

describe('UpdateQueue', () => {
  it('holds a long poll until its timeout on the clock, then answers it empty', async () => {
    const { clock, queue: q } = queue();
    let answered: unknown[] | null = null;
    void q.poll({ offset: undefined, limit: 100, timeoutS: 30 }).then((updates) => (answered = updates));
    await clock.advance(29_999);
    expect(answered).toBeNull();
    await clock.advance(1);
    expect(answered).toEqual([]);
    expect(clock.pendingTimers).toBe(0);
  });

  it('answers a waiting long poll as soon as an update is queued, and cancels its timer', async () => {
    const { clock, queue: q } = queue();
    const waiting = q.poll({ offset: undefined, limit: 100, timeoutS: 30 });
    await clock.advance(10);
    q.enqueue(message('one'));
    expect(texts(await waiting)).toEqual(['one']);
    expect(clock.pendingTimers).toBe(0);
  });

  it('ends an older long poll with 409 when a newer one comes', async () => {
    const { clock, queue: q } = queue();
    const older = q.poll({ offset: undefined, limit: 100, timeoutS: 30 });
    const newer = q.poll({ offset: undefined, limit: 100, timeoutS: 30 });
    await expect(older).rejects.toMatchObject({ code: 409 });
    await expect(older).rejects.toBeInstanceOf(BotApiError);
    q.close();
    expect(await newer).toEqual([]);
    expect(clock.pendingTimers).toBe(0);
  });

  it('keeps updates until an offset confirms them, unless confirmations are held', async () => {
    const { queue: q } = queue();
    const first = q.enqueue(message('one'));
    q.enqueue(message('two'));
    q.enqueue(message('three'));
    expect(texts(await q.poll({ offset: undefined, limit: 2, timeoutS: 0 }))).toEqual(['one', 'two']);
    q.holdConfirmations(true);
    expect(texts(await q.poll({ offset: first + 1, limit: 100, timeoutS: 0 }))).toEqual(['two', 'three']);
    expect(q.pendingCount).toBe(3);
    q.holdConfirmations(false);
    await q.poll({ offset: first + 1, limit: 100, timeoutS: 0 });
    expect(q.pendingCount).toBe(2);
    expect(texts(await q.poll({ offset: -1, limit: 100, timeoutS: 0 }))).toEqual(['three']);
    expect(q.pendingCount).toBe(1);
    q.drop();
    expect(q.pendingCount).toBe(0);
  });

  it('keeps an update id given from outside and counts on above it', () => {
    const { queue: q } = queue();
    const given = q.enqueue({ update_id: 2_000_000_000_000, message: { text: 'raw' } });
    expect(given).toBe(2_000_000_000_000);
    expect(q.enqueue(message('next'))).toBe(2_000_000_000_001);
  });

  it('hands out only the update kinds asked for, but always the malformed ones', async () => {
    const { queue: q } = queue();
    q.enqueue(message('one'));
    q.enqueue({ edited_message: { text: 'edited' } });
    q.enqueue({ not_a_kind: 1 });
    q.setAllowedUpdates(['message', 7]);
    expect(q.allowedUpdates).toEqual(['message']);
    const kinds = (await q.poll({ offset: undefined, limit: 100, timeoutS: 0 })).map((u) =>
      Object.keys(u).find((k) => k !== 'update_id'),
    );
    expect(kinds).toEqual(['message', 'not_a_kind']);
  });

  it('confirms a single update out of order, as a webhook answer does', () => {
    const { queue: q } = queue();
    const one = q.enqueue(message('one'));
    const two = q.enqueue(message('two'));
    q.confirm(two);
    expect(texts([...q.unconfirmed()])).toEqual(['one']);
    q.confirm(one);
    q.confirm(one);
    expect(q.pendingCount).toBe(0);
  });
});
