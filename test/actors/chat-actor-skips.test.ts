import { describe, expect, it } from 'vitest';
import { CapturingLogger } from '../support/capturing-logger.js';
import { chatActorHarness } from '../support/chat-actor-harness.js';

describe('ChatActor skipping updates it has already seen', () => {
  it('counts a redelivered update and logs the skip with its ids but without the text', async () => {
    const logger = new CapturingLogger();
    const { clock, say, redeliver, counters, metrics } = chatActorHarness({ logger });
    const id = say(-31, 'секретный текст');
    redeliver(-31, 1, id);
    await clock.advance(0);
    expect(metrics.get('lekha_chat_redelivered_updates_total')).toBe(counters.redeliveries);
    expect(counters.redeliveries.value).toBe(1);
    const skips = logger.lines.filter((l) => l.msg.includes('skipping'));
    expect(skips).toEqual([
      {
        level: 'warn',
        obj: { chatId: -31, reason: 'redelivered', updateId: 1, lastUpdateId: 1 },
        msg: expect.stringContaining('redelivery'),
      },
    ]);
    expect(JSON.stringify(logger.lines)).not.toMatch(/секрет|again/);
  });

  it('counts every message whose id is not above the last one, logs the first of a streak and sums the streak up when it ends', async () => {
    const logger = new CapturingLogger();
    const { clock, say, redeliver, counters, metrics, lastUpdateId, state } = chatActorHarness({ logger });
    say(-32, 'раз');
    const last = say(-32, 'два');
    // Fresh update ids carrying message ids the chat has seen: what a Bot API server restarted from scratch hands out.
    redeliver(-32, lastUpdateId() + 1, last - 1);
    redeliver(-32, lastUpdateId() + 2, last);
    await clock.advance(0);
    expect(metrics.get('lekha_chat_duplicate_messages_total')).toBe(counters.duplicateMessages);
    expect(counters.duplicateMessages.value).toBe(2);
    expect(counters.redeliveries.value).toBe(0);
    expect(logger.lines.filter((l) => l.msg.includes('skipping'))).toEqual([
      {
        level: 'warn',
        obj: { chatId: -32, reason: 'duplicate_message', messageId: last - 1, lastMessageId: last },
        msg: expect.stringContaining('duplicate'),
      },
    ]);
    say(-32, 'три', { updateId: lastUpdateId() + 3 });
    await clock.advance(0);
    expect(logger.lines.filter((l) => l.msg.includes('stopped skipping'))).toEqual([
      { level: 'info', obj: { chatId: -32, skipped: 2 }, msg: expect.any(String) },
    ]);
    expect((await state(-32)).chat.history.map((h) => h.text)).toEqual(['раз', 'два', 'три']);
    expect(JSON.stringify(logger.lines)).not.toMatch(/раз|два|три|again/);
  });
});
