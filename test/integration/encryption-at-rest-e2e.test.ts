import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger, loadConfig } from '../../src/config/index.js';
import { startRuntime } from '../../src/main.js';
import { StartError } from '../../src/start-error.js';
import { BotApiEmulator, GroqEmulator } from '../../src/sandbox/index.js';
import { emulatorEnv, RELAXED_LIMITS, waitFor } from '../support/edge-harness.js';
import { createTestRedis, createTestSchema, type TestRedis } from '../support/test-services.js';

const ADMIN_TOKEN = 'admin-token-for-encryption-e2e-01';
const GROUP = -910_200;
const PERSON = { id: 7_301, firstName: 'Евлампия', username: 'evlampia_zvezdo' };
const TITLE = 'Клуб квокковедов Перепелкиных';
const TEXT = 'Лёха, вчера xylophonist кормил квокку мандаринами';
/** The plaintext that must not be found in any row or Redis value: the message's words, the names, the title. */
const NEEDLES = ['xylophonist', 'мандарин', 'квокк', 'Евлампия', 'evlampia_zvezdo', 'Перепелкин'];

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Every row of every table of the schema as text (bytea as hex). */
async function postgresDump(url: string): Promise<string> {
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  try {
    const tables = await db.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()`,
    );
    const parts: string[] = [];
    for (const { table_name } of tables.rows) {
      const rows = await db.query<{ t: string }>(`SELECT t::text AS t FROM ${table_name} t`);
      parts.push(`${table_name}: ${rows.rows.length} rows`, ...rows.rows.map((r) => r.t));
    }
    return parts.join('\n');
  } finally {
    await db.end();
  }
}

/** Every Redis value under the test's prefix, raw. */
async function redisDump(redis: TestRedis): Promise<{ keys: number; text: string }> {
  const keys = await redis.client.keys(`${redis.prefix}*`);
  const parts: string[] = [];
  for (const key of keys) {
    const value = await redis.client.getBuffer(key).catch(() => null); // not every key is a string
    if (value !== null) parts.push(key, value.toString('utf8'), value.toString('hex'));
  }
  return { keys: keys.length, text: parts.join('\n') };
}

function withoutKey(env: Record<string, string>): Record<string, string> {
  const { ENCRYPTION_KEY: _key, ...rest } = env;
  return rest;
}

function found(dump: string, needles: readonly string[]): string[] {
  const lower = dump.toLowerCase();
  return needles.filter(
    (n) =>
      lower.includes(n.toLowerCase()) ||
      lower.includes(Buffer.from(n.toLowerCase(), 'utf8').toString('hex')) ||
      lower.includes(Buffer.from(n, 'utf8').toString('hex')),
  );
}

describe('encryption at rest through the running bot', () => {
  it('stores no plaintext of a message, its author or its chat in any Postgres row or Redis value', async () => {
    const botApi = await BotApiEmulator.start({ limits: false });
    cleanups.push(() => botApi.close());
    const groq = await GroqEmulator.start({ latency: 5 });
    cleanups.push(() => groq.close());
    const schema = await createTestSchema('encryption_e2e');
    cleanups.push(() => schema.drop());
    const redis = await createTestRedis('encryption_e2e');
    cleanups.push(() => redis.close());
    const dataDir = await mkdtemp(path.join(tmpdir(), 'lekha-encryption-e2e-'));
    cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
    const env = {
      ...emulatorEnv(botApi, groq),
      DATABASE_URL: schema.url,
      REDIS_URL: redis.url,
      REDIS_KEY_PREFIX: redis.prefix,
      DATA_DIR: dataDir,
      ADMIN_TOKEN,
      ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      LOG_LEVEL: 'silent',
      HTTP_PORT: '0',
    };
    const config = loadConfig(env);
    const runtime = await startRuntime(config, createLogger(config), {
      random: () => 0.999,
      telegramLimits: RELAXED_LIMITS,
      polling: { timeoutS: 1, retryMinMs: 50 },
    });
    let stopped = false;
    cleanups.push(async () => {
      if (!stopped) await runtime.stop();
    });
    const api = async <T>(url: string): Promise<T> => {
      const response = await fetch(`${(runtime.http as { url: string }).url}${url}`, {
        headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
      });
      expect(response.status, url).toBe(200);
      return (await response.json()) as T;
    };

    const from = { ...PERSON };
    botApi.injectMessage({ chatId: GROUP, chatType: 'supergroup', title: TITLE, from, text: TEXT });
    botApi.injectMessage({
      chatId: GROUP,
      chatType: 'supergroup',
      title: TITLE,
      from,
      text: '/remind через 2 часа покормить квокку мандаринами, xylophonist',
    });
    await waitFor('the replies', () => botApi.sentTo(GROUP).length >= 2 && botApi.pendingCount === 0, 20_000);

    // The admin API opens what is sealed, and finds the message by its words through the blind index.
    await waitFor(
      'the archive to find the message by a word form',
      async () =>
        (
          await api<{ items: Array<{ text: string }> }>(
            `/api/chats/${GROUP}/messages?q=${encodeURIComponent('квокки')}`,
          )
        ).items.some((m) => m.text === TEXT),
      20_000,
    );
    // The chat's report comes from its sealed snapshot when the actor is not live.
    expect((await api<{ chat: { title: string } }>(`/api/chats/${GROUP}`)).chat.title).toBe(TITLE);
    const users = await api<{ items: Array<{ displayName: string; username: string | null }> }>(
      `/api/chats/${GROUP}/users?query=${encodeURIComponent('@evlampia_zvezdo')}`,
    );
    expect(users.items).toMatchObject([{ displayName: 'Евлампия', username: 'evlampia_zvezdo' }]);

    stopped = true;
    await runtime.stop(); // writes every snapshot to Postgres and Redis

    const postgres = await postgresDump(schema.url);
    // The data is there, only sealed: rows in every table the conversation touches.
    for (const table of ['messages', 'users', 'chats', 'snapshots', 'jobs'])
      expect(postgres, table).toMatch(new RegExp(`^${table}: [1-9]\\d* rows$`, 'm'));
    const hot = await redisDump(redis);
    expect(hot.keys).toBeGreaterThan(0);
    expect(found(postgres, NEEDLES)).toEqual([]);
    expect(found(hot.text, NEEDLES)).toEqual([]);

    // The same data, started again without its key or with another one, is refused at once, naming the variable.
    const otherKey = randomBytes(32).toString('base64');
    for (const [variables, code, says] of [
      [{}, 'ENCRYPTION_KEY_MISSING', /neither ENCRYPTION_KEY nor ENCRYPTION_KEYS is set/],
      [
        { ENCRYPTION_KEY: otherKey },
        'ENCRYPTION_KEY_MISMATCH',
        /key id 1 of ENCRYPTION_KEY\/ENCRYPTION_KEYS is not the key/,
      ],
      [
        { ENCRYPTION_KEYS: `2:${otherKey}` },
        'ENCRYPTION_KEY_REMOVED',
        /key id 1, which ENCRYPTION_KEY\/ENCRYPTION_KEYS no longer/,
      ],
    ] as const) {
      const again = loadConfig({ ...withoutKey(env), ...variables });
      const error = await startRuntime(again, createLogger(again)).then(
        async (r) => {
          await r.stop();
          return undefined;
        },
        (e: unknown) => e as StartError,
      );
      expect(error).toBeInstanceOf(StartError);
      expect(error).toMatchObject({ code, retryable: false, message: expect.stringMatching(says) });
      expect((error as StartError).message).not.toContain(otherKey);
    }
  });
});
