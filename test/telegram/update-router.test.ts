import { describe, expect, it } from 'vitest';
import type { DeadLetterStore, NewDeadLetter } from '../../src/ports/index.js';
import {
  ActorQuarantinedError,
  type Counter,
  MailboxFullError,
  ManualClock,
  MetricsRegistry,
} from '../../src/runtime/index.js';
import { MemoryDeadLetterStore } from '../../src/storage/index.js';
import { immediateDurability, OffsetTracker, type TelegramUpdate, UpdateRouter } from '../../src/telegram/index.js';

const message = (updateId: number, chatId: number) => ({
  update_id: updateId,
  message: {
    message_id: updateId,
    date: 1,
    chat: { id: chatId, type: 'group', title: 'g' },
    from: { id: 5, is_bot: false, first_name: 'A' },
    text: 'secret text',
  },
});

/** A dead-letter store that fails its first `failures` writes. */
class FlakyStore extends MemoryDeadLetterStore implements DeadLetterStore {
  constructor(private failures: number) {
    super();
  }

  override async add(letter: NewDeadLetter): Promise<void> {
    if (this.failures-- > 0) throw new Error('database unreachable');
    await super.add(letter);
  }
}

function setup(
  options: {
    store?: DeadLetterStore;
    deliver?: (chatId: number, updateId: number, update: TelegramUpdate, replayed?: boolean) => void;
  } = {},
) {
  const clock = new ManualClock();
  const metrics = new MetricsRegistry();
  const tracker = new OffsetTracker(() => clock.now());
  const store = options.store ?? new MemoryDeadLetterStore();
  const quarantined = new Set<number>();
  const delivered: Array<{ chatId: number; updateId: number; replayed: boolean }> = [];
  const router = new UpdateRouter({
    tracker,
    durability: immediateDurability,
    deadLetters: store,
    deliver:
      options.deliver ??
      ((chatId, updateId, _update, replayed) => {
        if (quarantined.has(chatId))
          throw new ActorQuarantinedError(chatId, 'SNAPSHOT_CORRUPT: bad bytes', clock.now() + 1000);
        delivered.push({ chatId, updateId, replayed: replayed === true });
      }),
    clock,
    metrics,
    durabilityRetryMs: 100,
  });
  return { clock, metrics, tracker, store, quarantined, delivered, router };
}

const flush = () => new Promise((resolve) => setImmediate(resolve));

describe('UpdateRouter dead letters', () => {
  it('keeps an update of a quarantined chat and only then lets the offset pass it', async () => {
    const { router, tracker, store, quarantined, metrics } = setup();
    quarantined.add(-9);
    expect(router.dispatch(message(10, -9))).toBe('dead-lettered');
    expect(tracker.confirmableOffset).toBe(10);
    await flush();
    expect(tracker.confirmableOffset).toBe(11);
    expect(await store.list({ limit: 10 })).toMatchObject([
      { chatId: -9, updateId: 10, reason: 'SNAPSHOT_CORRUPT: bad bytes' },
    ]);
    expect((metrics.get('lekha_telegram_updates_dead_lettered_total') as Counter).value).toBe(1);
  });

  it('holds the offset while the dead letter cannot be written, and retries until it is', async () => {
    const { router, tracker, store, quarantined, clock, metrics } = setup({ store: new FlakyStore(2) });
    quarantined.add(-9);
    router.dispatch(message(10, -9));
    await flush();
    expect(tracker.confirmableOffset).toBe(10);
    await clock.advance(100);
    await flush();
    expect(tracker.confirmableOffset).toBe(10);
    await clock.advance(100);
    await flush();
    expect(tracker.confirmableOffset).toBe(11);
    expect(await store.count()).toBe(1);
    expect((metrics.get('lekha_telegram_dead_letter_failures_total') as Counter).value).toBe(2);
  });

  it('replays a letter as a replay and resolves once its turn is durable', async () => {
    const { router, delivered } = setup();
    let done = false;
    const replay = router.replay(-9, 10, message(10, -9) as TelegramUpdate).then(() => (done = true));
    expect(delivered).toEqual([{ chatId: -9, updateId: 10, replayed: true }]);
    await flush();
    expect(done).toBe(false);
    router.processed(-9, 10);
    await replay;
    expect(done).toBe(true);
  });

  it('rejects a replay into a quarantined chat at once', async () => {
    const { router, quarantined } = setup();
    quarantined.add(-9);
    await expect(router.replay(-9, 10, message(10, -9) as TelegramUpdate)).rejects.toBeInstanceOf(
      ActorQuarantinedError,
    );
  });

  it('rejects a replay whose update is dead-lettered again', async () => {
    const { router, store } = setup({ deliver: () => undefined });
    const replay = router.replay(-9, 10, message(10, -9) as TelegramUpdate);
    router.deadLetter(-9, 10, message(10, -9) as TelegramUpdate, 'SNAPSHOT_CORRUPT: still bad');
    await expect(replay).rejects.toBeInstanceOf(ActorQuarantinedError);
    expect(await store.list({ limit: 10 })).toMatchObject([{ updateId: 10, reason: 'SNAPSHOT_CORRUPT: still bad' }]);
  });
});

describe('UpdateRouter counts', () => {
  it('counts an update as received once however often a full mailbox makes the ingress offer it again', () => {
    let refusals = 2;
    const taken: number[] = [];
    const { router, metrics, tracker } = setup({
      deliver: (chatId, updateId) => {
        if (refusals-- > 0) throw new MailboxFullError(`chat:${chatId}`, 4);
        taken.push(updateId);
      },
    });
    const received = () => (metrics.get('lekha_telegram_updates_received_total') as Counter).value;
    expect(() => router.dispatch(message(10, -9))).toThrow(MailboxFullError);
    expect(() => router.dispatch(message(10, -9))).toThrow(MailboxFullError);
    expect(received()).toBe(0);
    expect(tracker.inFlight).toBe(0);
    expect(router.dispatch(message(10, -9))).toBe('queued');
    expect(taken).toEqual([10]);
    expect(received()).toBe(1);
    // A malformed update was received too, and is counted.
    expect(router.dispatch({ update_id: 11, message: 'not an object' })).toBe('malformed');
    expect(received()).toBe(2);
  });
});

describe('OffsetTracker stall measure', () => {
  it('counts the time updates wait without the offset moving, and resets when it moves or nothing waits', () => {
    let now = 1_000;
    const tracker = new OffsetTracker(() => now);
    expect(tracker.stalledForMs()).toBe(0);
    tracker.begin(1);
    tracker.begin(2);
    now += 500;
    tracker.complete(2); // the offset is still held by 1
    expect(tracker.stalledForMs()).toBe(500);
    now += 500;
    tracker.complete(1);
    expect(tracker.stalledForMs()).toBe(0);
    now += 10_000;
    tracker.begin(3);
    expect(tracker.stalledForMs()).toBe(0);
    now += 20;
    expect(tracker.stalledForMs()).toBe(20);
  });
});
