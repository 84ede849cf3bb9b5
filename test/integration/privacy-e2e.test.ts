import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Codec } from '../../src/runtime/index.js';
import { RedisSnapshotStore } from '../../src/storage/index.js';
import { type Harness, startHarness, waitFor } from '../support/edge-harness.js';
import { createTestRedis, createTestSchema, type TestRedis, type TestSchema } from '../support/test-services.js';

// GDPR through the real runtime (`startRuntime` on Postgres and Redis, driven
// through the Bot API and Groq emulators): a member who wrote in three
// groups and in a private chat is exported, then erased, and nothing of
// theirs is left in any table, snapshot, Redis value or memory index.

const ADMIN_TOKEN = 'privacy-e2e-admin-token-0123456789';
const MEMBER = { id: 987_654_321, firstName: 'Зарема', username: 'zarema_priv' };
const OTHER = { id: 555_000_111, firstName: 'Пётр' };
const GROUPS = [-4100, -4200, -4300];
/** Words only the member ever writes: none of them may survive the erasure anywhere. */
const WORDS = ['флюгельгорн', 'квазиборщ', 'тмутаракань'];

let h: Harness;
let schema: TestSchema;
let redis: TestRedis;
let db: pg.Client;
let dataDir: string;

beforeAll(async () => {
  schema = await createTestSchema('privacy_e2e');
  redis = await createTestRedis('privacy-e2e');
  dataDir = mkdtempSync(path.join(tmpdir(), 'lekha-privacy-e2e-'));
  h = await startHarness({
    env: {
      ADMIN_TOKEN,
      DATABASE_URL: schema.url,
      DATA_DIR: dataDir,
      REDIS_URL: redis.url,
      REDIS_KEY_PREFIX: redis.prefix,
      SNAPSHOT_INTERVAL_MS: '100',
    },
    storage: true,
  });
  db = new pg.Client({ connectionString: schema.url });
  await db.connect();
}, 60_000);

afterAll(async () => {
  await db?.end();
  await h?.close();
  await redis?.close();
  await schema?.drop();
  rmSync(dataDir, { recursive: true, force: true });
});

async function api(method: string, route: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${h.runtime.http?.url}/api${route}`, {
    method,
    headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function count(sql: string, params: unknown[]): Promise<number> {
  return Number((await db.query<{ n: string }>(`SELECT count(*) AS n FROM (${sql}) q`, params)).rows[0]?.n);
}

/** Writes as the member in every group and their private chat, and waits until every store has it. */
async function memberWritesEverywhere(member: typeof MEMBER, words: string[]): Promise<void> {
  const [instrument, dish, town] = words as [string, string, string];
  const remembered = h.runtime.memory?.remembered.value ?? 0;
  for (const chatId of GROUPS) {
    h.botApi.injectMessage({ chatId, from: OTHER, text: `Всем привет из чата ${chatId}, как выходные прошли?` });
    h.botApi.injectMessage({
      chatId,
      from: member,
      text: `Я играю на инструменте ${instrument} каждый вечер, живу в городе ${town} и варю ${dish}`,
    });
  }
  h.botApi.injectMessage({ chatId: GROUPS[0]!, from: member, text: `/remind 2h сварить ${dish} к ужину` });
  h.botApi.injectMessage({ chatId: member.id, from: member, text: `Мой ${dish} из города ${town} самый лучший` });
  await waitFor(
    "the member's messages, memories, reminder and private reply to reach the stores",
    async () =>
      h.botApi.pendingCount === 0 &&
      h.botApi.sentTo(member.id).length > 0 &&
      (h.runtime.memory?.remembered.value ?? 0) >= remembered + 4 &&
      (await count('SELECT 1 FROM messages WHERE user_id = $1', [member.id])) >= 5 &&
      (await count("SELECT 1 FROM jobs WHERE user_id = $1 AND kind = 'reminder'", [member.id])) === 1,
    30_000,
  );
}

/** Every column of every table that mentions `needle` (a number matches integer columns and text alike). */
async function tablesMentioning(needle: string, numeric: boolean): Promise<string[]> {
  const columns = await db.query<{ table_name: string; column_name: string; data_type: string }>(
    `SELECT table_name, column_name, data_type FROM information_schema.columns
     WHERE table_schema = current_schema() AND table_name IN
       (SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE')`,
  );
  const found: string[] = [];
  for (const { table_name: table, column_name: column, data_type: type } of columns.rows) {
    // Snapshot bytes are msgpack: decoded and searched on their own below.
    if (table === 'snapshots' && column === 'bytes') continue;
    let where: string;
    if (['bigint', 'integer', 'smallint'].includes(type)) {
      if (!numeric) continue;
      where = `"${column}" = $1::bigint`;
    } else if (type === 'bytea') {
      where = `position(convert_to($1, 'UTF8') in "${column}") > 0`;
    } else {
      where = `lower("${column}"::text) LIKE '%' || lower($1) || '%'`;
    }
    // The member's private chat keeps a blank state under its id (checked on its own below).
    if (table === 'snapshots' && column === 'key') where += ` AND key <> 'chat:' || $1`;
    if ((await count(`SELECT 1 FROM "${table}" WHERE ${where}`, [needle])) > 0) found.push(`${table}.${column}`);
  }
  return found;
}

