import { Api, GrammyError } from 'grammy';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/runtime/index.js';
import { BotApiEmulator, type BotApiEmulatorOptions } from '../../src/sandbox/index.js';
import { waitFor } from '../support/edge-harness.js';

const emulators: BotApiEmulator[] = [];
afterEach(async () => {
  for (const e of emulators.splice(0)) await e.close();
});

async function start(options: BotApiEmulatorOptions = {}) {
  const emulator = await BotApiEmulator.start(options);
  emulators.push(emulator);
  return { emulator, api: new Api(emulator.token, { apiRoot: emulator.apiRoot }) };
}

async function apiError(promise: Promise<unknown>): Promise<GrammyError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(GrammyError);
  return error as GrammyError;
}

describe('Bot API emulator, driven by grammY', () => {
  it('answers getMe with the bot’s identity and privacy setting', async () => {
    const { api } = await start({ bot: { username: 'emu_bot', canReadAllGroupMessages: false } });
    const me = await api.getMe();
    expect(me).toMatchObject({ is_bot: true, username: 'emu_bot', can_read_all_group_messages: false });
  });

  it('answers a wrong token with 401 and an unknown method with 404, as Telegram does', async () => {
    const { emulator } = await start();
    const wrong = new Api('123:wrong-token-wrong-token-wrong', { apiRoot: emulator.apiRoot });
    expect((await apiError(wrong.getMe())).error_code).toBe(401);
    const response = await fetch(`${emulator.apiRoot}/bot${emulator.token}/noSuchMethod`, { method: 'POST' });
    expect(await response.json()).toEqual({ ok: false, error_code: 404, description: 'Not Found' });
  });

  it('keeps updates until an offset confirms them, and long-polls for new ones', async () => {
    const { emulator, api } = await start();
    const a = emulator.injectMessage({ chatId: 1, from: { id: 1, firstName: 'A' }, text: 'one' });
    emulator.injectMessage({ chatId: 1, from: { id: 1, firstName: 'A' }, text: 'two' });
    expect((await api.getUpdates()).map((u) => u.message?.text)).toEqual(['one', 'two']);
    expect((await api.getUpdates()).map((u) => u.message?.text)).toEqual(['one', 'two']);
    expect((await api.getUpdates({ offset: a.updateId + 1 })).map((u) => u.message?.text)).toEqual(['two']);
    const waiting = api.getUpdates({ offset: a.updateId + 2, timeout: 5 });
    setTimeout(() => emulator.injectMessage({ chatId: 2, from: { id: 2, firstName: 'B' }, text: 'three' }), 50);
    expect((await waiting).map((u) => u.message?.text)).toEqual(['three']);
    expect(emulator.pendingCount).toBe(1);
  });

  it('ends an older long poll with 409 when a newer one comes, and refuses getUpdates while a webhook is set', async () => {
    const { emulator, api } = await start();
    const older = api.getUpdates({ timeout: 5 });
    // The newer poll must reach the emulator after the older one, which a fixed pause does not promise on a busy machine.
    await waitFor('the older poll to be waiting', () => emulator.stats().getUpdatesCalls === 1);
    void api.getUpdates({ timeout: 0 });
    expect((await apiError(older)).error_code).toBe(409);
    await api.setWebhook('http://127.0.0.1:1/hook', { secret_token: 'abc' });
    expect((await apiError(api.getUpdates())).description).toMatch(/webhook is active/);
    await api.deleteWebhook();
    expect(await api.getUpdates()).toEqual([]);
  });

  it('records sent messages with their reply target and answers with a real Message', async () => {
    const { emulator, api } = await start();
    const { message } = emulator.injectMessage({
      chatId: -50,
      chatType: 'group',
      title: 'Дача',
      from: { id: 3, firstName: 'C' },
      text: 'q',
    });
    const sent = await api.sendMessage(-50, 'a', { reply_parameters: { message_id: message.message_id } });
    expect(sent).toMatchObject({
      chat: { id: -50, type: 'group', title: 'Дача' },
      text: 'a',
      reply_to_message: { message_id: message.message_id },
    });
    expect(emulator.sentTo(-50)).toMatchObject([{ text: 'a', replyToMessageId: message.message_id }]);
  });

  it('rejects bad sends with Telegram’s descriptions', async () => {
    const { emulator, api } = await start({ limits: false });
    emulator.injectMessage({ chatId: 4, from: { id: 4, firstName: 'D' }, text: 'x' });
    expect((await apiError(api.sendMessage(404, 'x'))).description).toBe('Bad Request: chat not found');
    expect((await apiError(api.sendMessage(4, 'x'.repeat(4097)))).description).toBe('Bad Request: message is too long');
    expect((await apiError(api.sendMessage(4, ' '))).description).toBe('Bad Request: message text is empty');
    expect((await apiError(api.sendChatAction(4, 'dancing' as 'typing'))).error_code).toBe(400);
  });

  it('enforces the flood limit of a private chat with 429 and retry_after', async () => {
    const { emulator, api } = await start();
    emulator.injectMessage({ chatId: 5, from: { id: 5, firstName: 'E' }, text: 'x' });
    await api.sendMessage(5, 'first');
    const error = await apiError(api.sendMessage(5, 'second'));
    expect(error.error_code).toBe(429);
    expect(error.parameters.retry_after).toBe(1);
    expect(emulator.stats().floodRejections).toBe(1);
  });

  it('injects scripted faults before a call has any effect', async () => {
    const { emulator, api } = await start({ limits: false });
    emulator.injectMessage({ chatId: 6, from: { id: 6, firstName: 'F' }, text: 'x' });
    emulator.injectFault({ kind: '5xx', target: 'sendMessage' });
    emulator.injectFault({ kind: 'reset', target: 'sendMessage' });
    expect((await apiError(api.sendMessage(6, 'a'))).error_code).toBe(502);
    await expect(api.sendMessage(6, 'a')).rejects.toThrow();
    await api.sendMessage(6, 'a');
    expect(emulator.sentTo(6)).toHaveLength(1);
    expect(emulator.stats().faults).toMatchObject({ '5xx': 1, reset: 1 });
  });

  it('knows chat members and administrators', async () => {
    const { emulator, api } = await start();
    emulator.injectMessage({ chatId: -7, from: { id: 70, firstName: 'Owner' }, text: 'x' });
    emulator.injectMessage({ chatId: -7, from: { id: 71, firstName: 'Member' }, text: 'y' });
    expect((await api.getChatMember(-7, 70)).status).toBe('creator');
    expect((await api.getChatMember(-7, 71)).status).toBe('member');
    expect((await api.getChatMember(-7, emulator.botUser.id)).status).toBe('administrator');
    expect((await api.getChatAdministrators(-7)).map((m) => m.user.id)).toEqual([70, emulator.botUser.id]);
  });

  it('delivers joins and restricts members when the bot may, recording it and refusing as Telegram does', async () => {
    const { emulator, api } = await start();
    emulator.injectMessage({ chatId: -8, from: { id: 80, firstName: 'Owner' }, text: 'x' });
    emulator.injectJoin({ chatId: -8, user: { id: 81, firstName: 'New' } });
    const updates = await api.getUpdates({ offset: 0, timeout: 0 });
    expect(updates[1]?.message?.new_chat_members?.map((u) => u.id)).toEqual([81]);
    expect(updates[1]?.message?.from?.id).toBe(81);

    const self = await api.getChatMember(-8, emulator.botUser.id);
    expect(self).toMatchObject({ status: 'administrator', can_restrict_members: true });
    const untilDate = Math.floor(Date.now() / 1000) + 3600;
    expect(await api.restrictChatMember(-8, 81, { can_send_messages: false }, { until_date: untilDate })).toBe(true);
    expect(emulator.restrictions).toEqual([
      { chatId: -8, userId: 81, canSendMessages: false, untilDate, atMs: expect.any(Number) },
    ]);
    expect(await api.getChatMember(-8, 81)).toMatchObject({ status: 'restricted', can_send_messages: false });

    const refused = async (call: Promise<unknown>): Promise<string> => (await apiError(call)).description;
    expect(await refused(api.restrictChatMember(-8, 80, { can_send_messages: false }))).toBe(
      "Bad Request: can't remove chat owner",
    );
    expect(
      await refused(
        api.raw.restrictChatMember({ chat_id: -8, user_id: 81 } as Parameters<Api['raw']['restrictChatMember']>[0]),
      ),
    ).toBe("Bad Request: can't parse permissions JSON object");
    emulator.injectMessage({ chatId: 9, from: { id: 9, firstName: 'Solo' }, text: 'hi' });
    expect(await refused(api.restrictChatMember(9, 9, { can_send_messages: false }))).toMatch(/supergroups/);

    emulator.setBotRights(-8, 'admin_without_restrict');
    expect(await api.getChatMember(-8, emulator.botUser.id)).toMatchObject({ can_restrict_members: false });
    expect(await refused(api.restrictChatMember(-8, 81, { can_send_messages: false }))).toBe(
      'Bad Request: not enough rights to restrict/unrestrict chat member',
    );
    emulator.setBotRights(-8, 'member');
    expect((await api.getChatMember(-8, emulator.botUser.id)).status).toBe('member');
    expect(emulator.restrictions).toHaveLength(1);
  });

  it('delivers updates to a webhook with the secret and keeps them until answered 2xx', async () => {
    const { emulator, api } = await start();
    const Fastify = (await import('fastify')).default;
    const app = Fastify();
    const received: Array<{ secret: unknown; text: unknown }> = [];
    let failFirst = true;
    app.post('/hook', async (request, reply) => {
      if (failFirst) {
        failFirst = false;
        return reply.code(500).send();
      }
      received.push({
        secret: request.headers['x-telegram-bot-api-secret-token'],
        text: (request.body as { message: { text: string } }).message.text,
      });
      return {};
    });
    const url = await app.listen({ port: 0, host: '127.0.0.1' });
    try {
      await api.setWebhook(`${url}/hook`, { secret_token: 's3cret' });
      emulator.injectMessage({ chatId: 8, from: { id: 8, firstName: 'G' }, text: 'via webhook' });
      // The update is confirmed only once the emulator has read the 2xx answer, a moment after the hook saw it.
      await waitFor(
        'the webhook to be answered 2xx and the update confirmed',
        () => received.length > 0 && emulator.pendingCount === 0,
      );
      expect(received).toEqual([{ secret: 's3cret', text: 'via webhook' }]);
    } finally {
      await app.close();
    }
  });

  it('takes message dates, flood limits and long-poll timeouts from the injected clock', async () => {
    const clock = new ManualClock(1_800_000_000_000);
    const { emulator, api } = await start({ clock });
    const { message, updateId } = emulator.injectMessage({ chatId: 9, from: { id: 9, firstName: 'H' }, text: 'x' });
    expect(message.date).toBe(1_800_000_000);
    await api.sendMessage(9, 'first');
    expect((await apiError(api.sendMessage(9, 'second'))).error_code).toBe(429);
    await clock.advance(1000);
    await api.sendMessage(9, 'third');
    expect(emulator.sentTo(9).map((s) => [s.text, s.atMs])).toEqual([
      ['first', 1_800_000_000_000],
      ['third', 1_800_000_001_000],
    ]);
    let answered: unknown[] | null = null;
    const polling = api.getUpdates({ offset: updateId + 1, timeout: 30 }).then((updates) => (answered = updates));
    await waitFor('the long poll to be waiting on the clock', () => clock.pendingTimers === 1);
    await clock.advance(29_000);
    expect(answered).toBeNull();
    await clock.advance(1000);
    await polling;
    expect(answered).toEqual([]);
  });

  it('retries a failed webhook delivery after a pause on the injected clock', async () => {
    const clock = new ManualClock();
    const { emulator, api } = await start({ clock });
    const Fastify = (await import('fastify')).default;
    const app = Fastify();
    let calls = 0;
    app.post('/hook', async (_request, reply) => (++calls === 1 ? reply.code(503).send() : {}));
    const url = await app.listen({ port: 0, host: '127.0.0.1' });
    try {
      await api.setWebhook(`${url}/hook`);
      emulator.injectMessage({ chatId: 10, from: { id: 10, firstName: 'I' }, text: 'via webhook' });
      await waitFor('the failed delivery to schedule its retry', () => clock.pendingTimers === 1);
      expect(calls).toBe(1);
      expect(emulator.pendingCount).toBe(1);
      await clock.advance(499);
      expect(emulator.stats().webhookDeliveries).toBe(1);
      await clock.advance(1);
      await waitFor('the retried update to be confirmed', () => emulator.pendingCount === 0);
      expect(calls).toBe(2);
      expect(emulator.stats().webhookDeliveries).toBe(2);
    } finally {
      await app.close();
    }
  });

  it('answers webhook, reaction and member calls in Telegram’s shapes and refuses bad parameters', async () => {
    const { emulator, api } = await start();
    const { message } = emulator.injectMessage({ chatId: 11, from: { id: 11, firstName: 'J' }, text: 'x' });
    emulator.injectMessage({ chatId: 11, from: { id: 11, firstName: 'J' }, text: 'y' });
    expect(await api.getWebhookInfo()).toEqual({ url: '', has_custom_certificate: false, pending_update_count: 2 });
    expect((await apiError(api.setWebhook('ftp://example.org/hook'))).description).toMatch(/HTTPS URL/);
    expect(
      (await apiError(api.setWebhook('http://127.0.0.1:1/hook', { secret_token: 'no spaces' }))).description,
    ).toMatch(/secret token/);
    await api.setWebhook('http://127.0.0.1:1/hook', {
      max_connections: 3,
      allowed_updates: ['message'],
      drop_pending_updates: true,
    });
    expect(await api.getWebhookInfo()).toMatchObject({
      url: 'http://127.0.0.1:1/hook',
      pending_update_count: 0,
      max_connections: 3,
      allowed_updates: ['message'],
    });
    await api.deleteWebhook();
    expect((await api.getWebhookInfo()).url).toBe('');
    expect(await api.setMessageReaction(11, message.message_id, [{ type: 'emoji', emoji: '👍' }])).toBe(true);
    expect((await apiError(api.setMessageReaction(11, 999_999_999_999, []))).description).toBe(
      'Bad Request: message to react not found',
    );
    expect(await api.sendChatAction(11, 'typing')).toBe(true);
    expect((await api.getChatMember(11, 12)).status).toBe('left');
    expect((await apiError(api.getChatAdministrators(11))).description).toMatch(/private chat/);
    expect((await apiError(api.getUpdates({ offset: 'soon' as unknown as number }))).description).toBe(
      'Bad Request: wrong parameter offset in request',
    );
    expect(emulator.stats()).toMatchObject({ reactions: 1, chatActions: 1 });
  });
});
