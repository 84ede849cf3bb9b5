import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { TelegramApiError, telegramApi } from '../../src/telegram/index.js';
import { freePort } from '../support/edge-harness.js';

const TOKEN = '5550001112:AAEfakeTokenForTelegramApiTests_9876';
const servers: Server[] = [];

afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

async function serve(handler: Parameters<typeof createServer>[1]): Promise<string> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function failureOf(call: Promise<unknown>): Promise<TelegramApiError> {
  const error = await call.then(
    () => expect.fail('the call should have failed'),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TelegramApiError);
  expect(inspect(error, { depth: 10 })).not.toContain(TOKEN.split(':')[1]);
  return error as TelegramApiError;
}

describe('telegramApi', () => {
  it('turns a request that gets no answer in time into TELEGRAM_API_UNREACHABLE without the URL', async () => {
    const apiRoot = await serve(() => undefined);
    const error = await failureOf(telegramApi(TOKEN, { apiRoot, timeoutSeconds: 1 }).getMe());
    expect(error).toMatchObject({
      code: 'TELEGRAM_API_UNREACHABLE',
      method: 'getMe',
      retryable: true,
      message: 'Telegram getMe failed: no answer within 1 s',
    });
  });

  it('turns a refused connection into TELEGRAM_API_UNREACHABLE naming the network error', async () => {
    const apiRoot = `http://127.0.0.1:${await freePort()}`;
    const error = await failureOf(telegramApi(TOKEN, { apiRoot }).sendMessage(1, 'hello'));
    expect(error).toMatchObject({
      code: 'TELEGRAM_API_UNREACHABLE',
      method: 'sendMessage',
      message: 'Telegram sendMessage failed: network error (ECONNREFUSED)',
    });
  });

  it('keeps Telegram’s code, description and retry_after, but never the payload or a token the answer echoes', async () => {
    const apiRoot = await serve((_request, response) => {
      response.writeHead(429, { 'content-type': 'application/json' });
      response.end(
        JSON.stringify({
          ok: false,
          error_code: 429,
          description: `Too Many Requests for bot${TOKEN}`,
          parameters: { retry_after: 7 },
        }),
      );
    });
    const error = await failureOf(telegramApi(TOKEN, { apiRoot }).sendMessage(1, 'my card is 4111 1111 1111 1111'));
    expect(error).toMatchObject({
      code: 'TELEGRAM_API_REFUSED',
      errorCode: 429,
      retryAfterS: 7,
      retryable: true,
      description: 'Too Many Requests for bot[redacted]',
    });
    expect(inspect(error, { depth: 10 })).not.toContain('4111');
  });

  it('calls a refusal other than 429 and 5xx not retryable', async () => {
    const apiRoot = await serve((_request, response) => {
      response.writeHead(403, { 'content-type': 'application/json' });
      response.end(
        JSON.stringify({ ok: false, error_code: 403, description: 'Forbidden: bot was blocked by the user' }),
      );
    });
    const error = await failureOf(telegramApi(TOKEN, { apiRoot }).sendMessage(1, 'hi'));
    expect(error).toMatchObject({
      errorCode: 403,
      retryable: false,
      message: 'Telegram sendMessage failed (403): Forbidden: bot was blocked by the user',
    });
  });
});
