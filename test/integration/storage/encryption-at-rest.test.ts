import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stemWord } from '../../../src/chat/index.js';
import type { FieldCipher } from '../../../src/ports/index.js';
import {
  EncryptionKeyError,
  KeyRotation,
  Keyring,
  PostgresChatDirectory,
  PostgresMemoryStore,
  type Queryable,
  Storage,
} from '../../../src/storage/index.js';
import type { CounterState } from '../../support/counter-actor.js';
import { counterFormat } from '../../support/counter-runtime.js';
import { createTestRedis, createTestSchema, type TestRedis, type TestSchema } from '../../support/test-services.js';

const key1 = randomBytes(32);
const key2 = randomBytes(32);
const ring = (...keys: Array<[number, Buffer]>): Keyring =>
  new Keyring(
    keys.map(([id, key]) => ({ id, key })),
    { stem: stemWord },
  );

// Words that appear nowhere but in the data written by the tests.
const SECRETS = ['Перепелкин', 'Zanzibarova', 'zanzi_bar', 'Аэроклуб', 'quokka', 'Бегемотики', 'xylophonist'];

/** Every row of every table of the schema as text (bytea as hex), and every Redis value under the prefix. */
async function rawDump(db: Queryable, redis: TestRedis | undefined): Promise<string> {
  const tables = await db.query<{ table_name: string }>(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()`,
  );
  const parts: string[] = [];
  for (const { table_name } of tables.rows) {
    const rows = await db.query<{ t: string }>(`SELECT t::text AS t FROM ${table_name} t`);
    parts.push(...rows.rows.map((r) => r.t));
  }
  if (redis !== undefined) {
    const keys = await redis.client.keys(`${redis.prefix}*`);
    for (const key of keys) {
      const value = await redis.client.getBuffer(key);
      if (value !== null) parts.push(`\\x${value.toString('hex')}`, value.toString('latin1'));
    }
  }
  return parts.join('\n');
}

/** The secrets found in a dump: as text, or as the hex of their UTF-8 bytes (how bytea prints). */
function plaintextIn(dump: string, secrets: readonly string[] = SECRETS): string[] {
  const lower = dump.toLowerCase();
  return secrets.filter(
    (s) => lower.includes(s.toLowerCase()) || lower.includes(Buffer.from(s, 'utf8').toString('hex')),
  );
}

/**
 * A test schema and Redis prefix for one describe block, with storages
 * opened on them (no periodic flush) and closed after the block.
 */
function storageServices(schemaName: string, redisName: string) {
  let schema: TestSchema;
  let redis: TestRedis;
  const open: Storage[] = [];

  beforeAll(async () => {
    schema = await createTestSchema(schemaName);
    redis = await createTestRedis(redisName);
  });

  afterAll(async () => {
    await Promise.all(open.map((s) => s.close().catch(() => undefined)));
    await redis.close();
    await schema.drop();
  });

  return {
    get redis(): TestRedis {
      return redis;
    },
    async openStorage(cipher?: FieldCipher): Promise<Storage> {
      const storage = await Storage.open({
        databaseUrl: schema.url,
        redisUrl: redis.url,
        redisKeyPrefix: redis.prefix,
        snapshotIntervalMs: 3_600_000,
        ...(cipher === undefined ? {} : { cipher }),
      });
      open.push(storage);
      return storage;
    },
  };
}

describe('encryption at rest on Postgres and Redis', () => {
  const services = storageServices('encryption', 'encryption');
  const openStorage = services.openStorage;

  async function writeEverything(storage: Storage, chatId: number, n: number): Promise<void> {
    const archive = storage.chatArchive();
    archive.chat({
      chatId,
      type: 'supergroup',
      title: `Аэроклуб Бегемотики ${n}`,
      username: 'zanzi_bar',
      mode: 'normal',
      lastActivityMs: Date.now(),
    });
    archive.user({
      userId: chatId * -10,
      username: 'Zanzi_Bar',
      firstName: 'Zanzibarova',
      lastName: 'Перепелкин',
      languageCode: 'ru',
      isBot: false,
    });
    archive.message({
      chatId,
      messageId: n,
      userId: chatId * -10,
      replyToMessageId: null,
      sentAtMs: Date.now(),
      text: 'Бегемотики видели quokka на аэродроме',
    });
    await storage.appends.flush();
    await new PostgresMemoryStore(storage.db, storage.cipher).insert([
      {
        chatId,
        kind: 'message',
        text: 'quokka remembered by xylophonist',
        fromId: 7,
        ms: Date.now(),
        messageId: n,
        recalledIds: [],
        embedder: 'hash',
        vector: new Float32Array([0.5, 0.25]),
      },
    ]);
    await storage
      .jobs(Date)
      .add({ kind: 'reminder', chatId, userId: 7, text: 'напомни про quokka', dueAtMs: Date.now() + 60_000 });
    await storage.deadLetters().add({
      chatId,
      updateId: n,
      reason: 'quarantined',
      update: { message: { text: 'xylophonist Перепелкин' } },
      failedAtMs: Date.now(),
    });
    const snapshots = await storage.writeBehind<string, CounterState>({ format: counterFormat });
    // A counter's state holds numbers only; its msgpack bytes would show as they are.
    snapshots.persist(`chat:${chatId}`, { seen: [0x51756f6b] });
    await snapshots.flush();
  }

  it('seals text, names, titles, memories, reminders, dead letters and snapshots, and reads them all back', async () => {
    const storage = await openStorage(ring([1, key1]));
    await writeEverything(storage, -7001, 1);
    const dump = await rawDump(storage.db, services.redis);
    expect(plaintextIn(dump)).toEqual([]);
    // The snapshot's state bytes are not visible either (0x51756f6b as msgpack uint32).
    expect(dump).not.toContain('ce51756f6b');

    const directory = new PostgresChatDirectory(storage.db, { cipher: storage.cipher });
    expect((await directory.getChat(-7001))?.title).toBe('Аэроклуб Бегемотики 1');
    expect(
      (await directory.listChats({ query: 'аэроклуб', cursor: undefined, limit: 5 })).items.map((c) => c.id),
    ).toEqual([-7001]);
    const members = await directory.listMembers(-7001, { query: '@zanzi_bar', cursor: undefined, limit: 5 });
    expect(members.items).toMatchObject([{ username: 'Zanzi_Bar', displayName: 'Zanzibarova Перепелкин' }]);
    expect(
      (await directory.listMembers(-7001, { query: 'перепелкина', cursor: undefined, limit: 5 })).items,
    ).toHaveLength(1);
    const found = await directory.searchMessages(-7001, {
      q: 'бегемотиков видел',
      from: undefined,
      to: undefined,
      userId: undefined,
      cursor: undefined,
      limit: 5,
    });
    expect(found.items.map((m) => m.text)).toEqual(['Бегемотики видели quokka на аэродроме']);
    const missed = await directory.searchMessages(-7001, {
      q: 'бегемотик жираф',
      from: undefined,
      to: undefined,
      userId: undefined,
      cursor: undefined,
      limit: 5,
    });
    expect(missed.items).toEqual([]);
    const memories = await new PostgresMemoryStore(storage.db, storage.cipher).load(-7001, 'hash');
    expect(memories.items.map((m) => m.text)).toEqual(['quokka remembered by xylophonist']);
    expect((await storage.jobs(Date).list({ chatId: -7001, limit: 10 })).map((j) => j.text)).toEqual([
      'напомни про quokka',
    ]);
    expect((await storage.deadLetters().list({ chatId: -7001, limit: 5 }))[0]?.update).toEqual({
      message: { text: 'xylophonist Перепелкин' },
    });

    // Read back from Redis, then from Postgres alone.
    const again = await (
      await openStorage(ring([1, key1]))
    ).writeBehind<string, CounterState>({ format: counterFormat });
    expect(await again.load('chat:-7001')).toEqual({ seen: [0x51756f6b] });
    await services.redis.client.del(`${services.redis.prefix}snap:chat:-7001`);
    expect(await again.load('chat:-7001')).toEqual({ seen: [0x51756f6b] });
  });

  it('refuses to start without the key, with another key under its id, or with a key in use removed', async () => {
    await expect(openStorage()).rejects.toMatchObject({
      code: 'ENCRYPTION_KEY_MISSING',
      message: expect.stringMatching(/key 1 and neither ENCRYPTION_KEY nor ENCRYPTION_KEYS is set/),
    });
    await expect(openStorage(ring([1, key2]))).rejects.toMatchObject({
      code: 'ENCRYPTION_KEY_MISMATCH',
      message: expect.stringMatching(/key id 1 of ENCRYPTION_KEY\/ENCRYPTION_KEYS is not the key/),
    });
    const removed = await openStorage(ring([2, key2])).catch((e: unknown) => e);
    expect(removed).toBeInstanceOf(EncryptionKeyError);
    expect((removed as EncryptionKeyError).code).toBe('ENCRYPTION_KEY_REMOVED');
    expect((removed as EncryptionKeyError).message).toMatch(/add it back to ENCRYPTION_KEYS.*lekha keys rotate/);
    for (const text of [(removed as Error).message]) {
      expect(text).not.toContain(key1.toString('base64'));
      expect(text).not.toContain(key2.toString('base64'));
    }
  });

  it('rotates every table and both snapshot tiers to a new key, then retires the old one', async () => {
    const storage = await openStorage(ring([1, key1], [2, key2]));
    await writeEverything(storage, -7002, 2); // sealed with key 2 already
    const rotation = new KeyRotation({
      db: storage.db,
      cipher: storage.cipher,
      redis: storage.redis,
      redisKeyPrefix: services.redis.prefix,
      batchRows: 1,
    });
    const before = await rotation.status();
    expect(before.find((u) => u.place === 'messages')?.byKeyId).toEqual(
      new Map([
        [1, 1],
        [2, 1],
      ]),
    );
    const progress: string[] = [];
    const report = await rotation.rotate((p) => progress.push(`${p.place} ${p.moved}/${p.total}`));
    expect(report.left).toBe(0);
    expect(report.retired).toEqual([1]);
    expect(progress).toEqual(expect.arrayContaining(['messages 1/1', 'users 1/1', 'snapshots 1/1', 'redis 1/1']));
    for (const usage of await rotation.status()) expect([...usage.byKeyId.keys()].filter((id) => id !== 2)).toEqual([]);

    // Only key 2 is needed now; everything still reads and searches.
    const only2 = await openStorage(ring([2, key2]));
    const directory = new PostgresChatDirectory(only2.db, { cipher: only2.cipher });
    const found = await directory.searchMessages(-7001, {
      q: 'quokka',
      from: undefined,
      to: undefined,
      userId: undefined,
      cursor: undefined,
      limit: 5,
    });
    expect(found.items).toHaveLength(1);
    expect(
      (await directory.listMembers(-7001, { query: 'zanzi_bar', cursor: undefined, limit: 5 })).items,
    ).toHaveLength(1);
    const snapshots = await only2.writeBehind<string, CounterState>({ format: counterFormat });
    expect(await snapshots.load('chat:-7001')).toEqual({ seen: [0x51756f6b] });
    // A second rotation has nothing left to do.
    expect(
      (
        await new KeyRotation({
          db: only2.db,
          cipher: only2.cipher,
          redis: only2.redis,
          redisKeyPrefix: services.redis.prefix,
        }).rotate()
      ).moved,
    ).toMatchObject({
      messages: 0,
      snapshots: 0,
      redis: 0,
    });
    expect(plaintextIn(await rawDump(only2.db, services.redis))).toEqual([]);
  });
});

describe('switching encryption on over plaintext data', () => {
  const services = storageServices('encryption_on', 'encryption-on');
  const openStorage = services.openStorage;

  const search = (q: string) => ({ q, from: undefined, to: undefined, userId: undefined, cursor: undefined, limit: 5 });

  it('reads plaintext rows and snapshots once a key is configured, and rotate seals them', async () => {
    const plain = await openStorage();
    plain.chatArchive().chat({
      chatId: -8001,
      type: 'group',
      title: 'Аэроклуб',
      username: null,
      mode: 'normal',
      lastActivityMs: Date.now(),
    });
    plain.chatArchive().user({
      userId: 81,
      username: 'zanzi_bar',
      firstName: 'Zanzibarova',
      lastName: null,
      languageCode: null,
      isBot: false,
    });
    for (let m = 1; m <= 5; m++)
      plain.chatArchive().message({
        chatId: -8001,
        messageId: m,
        userId: 81,
        replyToMessageId: null,
        sentAtMs: Date.now(),
        text: `quokka номер ${m}`,
      });
    await plain.appends.flush();
    const plainSnapshots = await plain.writeBehind<string, CounterState>({ format: counterFormat });
    plainSnapshots.persist('chat:-8001', { seen: [5] });
    await plainSnapshots.flush();
    expect(plaintextIn(await rawDump(plain.db, services.redis), ['quokka', 'Zanzibarova', 'Аэроклуб'])).toHaveLength(3);

    const keyed = await openStorage(ring([1, key1]));
    const directory = new PostgresChatDirectory(keyed.db, { cipher: keyed.cipher });
    expect((await directory.searchMessages(-8001, search('quokka'))).items).toHaveLength(5);
    expect((await directory.getChat(-8001))?.title).toBe('Аэроклуб');
    const snapshots = await keyed.writeBehind<string, CounterState>({ format: counterFormat });
    expect(await snapshots.load('chat:-8001')).toEqual({ seen: [5] });

    const rotation = new KeyRotation({
      db: keyed.db,
      cipher: keyed.cipher,
      redis: keyed.redis,
      redisKeyPrefix: services.redis.prefix,
    });
    expect((await rotation.status()).find((u) => u.place === 'messages')?.byKeyId).toEqual(new Map([[0, 5]]));
    const report = await rotation.rotate();
    expect(report).toMatchObject({
      writeKeyId: 1,
      left: 0,
      moved: { messages: 5, users: 1, chats: 1, snapshots: 1, redis: 1 },
    });
    expect(plaintextIn(await rawDump(keyed.db, services.redis), ['quokka', 'Zanzibarova', 'Аэроклуб'])).toEqual([]);
    expect((await directory.searchMessages(-8001, search('quokka'))).items.map((m) => m.text).sort()).toEqual(
      [1, 2, 3, 4, 5].map((m) => `quokka номер ${m}`),
    );
    expect(
      (await directory.listMembers(-8001, { query: 'zanzibarova', cursor: undefined, limit: 5 })).items,
    ).toHaveLength(1);
    const reread = await (
      await openStorage(ring([1, key1]))
    ).writeBehind<string, CounterState>({ format: counterFormat });
    expect(await reread.load('chat:-8001')).toEqual({ seen: [5] });
  });

  it('never replaces a row written while it rotates: the newer value stays and is moved on the next pass', async () => {
    const old = await openStorage(ring([1, key1]));
    for (let id = 1; id <= 4; id++)
      old.chatArchive().user({
        userId: 900 + id,
        username: `user${id}`,
        firstName: `Name${id}`,
        lastName: null,
        languageCode: null,
        isBot: false,
      });
    await old.appends.flush();

    const current = await openStorage(ring([1, key1], [2, key2]));
    let renamed = false;
    // A process still on the old configuration renames user 903 after the rotation read it and before it writes.
    const racing: Queryable = {
      query: async (sql: string, params?: unknown[]) => {
        if (!renamed && sql.startsWith('UPDATE users t')) {
          renamed = true;
          old.chatArchive().user({
            userId: 903,
            username: 'user3',
            firstName: 'Renamed',
            lastName: null,
            languageCode: null,
            isBot: false,
          });
          await old.appends.flush();
        }
        return current.db.query(sql, params);
      },
    } as Queryable;
    const rotation = new KeyRotation({ db: racing, cipher: current.cipher, batchRows: 10 });
    const report = await rotation.rotate();
    expect(renamed).toBe(true);
    expect(report.left).toBe(0);
    const directory = new PostgresChatDirectory(current.db, { cipher: current.cipher });
    const { rows } = await current.db.query<{ id: string; name_key_id: number }>(
      'SELECT id, name_key_id FROM users WHERE id BETWEEN 901 AND 904 ORDER BY id',
    );
    expect(rows.map((r) => r.name_key_id)).toEqual([2, 2, 2, 2]);
    const archive = current.chatArchive();
    archive.message({
      chatId: -8002,
      messageId: 1,
      userId: 903,
      replyToMessageId: null,
      sentAtMs: Date.now(),
      text: 'x',
    });
    await current.appends.flush();
    expect((await directory.getMember(-8002, 903))?.displayName).toBe('Renamed');
  });
});
