import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger, loadConfig } from '../../src/config/index.js';
import { RecentErrorLog } from '../../src/http/index.js';
import { startRuntime } from '../../src/main.js';
import { BotApiEmulator, GroqEmulator } from '../../src/sandbox/index.js';
import { emulatorEnv, RELAXED_LIMITS, waitFor } from '../support/edge-harness.js';
import { createTestRedis, createTestSchema } from '../support/test-services.js';

const ADMIN_TOKEN = 'admin-token-for-content-tests-0001';
const GROUP = -900_100;
/** A group whose stored state does not decode: its updates become dead letters. */
const BROKEN_GROUP = -900_101;
const PERSON = { id: 7_001, firstName: 'Евлампия', username: 'evlampia_zvezdochetova' };
const TITLE = 'Клуб астрономов Звездочётовых';
const PHONE = '+7 912 345-67-89';
const CARD = '4111 1111 1111 1111';
const EMAIL = 'evlampia.z@example.org';
/** What no log line may carry: the personal data above, in the forms it could be written in. */
const NEEDLES = [
  'Евлампия',
  'evlampia_zvezdochetova',
  'Звездочётов',
  '345-67-89',
  '79123456789',
  '4111 1111',
  '4111111111111111',
  EMAIL,
  'example.org',
];

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/**
 * Boots the runtime as `lekha start` does (storage in Postgres and Redis,
 * the logger with its alerts tap) at LOG_LEVEL=trace, runs a group
 * conversation with personal data through it (and a message to a group
 * whose stored state is corrupt, which is dead-lettered) and the admin API over it,
 * stops it, and returns every line the logger wrote.
 */
async function logsOfConversation(env: Record<string, string>): Promise<string[]> {
  const botApi = await BotApiEmulator.start({ limits: false });
  cleanups.push(() => botApi.close());
  const groq = await GroqEmulator.start({ latency: 5 });
  cleanups.push(() => groq.close());
  const schema = await createTestSchema('content_logs');
  cleanups.push(() => schema.drop());
  const redis = await createTestRedis('content_logs');
  cleanups.push(() => redis.close());
  const dataDir = await mkdtemp(path.join(tmpdir(), 'lekha-content-logs-'));
  cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
  const config = loadConfig({
    ...emulatorEnv(botApi, groq),
    DATABASE_URL: schema.url,
    REDIS_URL: redis.url,
    REDIS_KEY_PREFIX: redis.prefix,
    DATA_DIR: dataDir,
    ADMIN_TOKEN,
    LOG_LEVEL: 'trace',
    HTTP_PORT: '0',
    ...env,
  });
  const lines: string[] = [];
  const errors = new RecentErrorLog();
  const logger = createLogger(config, { tap: errors, destination: { write: (line: string) => void lines.push(line) } });
  const runtime = await startRuntime(config, logger, {
    errors,
    random: () => 0.999,
    telegramLimits: RELAXED_LIMITS,
    polling: { timeoutS: 1, retryMinMs: 50 },
  });
  let stopped = false;
  cleanups.push(async () => {
    if (!stopped) await runtime.stop();
  });
  const api = async (url: string): Promise<Response> =>
    fetch(`${(runtime.http as { url: string }).url}${url}`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });

  const db = new pg.Client({ connectionString: schema.url });
  await db.connect();
  await db.query(
    `INSERT INTO snapshots (key, schema_version, seq, bytes, updated_at) VALUES ($1, 2, 1, '\\xdeadbeef'::bytea, now())`,
    [`chat:${BROKEN_GROUP}`],
  );
  await db.end();

  const from = { ...PERSON };
  const say = (text: string): void =>
    void botApi.injectMessage({ chatId: GROUP, chatType: 'supergroup', title: TITLE, from, text });
  botApi.injectMessage({
    chatId: BROKEN_GROUP,
    chatType: 'supergroup',
    title: TITLE,
    from,
    text: `Лёха, мой телефон ${PHONE}, карта ${CARD}, почта ${EMAIL}`,
  });
  say(`Лёха, привет! Мой телефон ${PHONE}, позвони`);
  say(`карта ${CARD}, переведи если что`);
  say(`пишите на ${EMAIL}`);
  say('/mode quiet');
  botApi.injectMessage({ chatId: PERSON.id, from, text: `Лёха, запомни: ${PHONE}, ${EMAIL}` });
  await waitFor(
    'the replies',
    () => botApi.sentTo(GROUP).length > 0 && botApi.sentTo(PERSON.id).length > 0 && botApi.pendingCount === 0,
    20_000,
  );
  // The admin API reads the archive (and a search for a phone number is in the request line).
  await waitFor(
    'the archive to hold the messages',
    async () =>
      ((await (await api(`/api/chats/${GROUP}/messages?q=переведи`)).json()) as { items: unknown[] }).items.length > 0,
    20_000,
  );
  for (const url of [
    `/api/chats/${GROUP}/messages?q=${encodeURIComponent(PHONE)}`,
    `/api/chats/${GROUP}/users`,
    `/api/chats/${GROUP}`,
    '/api/chats',
    '/api/alerts',
    '/api/dead-letters',
  ]) {
    expect((await api(url)).status, url).toBe(200);
  }
  stopped = true;
  await runtime.stop();
  return [...lines, JSON.stringify(errors.recent(200))];
}

describe('personal data in the logs', () => {
  it('writes no message text, name, username, chat title, phone, card or e-mail at LOG_LEVEL=trace', async () => {
    const lines = await logsOfConversation({});
    expect(lines.length).toBeGreaterThan(10);
    for (const needle of NEEDLES)
      expect(
        lines.filter((line) => line.includes(needle)),
        needle,
      ).toEqual([]);
  });

  it('writes them at debug only with LOG_UNSAFE_CONTENT=true', async () => {
    const lines = await logsOfConversation({ LOG_UNSAFE_CONTENT: 'true' });
    const content = lines.filter((line) => line.includes('message content (LOG_UNSAFE_CONTENT)'));
    expect(content.length).toBeGreaterThanOrEqual(5);
    for (const needle of ['Евлампия', 'evlampia_zvezdochetova', 'Звездочётов', PHONE, CARD, EMAIL]) {
      expect(
        content.some((line) => line.includes(needle)),
        needle,
      ).toBe(true);
    }
    expect(content.every((line) => (JSON.parse(line) as { level: number }).level === 20)).toBe(true);
  });
});
