import { randomBytes } from 'node:crypto';
import { CLI_TEST_TIMEOUT_MS, lekha } from './support/lekha-cli.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stemWord } from '../src/chat/index.js';
import { Keyring, Storage } from '../src/storage/index.js';
import { createTestRedis, createTestSchema, type TestRedis, type TestSchema } from './support/test-services.js';

const key1 = randomBytes(32).toString('base64');
const key2 = randomBytes(32).toString('base64');

describe('lekha keys', () => {
  let schema: TestSchema;
  let redis: TestRedis;
  let env: Record<string, string>;

  beforeAll(async () => {
    schema = await createTestSchema('cli_keys');
    redis = await createTestRedis('cli_keys');
    env = { DATABASE_URL: schema.url, REDIS_URL: redis.url, REDIS_KEY_PREFIX: redis.prefix };
    const storage = await Storage.open({
      databaseUrl: schema.url,
      snapshotIntervalMs: 1000,
      cipher: new Keyring([{ id: 1, key: Buffer.from(key1, 'base64') }], { stem: stemWord }),
    });
    const archive = storage.chatArchive();
    for (let m = 1; m <= 3; m++)
      archive.message({
        chatId: -5,
        messageId: m,
        userId: 9,
        replyToMessageId: null,
        sentAtMs: Date.now(),
        text: 'hi',
      });
    await storage.close();
  });

  afterAll(async () => {
    await redis.close();
    await schema.drop();
  });

  it(
    'shows the keys in use per table, rotates everything to the newest key with progress, then retires the old one',
    { timeout: CLI_TEST_TIMEOUT_MS * 3 },
    async () => {
      const status = await lekha({ ...env, ENCRYPTION_KEY: key1 }, 'keys', 'status');
      expect(status.code).toBe(0);
      expect(status.stdout).toMatch(/^place +key 1\n/);
      expect(status.stdout).toMatch(/^messages +3$/m);
      expect(status.stdout).toMatch(/^redis +0$/m);

      const rotate = await lekha({ ...env, ENCRYPTION_KEY: key1, ENCRYPTION_KEYS: `2:${key2}` }, 'keys', 'rotate');
      expect(rotate).toMatchObject({ code: 0 });
      expect(rotate.stderr).toMatch(/^messages: 3 of 3 re-encrypted$/m);
      expect(rotate.stdout).toMatch(/^rotated to key 2: messages 3, /m);
      expect(rotate.stdout).toMatch(/^retired key 1: no stored value uses it/m);
      expect(`${rotate.stdout}${rotate.stderr}`).not.toContain(key1);

      const after = await lekha({ ...env, ENCRYPTION_KEYS: `2:${key2}` }, 'keys', 'status');
      expect(after.stdout).toMatch(/^place +key 2\n/);
      expect(after.stdout).toMatch(/^messages +3$/m);
    },
  );

  it(
    'refuses to rotate without a key, and names the subcommands when given another',
    { timeout: CLI_TEST_TIMEOUT_MS },
    async () => {
      const [noKey, unknown] = await Promise.all([
        lekha(env, 'keys', 'rotate'),
        lekha({ ...env, ENCRYPTION_KEYS: `2:${key2}` }, 'keys', 'spin'),
      ]);
      expect(noKey.code).toBe(1);
      expect(noKey.stderr).toMatch(/no ENCRYPTION_KEY or ENCRYPTION_KEYS is configured/);
      expect(unknown.code).toBe(2);
      expect(unknown.stderr).toMatch(/unknown subcommand "spin"[\s\S]*lekha keys rotate/);
    },
  );
});