const codec = new Codec();

/** Every stored chat snapshot, decoded: from Postgres and from Redis. */
async function decodedSnapshots(): Promise<Array<{ tier: string; key: string; state: Record<string, unknown> }>> {
  const out: Array<{ tier: string; key: string; state: Record<string, unknown> }> = [];
  const rows = await db.query<{ key: string; bytes: Buffer }>('SELECT key, bytes FROM snapshots');
  for (const row of rows.rows)
    out.push({ tier: 'postgres', key: row.key, state: codec.decode(row.bytes) as Record<string, unknown> });
  const hot = new RedisSnapshotStore(redis.client, { prefix: redis.prefix, ttlMs: 0 });
  const snap = `${redis.prefix}snap:`;
  for (const full of await redis.client.keys(`${redis.prefix}*`)) {
    if (!full.startsWith(snap)) {
      // Not a snapshot: searched as it is stored.
      out.push({
        tier: 'redis-raw',
        key: full,
        state: { raw: (await redis.client.getBuffer(full))?.toString('utf8') },
      });
      continue;
    }
    const key = full.slice(snap.length);
    const record = await hot.read(key);
    if (record !== undefined)
      out.push({ tier: 'redis', key, state: codec.decode(record.bytes) as Record<string, unknown> });
  }
  return out;
}

