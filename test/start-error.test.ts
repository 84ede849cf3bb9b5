import { GrammyError, HttpError as TelegramNetworkError } from 'grammy';
import { describe, expect, it } from 'vitest';
import { HttpListenError } from '../src/http/index.js';
import { InvalidOptionError, LekhaError } from '../src/runtime/index.js';
import { toStartError } from '../src/start-error.js';
import { DataDirInUseError } from '../src/storage/index.js';
import { TelegramApiError } from '../src/telegram/index.js';

const token = '123456:AAHsecretsecretsecretsecretsecret';
const config = {
  TELEGRAM_API_ROOT: 'https://api.telegram.org',
  TELEGRAM_BOT_TOKEN: token,
  WEBHOOK_URL: 'https://bot.example.org/telegram',
  WEBHOOK_SECRET: undefined,
  GROQ_API_KEY: 'gsk_groqsecretgroqsecret',
  ADMIN_TOKEN: undefined,
  ENCRYPTION_KEY: undefined,
};

/** What the Telegram edge throws when grammY's request to `method` fails with a socket error `code`. */
function unreachable(method: string, code: string): TelegramApiError {
  const fetchFailure = Object.assign(
    new Error(`request to https://api.telegram.org/bot${token}/${method} failed, reason: connect ${code} 1.2.3.4:443`),
    { code, errno: code, type: 'system' },
  );
  return TelegramApiError.from(
    method,
    new TelegramNetworkError(`Network request for '${method}' failed!`, fetchFailure),
    token,
  );
}

/** What the Telegram edge throws when Telegram refuses a call. */
function refused(method: string, errorCode: number, description: string): TelegramApiError {
  return TelegramApiError.from(
    method,
    new GrammyError(`Call to '${method}' failed!`, { ok: false, error_code: errorCode, description }, method, {}),
    token,
  );
}

describe('toStartError', () => {
  it.each([
    [
      'a refused token',
      refused('getMe', 401, 'Unauthorized'),
      'TELEGRAM_TOKEN_REFUSED',
      'TELEGRAM_BOT_TOKEN was refused by Telegram (401 Unauthorized): check the token from @BotFather',
    ],
    [
      'a refused connection',
      unreachable('getMe', 'ECONNREFUSED'),
      'TELEGRAM_UNREACHABLE',
      'cannot reach Telegram at TELEGRAM_API_ROOT=https://api.telegram.org: connect ECONNREFUSED',
    ],
    [
      'an unknown host',
      unreachable('getMe', 'ENOTFOUND'),
      'TELEGRAM_UNREACHABLE',
      'cannot reach Telegram at TELEGRAM_API_ROOT=https://api.telegram.org: getaddrinfo ENOTFOUND',
    ],
    [
      'a refused webhook',
      refused('setWebhook', 400, 'Bad Request: bad webhook: HTTPS url must be provided for webhook'),
      'TELEGRAM_WEBHOOK_REFUSED',
      'Telegram refused WEBHOOK_URL=https://bot.example.org/telegram (400 Bad Request: bad webhook: HTTPS url must be provided for webhook): use a public HTTPS URL that reaches this server',
    ],
    [
      'a port in use',
      new HttpListenError('127.0.0.1', 8080, 'EADDRINUSE', new Error('listen EADDRINUSE')),
      'HTTP_PORT_IN_USE',
      'HTTP_PORT 8080 is already in use on 127.0.0.1: set HTTP_PORT to a free port',
    ],
    [
      'a privileged port',
      new HttpListenError('0.0.0.0', 80, 'EACCES', new Error('listen EACCES')),
      'HTTP_LISTEN_FAILED',
      'cannot listen on HTTP_HOST=0.0.0.0 HTTP_PORT=80 (EACCES): ports below 1024 need privileges: set HTTP_PORT to 1024 or above',
    ],
    [
      'a data directory in use',
      new DataDirInUseError('/srv/lekha', 4242),
      'DATA_DIR_IN_USE',
      'data directory /srv/lekha is in use by PID 4242: stop that process, or set DATA_DIR to another directory',
    ],
    [
      'a call with no answer in time',
      new TelegramApiError('getMe', { description: 'no answer within 45 s' }),
      'TELEGRAM_UNREACHABLE',
      'cannot reach Telegram at TELEGRAM_API_ROOT=https://api.telegram.org: no answer within 45 s',
    ],
    [
      'any other coded error',
      new LekhaError('MEMORY_MODEL_MISSING', 'no model in /models'),
      'MEMORY_MODEL_MISSING',
      'MEMORY_MODEL_MISSING: no model in /models',
    ],
    [
      'an option a component cannot work with',
      new InvalidOptionError('maxConnections', 'maxConnections must be a positive integer, got 0'),
      'INVALID_OPTION',
      'INVALID_OPTION: maxConnections must be a positive integer, got 0',
    ],
  ])('names the cause and the variable to change for %s', (_case, error, code, message) => {
    const started = toStartError(error, config, false);
    expect(started).toMatchObject({ code, message });
    expect(started.cause).toBe(error);
  });

  it('never quotes a secret, whatever the failure says', () => {
    const leaky = new Error(`GET https://api.telegram.org/bot${token}/getMe with key ${config.GROQ_API_KEY} failed`);
    const started = toStartError(leaky, config, false);
    expect(started.code).toBe('START_FAILED');
    expect(started.message).not.toContain(token.split(':')[1]);
    expect(started.message).not.toContain(config.GROQ_API_KEY);
  });

  it('speaks of the sandbox emulator, not TELEGRAM_API_ROOT, in sandbox mode', () => {
    const started = toStartError(unreachable('getMe', 'ECONNRESET'), config, true);
    expect(started.message).toBe("cannot reach Telegram at the sandbox's Bot API emulator: read ECONNRESET");
  });
});
