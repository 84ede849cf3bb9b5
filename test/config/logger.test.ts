import { describe, expect, it } from 'vitest';
import { createLogger, credentialsInEnv } from '../../src/config/index.js';
import { RecentErrorLog } from '../../src/http/index.js';

describe('createLogger with a tap', () => {
  it('copies warnings and errors to the tap even when LOG_LEVEL hides them from the output', () => {
    const tap = new RecentErrorLog();
    const logger = createLogger({ LOG_LEVEL: 'silent' }, { pretty: false, tap });
    logger.info('not copied');
    logger.warn({ chatId: -1 }, 'slow chat');
    logger.error({ err: new Error('disk full'), ADMIN_TOKEN: 'should-not-leak-0000' }, 'persist failed');
    const events = tap.recent(10);
    expect(events.map((e) => [e.level, e.message])).toEqual([
      ['error', 'persist failed'],
      ['warn', 'slow chat'],
    ]);
    expect(events[0]?.detail).toContain('disk full');
    expect(JSON.stringify(events)).not.toContain('should-not-leak');
  });
});

const secrets = {
  TELEGRAM_BOT_TOKEN: '123456789:AAHconfiguredTokenValue_abcdefghijk',
  GROQ_API_KEY: 'gsk_configuredGroqKeyValue0123456789',
  ADMIN_TOKEN: 'configured-admin-token-0123',
  WEBHOOK_SECRET: 'configured_webhook_secret',
  ENCRYPTION_KEY: 'Q29uZmlndXJlZEVuY3J5cHRpb25LZXlWYWx1ZTAxMjM=',
  ENCRYPTION_KEYS: '2:Um90YXRlZEVuY3J5cHRpb25LZXlWYWx1ZTAwMDAxMjM=',
  DATABASE_URL: 'postgres://lekha:pg%40Secret%2Fpass@db.internal:5432/lekha',
  REDIS_URL: 'redis://:redisSecretPassword9@cache.internal:6379',
};
const needles = [
  ...Object.entries(secrets)
    .filter(([k]) => !k.endsWith('_URL'))
    .map(([, v]) => v),
  'pg@Secret/pass',
  'pg%40Secret%2Fpass',
  'redisSecretPassword9',
  'Um90YXRlZEVuY3J5cHRpb25LZXlWYWx1ZTAwMDAxMjM=',
];

function capture(settings: Parameters<typeof createLogger>[0]): {
  lines: string[];
  tap: RecentErrorLog;
  logger: ReturnType<typeof createLogger>;
} {
  const lines: string[] = [];
  const tap = new RecentErrorLog();
  return {
    lines,
    tap,
    logger: createLogger(settings, { destination: { write: (line: string) => void lines.push(line) }, tap }),
  };
}

