import { afterEach, describe, expect, it } from 'vitest';
import type { ChatState } from '../../src/actors/index.js';
import type { Counter, Gauge, Histogram } from '../../src/runtime/index.js';
import { freePort, type Harness, startHarness, waitFor } from '../support/edge-harness.js';

let harness: Harness | null = null;

afterEach(async () => {
  await harness?.close();
  harness = null;
});

const user = (id: number, firstName = `User${id}`) => ({ id, firstName });

function counter(h: Harness, name: string): number {
  return (h.runtime.metrics.get(name) as Counter | undefined)?.value ?? 0;
}

function chatState(h: Harness, chatId: number): Promise<ChatState> {
  return h.runtime.supervisor.ask<ChatState>(chatId, (reply) => ({ type: 'GetChatState', reply }));
}

describe('Telegram and Groq end to end, through the emulators', () => {
  it('answers a message in the chat it came from', async () => {
    const h = (harness = await startHarness());
    h.botApi.injectMessage({ chatId: 501, from: user(501, 'Вася'), text: 'Привет, как дела?' });
    h.botApi.injectMessage({ chatId: -700, from: user(9), text: 'просто болтаем, бот не нужен' });
    await waitFor('the reply', () => h.botApi.sentTo(501).length === 1);
    const [reply] = h.botApi.sentTo(501);
    expect(reply?.text).toContain('Привет, как дела?');
    await waitFor('the group message to be processed', () => h.botApi.pendingCount === 0);
    expect(h.botApi.sentTo(-700)).toEqual([]);
    expect(h.runtime.llm.stats().modelReplies).toBe(1);
  });

  it('exports the offsets it has reached and the getUpdates round trips', async () => {
    const h = (harness = await startHarness());
    const gauge = (name: string) => (h.runtime.metrics.get(name) as Gauge).value;
    const sent = [1, 2, 3].map((n) => h.botApi.injectMessage({ chatId: -710, from: user(n), text: `сообщение ${n}` }));
    const last = (sent.at(-1) as { updateId: number }).updateId;
    await waitFor('every update confirmed', () => h.botApi.pendingCount === 0);
    await waitFor('the offset past the last update', () => gauge('lekha_telegram_offset') === last + 1);
    expect(gauge('lekha_telegram_update_id_highest')).toBe(last);
    const polls = h.runtime.metrics.get('lekha_telegram_poll_ms') as Histogram;
    expect(polls.count).toBeGreaterThan(0);
    expect(polls.count).toBeLessThanOrEqual(counter(h, 'lekha_telegram_polls_total'));
  });

  // Two bounded waits of up to 30 s each: the test's own budget must hold both.
  it(
    'keeps every chat’s replies in order when 200 chats × 5 messages arrive interleaved',
    { timeout: 90_000 },
    async () => {
      const h = (harness = await startHarness({ groq: { latency: { medianMs: 5, p99Ms: 40 } } }));
      const chats = Array.from({ length: 200 }, (_, i) => -(2000 + i));
      const messageIds = new Map<number, number[]>();
      for (let m = 0; m < 5; m++) {
        for (const [c, chatId] of chats.entries()) {
          const { message } = h.botApi.injectMessage({
            chatId,
            from: user(100 + (c % 7)),
            text: `Лёха, сообщение ${m} из чата ${c}`,
          });
          messageIds.set(chatId, [...(messageIds.get(chatId) ?? []), message.message_id]);
        }
      }
      const lastOf = (chatId: number): number => (messageIds.get(chatId) as number[])[4] as number;
      // Triggers that arrive while a reply is being prepared are answered by it (they are in its prompt) or by one follow-up.
      const settled = async (chatId: number): Promise<boolean> => {
        const state = await chatState(h, chatId);
        return (
          state.processedMessages === 5 && state.chat.inFlight === null && state.chat.answered.includes(lastOf(chatId))
        );
      };
      await waitFor(
        'a reply in every chat and every update confirmed',
        () => h.botApi.pendingCount === 0 && chats.every((c) => h.botApi.sentTo(c).length > 0),
        30_000,
      );
      await waitFor(
        'every chat’s last message to be answered',
        async () => (await Promise.all(chats.map(settled))).every(Boolean),
        30_000,
      );
      for (const [c, chatId] of chats.entries()) {
        expect(h.botApi.sentTo(chatId).length).toBeGreaterThan(0);
        const replies = h.botApi.sentTo(chatId);
        const targets = replies.map((r) => r.replyToMessageId as number);
        expect(targets).toEqual([...targets].sort((a, b) => a - b));
        expect(new Set(targets).size).toBe(targets.length);
        for (const reply of replies) {
          const m = (messageIds.get(chatId) as number[]).indexOf(reply.replyToMessageId as number);
          expect(reply.text).toContain(`сообщение ${m} из чата ${c}`);
        }
        expect((await chatState(h, chatId)).processedMessages).toBe(5);
      }
    },
  );

  it('waits out a 429 from Telegram for retry_after and drops nothing', async () => {
    const h = (harness = await startHarness());
    h.botApi.injectFault({ kind: '429', target: 'sendMessage', retryAfterS: 1, count: 1 });
    const started = Date.now();
    for (const chatId of [11, 12, 13])
      h.botApi.injectMessage({ chatId, from: user(chatId), text: `hello from ${chatId}` });
    await waitFor('three replies', () => h.botApi.sent.length === 3);
    expect(h.botApi.stats().faults['429']).toBe(1);
    expect(h.runtime.telegram.status().sender.floodWaits).toBe(1);
    expect(h.runtime.telegram.status().sender.failed).toBe(0);
    expect(new Set(h.botApi.sent.map((s) => s.chatId))).toEqual(new Set([11, 12, 13]));
    // The chat that was told to wait got its reply only after retry_after.
    expect(Math.max(...h.botApi.sent.map((s) => s.atMs)) - started).toBeGreaterThanOrEqual(1000);
  });

  it('retries Groq 429, 5xx and timeouts, then answers offline', async () => {
    const h = (harness = await startHarness({
      env: { GROQ_TIMEOUT_MS: '300', GROQ_FALLBACK_MODELS: 'llama-3.3-70b-versatile' },
      groq: { faultHoldMs: 5000 },
    }));
    // One 429 on the main model: the fallback model answers.
    h.groq.injectFault({ kind: '429', target: 'llama-3.1-8b-instant', retryAfterS: 30 });
    h.botApi.injectMessage({ chatId: 21, from: user(21), text: 'first question' });
    await waitFor('the fallback reply', () => h.botApi.sentTo(21).length === 1);
    expect(h.botApi.sentTo(21)[0]?.text).toContain('first question');
    expect(h.groq.stats().byModel['llama-3.3-70b-versatile']).toBe(1);

    // The fallback now fails with 5xx, then times out, on every try: offline.
    h.groq.injectFault({ kind: '5xx', target: 'llama-3.3-70b-versatile', count: 2 });
    h.groq.injectFault({ kind: 'timeout', target: 'llama-3.3-70b-versatile', count: 10 });
    h.botApi.injectMessage({ chatId: 22, from: user(22), text: 'second question' });
    await waitFor('the offline reply', () => h.botApi.sentTo(22).length === 1, 15_000);
    const stats = h.runtime.llm.stats();
    expect(h.botApi.sentTo(22)[0]?.text).not.toContain('second question');
    expect(stats.offlineReplies).toBe(1);
    expect(stats.retries).toBeGreaterThanOrEqual(2);
    expect(h.groq.stats().faults['5xx']).toBe(2);
    expect(h.groq.stats().faults.timeout).toBeGreaterThanOrEqual(1);
    expect(counter(h, 'lekha_chat_offline_replies_total')).toBe(1);
  });

  it('refuses a webhook call with a wrong secret and processes one with the right secret', async () => {
    const port = await freePort();
    const h = (harness = await startHarness({
      env: {
        TELEGRAM_MODE: 'webhook',
        WEBHOOK_URL: `http://127.0.0.1:${port}/telegram/hook`,
        WEBHOOK_SECRET: 'right-secret_123',
        HTTP_PORT: String(port),
      },
    }));
    const forged = {
      update_id: 999_999,
      message: {
        message_id: 1,
        date: 1,
        chat: { id: 31, type: 'private' },
        from: { id: 31, is_bot: false, first_name: 'Eve' },
        text: 'Лёха, forged',
      },
    };
    for (const secret of [undefined, 'wrong-secret']) {
      const response = await fetch(`http://127.0.0.1:${port}/telegram/hook`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(secret === undefined ? {} : { 'x-telegram-bot-api-secret-token': secret }),
        },
        body: JSON.stringify(forged),
      });
      expect(response.status).toBe(401);
    }
    // The emulator delivers a real update through the webhook with the right secret.
    h.botApi.injectMessage({ chatId: 32, from: user(32), text: 'hello over webhook' });
    await waitFor('the webhook reply', () => h.botApi.sentTo(32).length === 1);
    expect(h.botApi.sentTo(31)).toEqual([]);
    expect(h.runtime.supervisor.isLive(31)).toBe(false);
    expect(counter(h, 'lekha_telegram_webhook_unauthorized_total')).toBe(2);
    await waitFor('the emulator to see the update confirmed', () => h.botApi.pendingCount === 0);
  });

  it('counts and skips a malformed update without disturbing the chat', async () => {
    const h = (harness = await startHarness());
    h.botApi.injectMessage({ chatId: 41, from: user(41), text: 'before' });
    await waitFor('the reply to the first message', () => h.botApi.sentTo(41).length === 1);
    h.botApi.injectRawUpdate({ message: { message_id: 'x', chat: 'not a chat', text: 'broken' } });
    h.botApi.injectMessage({ chatId: 41, from: user(41), text: 'after' });
    await waitFor('the reply to the message after the malformed one', () =>
      h.botApi.sentTo(41).some((s) => s.text.includes('after')),
    );
    await waitFor('all updates confirmed', () => h.botApi.pendingCount === 0);
    expect(counter(h, 'lekha_telegram_updates_malformed_total')).toBe(1);
    expect((await chatState(h, 41)).processedMessages).toBe(2);
  });

  it('resumes polling after a restart without processing an update twice or losing one', async () => {
    const h = (harness = await startHarness());
    const before = [51, 52, 53, 54, 55].map(
      (chatId) => h.botApi.injectMessage({ chatId, from: user(chatId), text: `before ${chatId}` }).message,
    );
    await waitFor('replies before the restart', () => h.botApi.sent.length === 5);
    await h.runtime.stop();
    const after = [56, 57, 58].map(
      (chatId) => h.botApi.injectMessage({ chatId, from: user(chatId), text: `while down ${chatId}` }).message,
    );
    await h.restart();
    await waitFor('replies after the restart', () => h.botApi.sent.length === 8);
    await waitFor('all updates confirmed', () => h.botApi.pendingCount === 0);
    const answered = h.botApi.sent.map((s) => `${s.chatId}:${s.text}`);
    for (const message of [...before, ...after])
      expect(answered.filter((a) => a.startsWith(`${message.chat.id}:`))).toHaveLength(1);
    expect(counter(h, 'lekha_telegram_updates_received_total')).toBe(3);
  });

  it('reports privacy mode from getMe in its status and metrics, and keeps working', async () => {
    const h = (harness = await startHarness({ botApi: { bot: { canReadAllGroupMessages: false } } }));
    expect(h.runtime.telegram.status()).toMatchObject({ privacyMode: true, mode: 'polling', ingressRunning: true });
    expect((h.runtime.metrics.get('lekha_telegram_privacy_mode') as Gauge).value).toBe(1);
    h.botApi.injectMessage({ chatId: -71, from: user(71), text: '/help' });
    await waitFor('the reply', () => h.botApi.sentTo(-71).length === 1);
  });

  it('splits a reply longer than Telegram’s limit into ordered parts', async () => {
    const h = (harness = await startHarness({ env: { GROQ_MAX_TOKENS: '4000' } }));
    h.botApi.injectMessage({ chatId: 61, from: user(61), text: 'tell me everything #long' });
    await waitFor('all parts', () => h.botApi.sentTo(61).length >= 3);
    const parts = h.botApi.sentTo(61);
    expect(parts.every((p) => p.text.length <= 4096)).toBe(true);
    expect(parts[0]?.text).toContain('tell me everything');
    expect(parts.map((p) => p.messageId)).toEqual([...parts.map((p) => p.messageId)].sort((a, b) => a - b));
  });
});