describe('GDPR export and erasure of a member across every store', () => {
  it('exports everything stored about the member as one JSON document', { timeout: 60_000 }, async () => {
    await memberWritesEverywhere(MEMBER, WORDS);
    const { status, body } = await api('GET', `/users/${MEMBER.id}/data`);
    expect(status).toBe(200);
    expect(body).toMatchObject({ format: 'lekha-member-data/1', userId: MEMBER.id });
    expect(body['user']).toMatchObject({ firstName: MEMBER.firstName, username: MEMBER.username });
    const memberships = (body['memberships'] as Array<{ chatId: number }>).map((m) => m.chatId);
    expect(memberships).toEqual(expect.arrayContaining(GROUPS));
    const messages = body['messages'] as Array<{ chatId: number; text: string }>;
    expect(
      messages
        .filter((m) => m.text.includes(WORDS[0]!))
        .map((m) => m.chatId)
        .sort((a, b) => a - b),
    ).toEqual([...GROUPS].sort((a, b) => a - b));
    expect((body['memories'] as unknown[]).length).toBeGreaterThanOrEqual(3);
    expect(body['reminders']).toEqual([expect.objectContaining({ chatId: GROUPS[0], status: 'pending' })]);
    const chats = body['chats'] as Array<{ chatId: number; profile: { messages: number } | null; history: unknown[] }>;
    for (const chatId of GROUPS) {
      const chat = chats.find((c) => c.chatId === chatId);
      expect(chat?.profile?.messages).toBeGreaterThanOrEqual(1);
      expect(chat?.history.length).toBeGreaterThanOrEqual(1);
    }
    // Other members appear by id only.
    expect(JSON.stringify(body)).not.toContain(OTHER.firstName);
  });

  it('finds the member everywhere before the erasure (the searches below can see them)', async () => {
    expect(await tablesMentioning(String(MEMBER.id), true)).toEqual(
      expect.arrayContaining(['messages.user_id', 'members.user_id', 'users.id', 'memories.user_id', 'jobs.user_id']),
    );
    expect(await tablesMentioning(WORDS[1]!, false)).toEqual(
      expect.arrayContaining(['messages.text_cipher', 'memories.text_cipher', 'jobs.text_cipher']),
    );
    // Write-behind has flushed every chat the member wrote in, to both tiers.
    await waitFor('the chats to be written behind', async () => {
      const stored = (await decodedSnapshots()).filter((s) => JSON.stringify(s.state).includes(WORDS[0]!));
      return ['postgres', 'redis'].every((tier) => stored.filter((s) => s.tier === tier).length >= GROUPS.length);
    });
    const hits = await h.runtime.memory!.recall({ chatId: GROUPS[0]!, text: WORDS.join(' '), k: 50 });
    expect(hits.some((hit) => hit.fromId === MEMBER.id)).toBe(true);
  });

  it('refuses bad ids with a clear 4xx and changes nothing', async () => {
    const before = await count('SELECT 1 FROM messages', []);
    for (const [method, route, status, code] of [
      ['GET', '/users/abc/data', 400, 'FST_ERR_VALIDATION'],
      ['DELETE', '/users/-5', 400, 'FST_ERR_VALIDATION'],
      ['DELETE', '/users/12.5', 400, 'FST_ERR_VALIDATION'],
      ['GET', '/users/424242/data', 404, 'MEMBER_DATA_NOT_FOUND'],
      ['DELETE', '/users/424242', 404, 'MEMBER_DATA_NOT_FOUND'],
    ] as const) {
      const answer = await api(method, route);
      expect([route, answer.status, answer.body['code']]).toEqual([route, status, code]);
    }
    expect(await count('SELECT 1 FROM messages', [])).toBe(before);
  });

  it(
    'erases the member from every table, snapshot tier and memory index; a second erase finds nothing',
    { timeout: 60_000 },
    async () => {
      // Audit rows of earlier admin calls that name the member, and one naming a longer id that contains theirs.
      const auditRow = `INSERT INTO audit_log (id, actor, action, target) VALUES (gen_random_uuid(), 'test', 'member.memories.forget', $1)`;
      await db.query(auditRow, [`chat:${GROUPS[0]}:user:${MEMBER.id}`]);
      await db.query(auditRow, [`chat:${GROUPS[0]}:user:${MEMBER.id}5`]);

      const { status, body } = await api('DELETE', `/users/${MEMBER.id}`);
      expect(status).toBe(200);
      const targets = await db.query<{ target: string }>(
        `SELECT target FROM audit_log WHERE action = 'member.memories.forget' ORDER BY target`,
      );
      expect(targets.rows.map((r) => r.target)).toEqual(
        [`chat:${GROUPS[0]}:user:${MEMBER.id}5`, `chat:${GROUPS[0]}:user:~${String(body['pseudonym'])}`].sort(),
      );
      await db.query(`DELETE FROM audit_log WHERE target = $1`, [`chat:${GROUPS[0]}:user:${MEMBER.id}5`]);
      expect(body['chats']).toBeGreaterThanOrEqual(4);
      expect(body['memories']).toBeGreaterThanOrEqual(3);
      expect(body['rows']).toMatchObject({ users: 1, jobs: 1 });

      // Tables: not the id, not the username, not one of their words.
      expect(await tablesMentioning(String(MEMBER.id), true)).toEqual([]);
      for (const needle of [MEMBER.username, MEMBER.firstName, ...WORDS])
        expect([needle, await tablesMentioning(needle, false)]).toEqual([needle, []]);
      // What remains is the erasure's pseudonym, in its record and the audit rows.
      const pseudonym = String(body['pseudonym']);
      expect(
        await count('SELECT 1 FROM privacy_erasures WHERE pseudonym = $1 AND finished_at IS NOT NULL', [pseudonym]),
      ).toBe(1);
      const audit = await db.query<{ action: string }>(`SELECT action FROM audit_log WHERE target = $1 ORDER BY at`, [
        `user:~${pseudonym}`,
      ]);
      expect(audit.rows.map((r) => r.action)).toEqual(
        expect.arrayContaining(['user.data.export', 'user.erase', 'privacy.erase.done']),
      );

      // Snapshots in both tiers, decoded. The private chat's state is keyed by the member's id and
      // keeps only its processing ids (so a redelivered update is not handled twice): it must be blank.
      const snapshots = await decodedSnapshots();
      expect(snapshots.filter((s) => s.tier === 'redis').length).toBeGreaterThanOrEqual(4);
      expect(snapshots.filter((s) => s.tier === 'postgres').length).toBeGreaterThanOrEqual(4);
      for (const { tier, key, state } of snapshots) {
        const chat = (state['chat'] ?? {}) as { members: object; history: unknown[] };
        if (key === `chat:${MEMBER.id}`) {
          expect([tier, Object.keys(chat.members), chat.history]).toEqual([tier, [], []]);
          continue;
        }
        const text = JSON.stringify(state);
        for (const needle of [String(MEMBER.id), MEMBER.username, MEMBER.firstName, ...WORDS])
          expect([tier, key, text.includes(needle)]).toEqual([tier, key, false]);
      }

      // The HNSW indexes: recall finds nothing of theirs.
      const memory = h.runtime.memory!;
      for (const chatId of [...GROUPS, MEMBER.id])
        for (const word of WORDS) {
          const hits = await memory.recall({ chatId, text: `${word} ${WORDS.join(' ')}`, k: 50 });
          const theirs = hits.filter((hit) => hit.fromId === MEMBER.id || WORDS.some((w) => hit.text.includes(w)));
          expect([chatId, theirs]).toEqual([chatId, []]);
        }

      // Erasing again: the engine finds nothing left; the API says there is nothing to erase.
      const again = await h.runtime.privacy!.erase(MEMBER.id, { tokenId: 't', label: 'test', role: 'admin' });
      expect(again.memories).toBe(0);
      expect(Object.values(again.rows).every((n) => n === 0)).toBe(true);
      expect((await api('DELETE', `/users/${MEMBER.id}`)).status).toBe(404);
    },
  );

  it('treats an erased member who writes again as new', { timeout: 30_000 }, async () => {
    const chatId = GROUPS[1]!;
    h.botApi.injectMessage({ chatId, from: MEMBER, text: 'Снова здравствуйте, я тут новенькая' });
    await waitFor(
      'the new message to reach the chat state',
      async () =>
        h.botApi.pendingCount === 0 && (await count('SELECT 1 FROM messages WHERE user_id = $1', [MEMBER.id])) === 1,
      10_000,
    );
    const member = (await api('GET', `/chats/${chatId}/users/${MEMBER.id}`)).body as {
      analytics: { messages: number } | null;
    };
    expect(member.analytics?.messages).toBe(1);
  });

  it(
    'finishes at the next start an erasure that a crash cut short after its first step',
    { timeout: 60_000 },
    async () => {
      const member = { id: 876_543_210, firstName: 'Гульнара', username: 'gulnara_priv' };
      const words = ['сурдинофон', 'мезозавр', 'кукуевск'];
      await memberWritesEverywhere(member, words);
      const store = h.runtime.storage!.memberData({ now: () => Date.now() });
      const record = await store.openErasure(member.id, h.runtime.privacy!.pseudonymOf(member.id));
      await store.markStep(record.id, 1);

      await h.restart();
      const restarted = h.runtime.storage!.memberData({ now: () => Date.now() });
      await waitFor(
        'the unfinished erasure to be finished',
        async () => ((await restarted.erasure(record.id))?.finishedAtMs ?? null) !== null,
        30_000,
      );

      expect(await tablesMentioning(String(member.id), true)).toEqual([]);
      for (const needle of [member.username, ...words])
        expect([needle, await tablesMentioning(needle, false)]).toEqual([needle, []]);
      const finished = await restarted.erasure(record.id);
      expect(finished).toMatchObject({ userId: null, step: 4 });
    },
  );
});

