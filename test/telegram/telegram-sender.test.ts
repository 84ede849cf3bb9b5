import { GrammyError, HttpError, type InputFile } from 'grammy';
import { describe, expect, it } from 'vitest';
import { ManualClock, MetricsRegistry } from '../../src/runtime/index.js';
import {
  EgressOverflowError,
  type SenderApi,
  TELEGRAM_LIMITS,
  TelegramSendFailedError,
  TelegramSender,
} from '../../src/telegram/index.js';

type Outcome = 'ok' | { code: number; retryAfter?: number } | 'network';

/** A Bot API stand-in that answers at once and logs every call with the (manual) time it was made. */
class FakeApi implements SenderApi {
  calls: Array<{ chatId: number; text: string; atMs: number; replyTo: number | undefined }> = [];
  typing: number[] = [];
  private script = new Map<number, Outcome[]>();
  private nextId = 1;

  constructor(private readonly clock: ManualClock) {}

  /** The next answers for `chatId`, in order; afterwards every call succeeds. */
  answer(chatId: number, ...outcomes: Outcome[]): void {
    this.script.set(chatId, outcomes);
  }

  async sendMessage(
    chatId: number,
    text: string,
    other?: { reply_parameters?: { message_id: number } },
  ): Promise<{ message_id: number }> {
    this.calls.push({ chatId, text, atMs: this.clock.now(), replyTo: other?.reply_parameters?.message_id });
    return this.outcome(chatId, 'sendMessage');
  }

  async sendDocument(
    chatId: number,
    document: InputFile,
    other?: { caption?: string },
  ): Promise<{ message_id: number }> {
    this.calls.push({
      chatId,
      text: `[${document.filename}] ${other?.caption ?? ''}`,
      atMs: this.clock.now(),
      replyTo: undefined,
    });
    return this.outcome(chatId, 'sendDocument');
  }

  private outcome(chatId: number, method: string): { message_id: number } {
    const outcome = this.script.get(chatId)?.shift() ?? 'ok';
    if (outcome === 'ok') return { message_id: this.nextId++ };
    if (outcome === 'network') throw new HttpError('Network request failed', new Error('ECONNRESET'));
    throw new GrammyError(
      `Call to '${method}' failed! (${outcome.code})`,
      {
        ok: false,
        error_code: outcome.code,
        description: `error ${outcome.code}`,
        ...(outcome.retryAfter === undefined ? {} : { parameters: { retry_after: outcome.retryAfter } }),
      },
      method,
      {},
    );
  }

  async sendChatAction(chatId: number): Promise<boolean> {
    this.typing.push(chatId);
    return true;
  }

  textsTo(chatId: number): string[] {
    return this.calls.filter((c) => c.chatId === chatId).map((c) => c.text);
  }
}

function setup(options: Partial<ConstructorParameters<typeof TelegramSender>[0]> = {}) {
  const clock = new ManualClock();
  const api = new FakeApi(clock);
  const sender = new TelegramSender({
    api,
    clock,
    metrics: new MetricsRegistry(),
    safetyMarginMs: 0,
    retryBaseMs: 100,
    ...options,
  });
  return { clock, api, sender };
}

