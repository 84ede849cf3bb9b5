import { afterEach, describe, expect, it } from 'vitest';
import { BotApiEmulator } from '../../src/sandbox/index.js';

const emulators: BotApiEmulator[] = [];
afterEach(async () => {
  for (const e of emulators.splice(0)) await e.close();
});

async function start(): Promise<BotApiEmulator> {
  const emulator = await BotApiEmulator.start({ limits: false });
  emulators.push(emulator);
  return emulator;
}

interface Answer {
  status: number;
  body: { ok: boolean; error_code?: number; description?: string; result?: unknown };
}

async function post(emulator: BotApiEmulator, path: string, body: string): Promise<Answer> {
  const response = await fetch(`${emulator.apiRoot}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
  });
  return { status: response.status, body: (await response.json()) as Answer['body'] };
}

async function get(emulator: BotApiEmulator, path: string): Promise<Answer> {
  const response = await fetch(`${emulator.apiRoot}${path}`);
  return { status: response.status, body: (await response.json()) as Answer['body'] };
}

describe('Bot API emulator control routes', () => {
  it.each([
    ['a missing chat_id', { text: 'hi' }, /chat_id/],
    ['a chat_id that is not an integer', { chat_id: 1.5, text: 'hi' }, /chat_id/],
    ['a chat_id given as a string', { chat_id: '42', text: 'hi' }, /chat_id/],
    ['a missing text', { chat_id: 42 }, /text/],
    ['an empty text', { chat_id: 42, text: '' }, /text/],
    ['a text longer than Telegram allows', { chat_id: 42, text: 'x'.repeat(4097) }, /text/],
    ['a from_id that is not an integer', { chat_id: 42, text: 'hi', from_id: 'me' }, /from_id/],
    ['an unknown chat_type', { chat_id: -42, text: 'hi', chat_type: 'channel' }, /chat_type/],
  ])(
    'answers POST /_emulator/messages with %s 400, naming the field, and injects nothing',
    async (_case, body, field) => {
      const emulator = await start();
      const answer = await post(emulator, '/_emulator/messages', JSON.stringify(body));
      expect(answer.status).toBe(400);
      expect(answer.body).toMatchObject({ ok: false, error_code: 400 });
      expect(answer.body.description).toMatch(field);
      expect(emulator.pendingCount).toBe(0);
    },
  );

  it('answers a control call whose body is not JSON 400 with a description, not 500', async () => {
    const emulator = await start();
    for (const path of ['/_emulator/messages', '/_emulator/faults']) {
      const answer = await post(emulator, path, '{"chat_id": 42, "text": ');
      expect(answer.status).toBe(400);
      expect(answer.body).toMatchObject({ ok: false, error_code: 400 });
      expect(answer.body.description).toMatch(/body.*JSON/i);
    }
  });

  it('injects a well-formed message and lists what the bot sent into that chat', async () => {
    const emulator = await start();
    const answer = await post(
      emulator,
      '/_emulator/messages',
      JSON.stringify({
        chat_id: -42,
        text: 'привет',
        from_id: 7,
        first_name: 'Ann',
        chat_type: 'group',
        title: 'Дача',
      }),
    );
    expect(answer).toMatchObject({
      status: 200,
      body: { ok: true, result: { update_id: expect.any(Number), message_id: expect.any(Number) } },
    });
    expect(emulator.pendingCount).toBe(1);
    const send = await fetch(`${emulator.apiRoot}/bot${emulator.token}/sendMessage`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ chat_id: -42, text: 'ответ' }),
    });
    expect(send.status).toBe(200);
    expect((await get(emulator, '/_emulator/sent?chat_id=-42')).body.result).toMatchObject([
      { chatId: -42, text: 'ответ' },
    ]);
    expect((await get(emulator, '/_emulator/sent')).body.result).toMatchObject([{ chatId: -42, text: 'ответ' }]);
    expect((await get(emulator, '/_emulator/sent?chat_id=43')).body.result).toEqual([]);
  });

  it.each([['abc'], ['1.5'], ['']])('answers GET /_emulator/sent?chat_id=%s 400, naming chat_id', async (chatId) => {
    const emulator = await start();
    const answer = await get(emulator, `/_emulator/sent?chat_id=${chatId}`);
    expect(answer.status).toBe(400);
    expect(answer.body.description).toMatch(/chat_id/);
  });

  it.each([
    ['a missing kind', { count: 1 }, /kind/],
    ['an unknown kind', { kind: '418' }, /kind/],
    ['a count that is not a positive integer', { kind: '5xx', count: 0 }, /count/],
    ['a retry_after that is not an integer', { kind: '429', retry_after: 'soon' }, /retry_after/],
    ['a method that is not a string', { kind: '5xx', method: 3 }, /method/],
  ])(
    'answers POST /_emulator/faults with %s 400, naming the field, and injects no fault',
    async (_case, body, field) => {
      const emulator = await start();
      const answer = await post(emulator, '/_emulator/faults', JSON.stringify(body));
      expect(answer.status).toBe(400);
      expect(answer.body.description).toMatch(field);
      const getMe = await fetch(`${emulator.apiRoot}/bot${emulator.token}/getMe`);
      expect(getMe.status).toBe(200);
    },
  );

  it('injects a well-formed fault for the method named, and counts it in the stats', async () => {
    const emulator = await start();
    expect(
      (await post(emulator, '/_emulator/faults', JSON.stringify({ kind: '5xx', method: 'getMe', count: 1 }))).body,
    ).toEqual({ ok: true });
    expect((await fetch(`${emulator.apiRoot}/bot${emulator.token}/getMe`)).status).toBe(502);
    expect((await fetch(`${emulator.apiRoot}/bot${emulator.token}/getMe`)).status).toBe(200);
    expect((await get(emulator, '/_emulator/stats')).body).toMatchObject({
      ok: true,
      result: { faults: { '5xx': 1 } },
    });
  });
});