describe('createLogger scrubbing secrets', () => {
  it('writes no configured secret value, wherever it hides: message, nested error, cause, stack, any field', () => {
    const { lines, tap, logger } = capture({ LOG_LEVEL: 'trace', ...secrets });
    const network = Object.assign(
      new Error(
        `request to https://api.telegram.org/bot${secrets.TELEGRAM_BOT_TOKEN}/getUpdates failed, reason: socket hang up`,
      ),
      { code: 'ECONNRESET' },
    );
    const wrapped = Object.assign(new Error("Network request for 'getUpdates' failed!"), { error: network });
    logger.warn({ err: wrapped }, 'getUpdates failed');
    logger.error(
      {
        err: new Error('flush failed', {
          cause: new Error(`connect ${secrets.DATABASE_URL} and password pg@Secret/pass refused`),
        }),
      },
      'persist failed',
    );
    logger.info(
      { headers: { 'x-api-key': secrets.GROQ_API_KEY }, note: `admin ${secrets.ADMIN_TOKEN}` },
      `keys ${secrets.ENCRYPTION_KEY} ${secrets.WEBHOOK_SECRET} Um90YXRlZEVuY3J5cHRpb25LZXlWYWx1ZTAwMDAxMjM=`,
    );
    logger.debug({ url: secrets.REDIS_URL }, 'redis');
    expect(lines).toHaveLength(4);
    const written = lines.join('\n') + JSON.stringify(tap.recent(10));
    for (const needle of needles) expect(written).not.toContain(needle);
    expect(written).toContain('/bot[redacted]/getUpdates');
    // Still one JSON object per line, with the rest of the text intact.
    for (const line of lines) expect(() => JSON.parse(line) as unknown).not.toThrow();
    expect(written).toContain('socket hang up');
  });

  it('scrubs anything shaped like a bot token even when it is not the configured one', () => {
    const { lines, logger } = capture({ LOG_LEVEL: 'info' });
    logger.warn(
      {
        err: new Error(
          'request to http://127.0.0.1:8081/bot987654321:AAFsomeOtherBotsTokenValue_0123456789/sendMessage failed',
        ),
      },
      'send failed',
    );
    expect(lines.join('')).not.toContain('AAFsomeOtherBotsTokenValue');
    expect(lines.join('')).toContain('/bot[redacted]/sendMessage');
  });

  it("scrubs plugins' keys from the environment: every variable named like a credential", () => {
    const env = {
      TMDB_API_KEY: 'tmdb-key-0123456789abcdef',
      PLUGIN_NEWS_TOKEN: 'news-token-abcdefgh',
      COINGECKO_API_KEY: '',
      WEATHER_BASE_URL: 'https://api.open-meteo.com/v1',
    };
    expect(credentialsInEnv(env)).toEqual(['tmdb-key-0123456789abcdef', 'news-token-abcdefgh']);
    const lines: string[] = [];
    const logger = createLogger(
      { LOG_LEVEL: 'info' },
      { destination: { write: (line: string) => void lines.push(line) }, secrets: credentialsInEnv(env) },
    );
    logger.warn(
      { err: new Error(`GET /3/search/movie?api_key=${env.TMDB_API_KEY} failed`) },
      `token ${encodeURIComponent(env.PLUGIN_NEWS_TOKEN)}; from ${env.WEATHER_BASE_URL}`,
    );
    const written = lines.join('');
    expect(written).not.toContain(env.TMDB_API_KEY);
    expect(written).not.toContain(env.PLUGIN_NEWS_TOKEN);
    expect(written).toContain('api_key=[redacted]');
    expect(written).toContain(env.WEATHER_BASE_URL);
  });

  it('leaves values too short to tell apart from ordinary words alone, so lines stay readable', () => {
    const { lines, logger } = capture({ LOG_LEVEL: 'info', WEBHOOK_SECRET: 'level' });
    logger.info({ chatId: 1 }, 'the level is fine');
    expect(JSON.parse(lines[0] as string)).toMatchObject({ level: 30, msg: 'the level is fine' });
  });
});

describe('createLogger and user content in errors', () => {
  const pgliteError = (): Error =>
    Object.assign(new Error('duplicate key value violates unique constraint "users_pkey"'), {
      code: '23505',
      detail: 'Key (username)=(zinaida_bespalova) already exists.',
      params: [42, 'Зинаида Беспалова', 'zinaida_bespalova'],
      query: 'insert into users (id, name, username) values ($1, $2, $3)',
    });

  it('hides the payload, query parameters and row detail an error carries, in nested errors too', () => {
    const { lines, logger } = capture({ LOG_LEVEL: 'info' });
    logger.error({ err: pgliteError() }, 'archive write failed');
    logger.error(
      {
        err: Object.assign(new Error('wrapper'), {
          inner: pgliteError(),
          payload: { chat_id: 1, text: 'call me at +7 912 345-67-89' },
        }),
      },
      'send failed',
    );
    const written = lines.join('\n');
    for (const content of ['Беспалова', 'zinaida_bespalova', '+7 912']) expect(written).not.toContain(content);
    expect(written).toContain('23505');
    expect(written).toContain('users_pkey');
  });

  it('keeps them with LOG_UNSAFE_CONTENT', () => {
    const { lines, logger } = capture({ LOG_LEVEL: 'info', LOG_UNSAFE_CONTENT: true });
    logger.error({ err: pgliteError() }, 'archive write failed');
    expect(lines.join('\n')).toContain('zinaida_bespalova');
  });
});

describe('createLogger and HTTP request lines', () => {
  it('keeps the query parameter names of a request line but not their values', () => {
    const { lines, logger } = capture({ LOG_LEVEL: 'info' });
    logger.info(
      { req: { method: 'GET', url: '/api/chats/-1/messages?q=%2B7%20912%20345-67-89&limit=20', ip: '127.0.0.1' } },
      'incoming request',
    );
    expect(JSON.parse(lines[0] as string)).toMatchObject({
      req: { method: 'GET', url: '/api/chats/-1/messages?q=…&limit=…', remoteAddress: '127.0.0.1' },
    });
  });
});