describe('TelegramSender', () => {
  it('sends a document in the chat’s lane, after the messages queued before it', async () => {
    const { clock, api, sender } = setup();
    const message = sender.sendReply(42, 'before');
    const document = sender.sendDocument(42, {
      fileName: 'data.json',
      bytes: new Uint8Array([123, 125]),
      caption: 'yours',
    });
    await clock.advance(2000);
    await Promise.all([message, document]);
    expect(api.textsTo(42)).toEqual(['before', '[data.json] yours']);
  });

  it('gives a document up at once on 403 (the user never started the bot), naming sendDocument and the code', async () => {
    const { clock, api, sender } = setup();
    api.answer(42, { code: 403 });
    const failed = sender
      .sendDocument(42, { fileName: 'data.json', bytes: new Uint8Array([1]) })
      .catch((e: unknown) => e);
    await clock.advance(0);
    expect(await failed).toMatchObject({ code: 'TELEGRAM_SEND_FAILED', method: 'sendDocument', errorCode: 403 });
    expect(api.calls).toHaveLength(1);
  });

  it('sends a private chat’s messages in order, at most one per second', async () => {
    const { clock, api, sender } = setup();
    const sent = ['one', 'two', 'three'].map((t) => sender.sendReply(42, t));
    await clock.advance(0);
    expect(api.textsTo(42)).toEqual(['one']);
    await clock.advance(2000);
    await Promise.all(sent);
    expect(api.textsTo(42)).toEqual(['one', 'two', 'three']);
    const times = api.calls.map((c) => c.atMs);
    expect((times[1] as number) - (times[0] as number)).toBeGreaterThanOrEqual(1000);
    expect((times[2] as number) - (times[1] as number)).toBeGreaterThanOrEqual(1000);
  });

  it('holds the 21st message of a minute in a group until the minute has passed', async () => {
    const { clock, api, sender } = setup({ limits: { ...TELEGRAM_LIMITS, globalPerS: 1000 } });
    const start = clock.now();
    for (let i = 0; i < 21; i++) void sender.sendReply(-100, `m${i}`);
    await clock.advance(59_000);
    expect(api.textsTo(-100)).toHaveLength(20);
    await clock.advance(1_000);
    expect(api.textsTo(-100)).toHaveLength(21);
    expect((api.calls[20]?.atMs as number) - start).toBeGreaterThanOrEqual(60_000);
  });

  it('lets a quiet chat through while a busy group has a long queue', async () => {
    const { clock, api, sender } = setup({ limits: { globalPerS: 2, privatePerS: 10, groupPerMin: 1000 } });
    for (let i = 0; i < 30; i++) void sender.sendReply(-1, `busy ${i}`);
    await clock.advance(0);
    void sender.sendReply(7, 'quiet');
    await clock.advance(1000);
    // The quiet chat waited for at most one turn of the busy one, not for its whole queue.
    const order = api.calls.map((c) => c.chatId);
    expect(order.indexOf(7)).toBeLessThanOrEqual(3);
  });

  it('pauses the whole chat queue for retry_after on a 429, while other chats go on', async () => {
    const { clock, api, sender } = setup({ limits: { globalPerS: 100, privatePerS: 100, groupPerMin: 100_000 } });
    api.answer(-5, { code: 429, retryAfter: 3 });
    const replies = ['a', 'b', 'c'].map((t) => sender.sendReply(-5, t));
    await clock.advance(0);
    void sender.sendReply(-6, 'other chat');
    await clock.advance(2900);
    expect(api.textsTo(-5)).toEqual(['a']);
    expect(api.textsTo(-6)).toEqual(['other chat']);
    await clock.advance(200);
    await Promise.all(replies);
    expect(api.textsTo(-5)).toEqual(['a', 'a', 'b', 'c']);
    expect(sender.stats().floodWaits).toBe(1);
  });

  it('pauses every chat when several chats are told to wait at once (the global limit)', async () => {
    const { clock, api, sender } = setup({ limits: { globalPerS: 100, privatePerS: 100, groupPerMin: 100_000 } });
    for (const chatId of [-1, -2, -3]) api.answer(chatId, { code: 429, retryAfter: 5 });
    for (const chatId of [-1, -2, -3]) void sender.sendReply(chatId, 'x');
    await clock.advance(0);
    void sender.sendReply(-4, 'late');
    await clock.advance(4000);
    expect(api.textsTo(-4)).toEqual([]);
    await clock.advance(1100);
    expect(api.textsTo(-4)).toEqual(['late']);
  });

  it('retries 5xx and network errors with backoff, then delivers', async () => {
    const { clock, api, sender } = setup();
    api.answer(9, { code: 502 }, 'network');
    const reply = sender.sendReply(9, 'eventually');
    await clock.advance(5000);
    await expect(reply).resolves.toEqual({ messageIds: [1] });
    expect(api.textsTo(9)).toEqual(['eventually', 'eventually', 'eventually']);
    expect(sender.stats().retried).toBe(2);
  });

  it('waits before each retry for the delay drawn from its injected random source', async () => {
    const { clock, api, sender } = setup({
      limits: { globalPerS: 1000, privatePerS: 1000, groupPerMin: 60_000 },
      retryBaseMs: 400,
      random: () => 0.5,
    });
    api.answer(12, { code: 502 }, 'network');
    const start = clock.now();
    const reply = sender.sendReply(12, 'steady');
    await clock.advance(5000);
    await expect(reply).resolves.toEqual({ messageIds: [1] });
    // Three quarters of 400 ms, then of 800 ms.
    expect(api.calls.map((c) => c.atMs - start)).toEqual([0, 300, 900]);
  });

  it('gives up at once on a refusal such as a blocked bot, and after the last retry otherwise', async () => {
    const { clock, api, sender } = setup({ maxAttempts: 2 });
    api.answer(10, { code: 403 });
    api.answer(11, { code: 500 }, { code: 500 });
    const blocked = sender.sendReply(10, 'x');
    const failing = sender.sendReply(11, 'y');
    const caught = Promise.allSettled([blocked, failing]);
    await clock.advance(5000);
    const [b, f] = await caught;
    expect(b.status === 'rejected' && b.reason).toBeInstanceOf(TelegramSendFailedError);
    expect(f.status === 'rejected' && f.reason).toBeInstanceOf(TelegramSendFailedError);
    expect(api.textsTo(10)).toHaveLength(1);
    expect(api.textsTo(11)).toHaveLength(2);
    expect(sender.stats().failed).toBe(2);
  });

  it('refuses a reply when the chat’s queue is full, and counts it', async () => {
    const { sender } = setup({ maxQueuedPerChat: 2 });
    void sender.sendReply(-8, 'a');
    void sender.sendReply(-8, 'b');
    await expect(sender.sendReply(-8, 'c')).rejects.toBeInstanceOf(EgressOverflowError);
    expect(sender.stats().overflowed).toBe(1);
  });

  it('sends a long reply as ordered parts, quoting the trigger in the first only', async () => {
    const { clock, api, sender } = setup({ limits: { globalPerS: 100, privatePerS: 100, groupPerMin: 100_000 } });
    const reply = sender.sendReply(-3, `${'слово '.repeat(1500)}`, { replyToMessageId: 77 });
    await clock.advance(1000);
    const { messageIds } = await reply;
    expect(messageIds).toHaveLength(3);
    expect(api.calls.map((c) => c.replyTo)).toEqual([77, undefined, undefined]);
  });

  it('throttles the typing indicator per chat', async () => {
    const { clock, api, sender } = setup();
    sender.sendTyping(5);
    sender.sendTyping(5);
    await clock.advance(4600);
    sender.sendTyping(5);
    expect(api.typing).toEqual([5, 5]);
  });

  it('rejects what is still queued when closed after the deadline', async () => {
    const { clock, sender } = setup();
    const replies = ['a', 'b', 'c'].map((t) => sender.sendReply(1, t));
    const settled = Promise.allSettled(replies);
    const closed = sender.close({ deadlineMs: 1500 });
    await clock.advance(2000);
    await closed;
    const outcomes = (await settled).map((r) => r.status);
    expect(outcomes).toEqual(['fulfilled', 'fulfilled', 'rejected']);
  });
});
