import Fastify from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { type Counter, MailboxFullError, ManualClock, MetricsRegistry } from '../../src/runtime/index.js';
import { MemoryDeadLetterStore } from '../../src/storage/index.js';
import {
  immediateDurability,
  OffsetTracker,
  registerTelegramWebhook,
  type TelegramUpdate,
  UpdateRouter,
} from '../../src/telegram/index.js';

const apps: Array<{ close(): Promise<unknown> }> = [];
afterEach(async () => {
  for (const app of apps.splice(0)) await app.close();
});

async function setup(deliver: (chatId: number, updateId: number, update: TelegramUpdate) => void) {
  const metrics = new MetricsRegistry();
  const tracker = new OffsetTracker();
  const router = new UpdateRouter({
    tracker,
    durability: immediateDurability,
    deliver,
    deadLetters: new MemoryDeadLetterStore(),
    clock: new ManualClock(),
    metrics,
  });
  const app = Fastify();
  apps.push(app);
  await registerTelegramWebhook(app, {
    path: '/hook',
    secret: 'the-secret',
    router,
    tracker,
    metrics,
    answerTimeoutMs: 200,
  });
  return { app, router, metrics };
}

const update = {
  update_id: 7,
  message: {
    message_id: 1,
    date: 1,
    chat: { id: 3, type: 'private' },
    from: { id: 3, is_bot: false, first_name: 'A' },
    text: 'hi',
  },
};

describe('webhook route', () => {
  it('answers 401 to a missing or wrong secret and hands nothing over', async () => {
    const delivered: number[] = [];
    const { app, metrics } = await setup((_c, id) => delivered.push(id));
    for (const headers of [
      {},
      { 'x-telegram-bot-api-secret-token': 'the-secreT' },
      { 'x-telegram-bot-api-secret-token': 'the-secret-longer' },
    ]) {
      const response = await app.inject({ method: 'POST', url: '/hook', headers, payload: update });
      expect(response.statusCode).toBe(401);
    }
    expect(delivered).toEqual([]);
    expect((metrics.get('lekha_telegram_webhook_unauthorized_total') as Counter).value).toBe(3);
  });

  it('answers 200 once the update’s turn has run', async () => {
    let router: UpdateRouter | null = null;
    const { app, router: r } = await setup((chatId, updateId) =>
      queueMicrotask(() => router?.processed(chatId, updateId)),
    );
    router = r;
    const response = await app.inject({
      method: 'POST',
      url: '/hook',
      headers: { 'x-telegram-bot-api-secret-token': 'the-secret' },
      payload: update,
    });
    expect(response.statusCode).toBe(200);
  });

  it('answers 503 when the update is not finished in time, so Telegram delivers it again', async () => {
    const { app } = await setup(() => undefined);
    const response = await app.inject({
      method: 'POST',
      url: '/hook',
      headers: { 'x-telegram-bot-api-secret-token': 'the-secret' },
      payload: update,
    });
    expect(response.statusCode).toBe(503);
  });

  it('answers 503 when the chat’s mailbox is full (backpressure)', async () => {
    const { app } = await setup((chatId) => {
      throw new MailboxFullError(chatId, 1);
    });
    const response = await app.inject({
      method: 'POST',
      url: '/hook',
      headers: { 'x-telegram-bot-api-secret-token': 'the-secret' },
      payload: update,
    });
    expect(response.statusCode).toBe(503);
    expect(response.headers['retry-after']).toBe('1');
  });

  it('answers 200 to a malformed update so Telegram stops sending it, and counts it', async () => {
    const { app, metrics } = await setup(() => undefined);
    const response = await app.inject({
      method: 'POST',
      url: '/hook',
      headers: { 'x-telegram-bot-api-secret-token': 'the-secret' },
      payload: { update_id: 8, message: { chat: 5 } },
    });
    expect(response.statusCode).toBe(200);
    expect((metrics.get('lekha_telegram_updates_malformed_total') as Counter).value).toBe(1);
  });
});