describe('retention', () => {
  it('is a recurring job of the scheduler, and deletes messages older than RETENTION_MESSAGES_DAYS only', async () => {
    expect(await count("SELECT 1 FROM jobs WHERE key = 'privacy:retention' AND schedule_kind = 'every'", [])).toBe(1);
    const day = 86_400_000;
    const insert = (messageId: number, ageDays: number) =>
      db.query(
        `INSERT INTO messages (chat_id, message_id, user_id, sent_at, text_cipher) VALUES (-4999, $1, 42, $2, 'x')`,
        [messageId, new Date(Date.now() - ageDays * day)],
      );
    await insert(1, 400);
    await insert(2, 366);
    await insert(3, 10);
    const result = await h.runtime.privacy!.applyRetention();
    expect(result.messages).toBe(2);
    expect((await db.query('SELECT message_id FROM messages WHERE chat_id = -4999')).rows).toEqual([
      { message_id: '3' },
    ]);
  });
});

describe('/mydata and /forgetme in Telegram', () => {
  const member = { id: 765_432_109, firstName: 'Всеволод', username: 'vsevolod_priv' };
  const words = ['гравицапа', 'пепелац', 'плюкания'];
  const group = GROUPS[2]!;

  /** Sends a command and waits for the bot's answer in that chat. */
  async function command(chatId: number, from: { id: number; firstName: string }, text: string): Promise<string> {
    const before = h.botApi.sentTo(chatId).length;
    h.botApi.injectMessage({ chatId, from, text });
    await waitFor(`the answer to ${text}`, () => h.botApi.sentTo(chatId).length > before, 15_000);
    return h.botApi.sentTo(chatId).at(-1)!.text;
  }

  it(
    'answers /mydata in a group, without personal data, that a private chat must be opened first (403)',
    { timeout: 30_000 },
    async () => {
      const stranger = { id: 654_321_098, firstName: 'Евлампия', username: 'evlampia_priv' };
      h.botApi.injectMessage({ chatId: group, from: stranger, text: `Я коллекционирую ${words[0]} с детства` });
      const answer = await command(group, stranger, '/mydata');
      expect(answer).toMatch(/личку|privately/);
      for (const needle of [stranger.firstName, stranger.username, words[0]!, String(stranger.id)])
        expect(answer).not.toContain(needle);
      expect(h.botApi.sentTo(stranger.id)).toEqual([]);
    },
  );

  it(
    'sends the export as a JSON document to the member’s private chat when asked in a group',
    { timeout: 30_000 },
    async () => {
      // The member has a private chat with the bot and writes in the group.
      await command(member.id, member, `Привет! Мой ${words[1]} сломался`);
      h.botApi.injectMessage({ chatId: group, from: member, text: `Кто знает, где чинят ${words[1]} и ${words[2]}?` });
      await waitFor(
        'the group message to be stored',
        async () =>
          (await count('SELECT 1 FROM messages WHERE user_id = $1 AND chat_id = $2', [member.id, group])) === 1,
      );
      const answer = await command(group, member, '/mydata');
      expect(answer).toMatch(/в личку|private chat/);
      const document = h.botApi.sentTo(member.id).find((s) => s.document !== undefined)?.document;
      expect(document?.fileName).toMatch(/\.json$/);
      const data = JSON.parse(new TextDecoder().decode(document!.bytes)) as {
        userId: number;
        messages: Array<{ text: string }>;
      };
      expect(data.userId).toBe(member.id);
      expect(data.messages.map((m) => m.text).join(' ')).toContain(words[2]);
    },
  );

  it('/forgetme without confirmation asks for it and erases nothing', { timeout: 30_000 }, async () => {
    const before = await count('SELECT 1 FROM messages WHERE user_id = $1', [member.id]);
    const answer = await command(group, member, '/forgetme');
    expect(answer).toContain('/forgetme confirm');
    expect(await count('SELECT 1 FROM users WHERE id = $1', [member.id])).toBe(1);
    // The command itself is one more message of theirs; nothing was deleted.
    expect(await count('SELECT 1 FROM messages WHERE user_id = $1', [member.id])).toBeGreaterThanOrEqual(before);
    expect(await count('SELECT 1 FROM privacy_erasures WHERE finished_at IS NULL', [])).toBe(0);
  });

  it('/forgetme confirm erases the member everywhere', { timeout: 30_000 }, async () => {
    const answer = await command(group, member, '/forgetme confirm');
    expect(answer).toMatch(/забыл|forgotten/);
    expect(await tablesMentioning(String(member.id), true)).toEqual([]);
    for (const needle of [member.username, ...words.slice(1)])
      expect([needle, await tablesMentioning(needle, false)]).toEqual([needle, []]);
  });
});
