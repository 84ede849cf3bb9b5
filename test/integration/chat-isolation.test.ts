import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { type Harness, type HarnessOptions, startHarness, waitFor } from '../support/edge-harness.js';
import { createTestRedis, createTestSchema } from '../support/test-services.js';

const ADMIN_TOKEN = 'chat-isolation-admin-token-0123456789';
const BROKEN_CHAT = -9003;
const HEALTHY_CHAT = 20000;

const cleanups: Array<() => Promise<void> | void> = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

interface Setup {
  h: Harness;
  sql(text: string, values?: unknown[]): Promise<pg.QueryResult>;
  redisKeys(pattern: string): Promise<string[]>;
  api(method: string, route: string, body?: unknown): Promise<{ status: number; body: unknown }>;
}

async function start(env: Record<string, string> = {}): Promise<Setup> {
  const schema = await createTestSchema('chat_isolation');
  const redis = await createTestRedis('chat-isolation');
  const dataDir = mkdtempSync(path.join(tmpdir(), 'lekha-isolation-'));
  cleanups.push(
    () => schema.drop(),
    () => redis.close(),
    () => rmSync(dataDir, { recursive: true, force: true }),
  );
  const options: HarnessOptions = {
    env: {
      ADMIN_TOKEN,
      DATABASE_URL: schema.url,
      REDIS_URL: redis.url,
      REDIS_KEY_PREFIX: redis.prefix,
      DATA_DIR: dataDir,
      ...env,
    },
    storage: true,
  };
  const h = await startHarness(options);
  cleanups.push(() => h.close());
  const client = new pg.Client({ connectionString: schema.url });
  await client.connect();
  cleanups.push(() => client.end());
  return {
    h,
    sql: (text, values) => client.query(text, values),
    redisKeys: (pattern) => redis.client.keys(`${redis.prefix}${pattern}`),
    api: async (method, route, body) => {
      const response = await fetch(`${h.runtime.http?.url}/api${route}`, {
        method,
        headers: {
          authorization: `Bearer ${ADMIN_TOKEN}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      return { status: response.status, body: await response.json() };
    },
  };
}

async function corruptSnapshot(s: Setup, chatId: number): Promise<void> {
  await s.sql(
    `INSERT INTO snapshots (key, schema_version, seq, bytes, updated_at) VALUES ($1, 2, 1, '\\xdeadbeef'::bytea, now())`,
    [`chat:${chatId}`],
  );
}

const member = { id: 77, firstName: 'Петя' };

describe('one chat whose state cannot be loaded', () => {
  it('is dead-lettered while every other chat goes on and the offset moves past it', async () => {
    const s = await start();
    await corruptSnapshot(s, BROKEN_CHAT);

    s.h.botApi.injectMessage({ chatId: BROKEN_CHAT, from: member, text: 'Лёха, ты тут?' });
    s.h.botApi.injectMessage({ chatId: HEALTHY_CHAT, from: { id: HEALTHY_CHAT, firstName: 'Аня' }, text: 'Привет!' });

    await waitFor('the healthy chat to be answered', () => s.h.botApi.sentTo(HEALTHY_CHAT).length === 1);
    await waitFor('every update to be confirmed', () => s.h.botApi.pendingCount === 0);
    const { rows } = await s.sql('SELECT chat_id, update_id, reason FROM dead_letters');
    expect(rows).toHaveLength(1);
    expect(Number(rows[0].chat_id)).toBe(BROKEN_CHAT);
    expect(rows[0].reason).toMatch(/SNAPSHOT_CORRUPT/);

    // A later update for the quarantined chat is dead-lettered too, not held.
    s.h.botApi.injectMessage({ chatId: BROKEN_CHAT, from: member, text: 'ау' });
    s.h.botApi.injectMessage({
      chatId: HEALTHY_CHAT,
      from: { id: HEALTHY_CHAT, firstName: 'Аня' },
      text: 'Ещё раз привет',
    });
    await waitFor('the healthy chat to be answered again', () => s.h.botApi.sentTo(HEALTHY_CHAT).length === 2);
    await waitFor('every update to be confirmed again', () => s.h.botApi.pendingCount === 0);
    expect((await s.sql('SELECT count(*)::int AS n FROM dead_letters')).rows[0].n).toBe(2);
    expect(s.h.botApi.sentTo(BROKEN_CHAT)).toEqual([]);
  });

  it('never copies an undecodable snapshot into Redis, so deleting the row is enough to heal the chat', async () => {
    const s = await start();
    await corruptSnapshot(s, BROKEN_CHAT);
    s.h.botApi.injectMessage({ chatId: BROKEN_CHAT, from: member, text: 'Лёха, ты тут?' });
    await waitFor(
      'the update to be dead-lettered',
      async () => (await s.sql('SELECT 1 FROM dead_letters')).rowCount === 1,
    );
    expect(await s.redisKeys(`snap:chat:${BROKEN_CHAT}`)).toEqual([]);

    await s.sql('DELETE FROM snapshots WHERE key = $1', [`chat:${BROKEN_CHAT}`]);
    expect((await s.api('POST', `/chats/${BROKEN_CHAT}/release`)).body).toEqual({ released: true });

    const listed = await s.api('GET', '/dead-letters');
    expect(listed.status).toBe(200);
    const letters = (
      listed.body as { items: Array<{ id: number; chatId: number; updateId: number; kind: string; reason: string }> }
    ).items;
    expect(letters).toHaveLength(1);
    expect(letters[0]).toMatchObject({ chatId: BROKEN_CHAT, kind: 'message' });
    // The listing carries no message content.
    expect(JSON.stringify(listed.body)).not.toContain('ты тут');

    const replayed = await s.api('POST', `/dead-letters/${letters[0]?.id}/replay`);
    expect(replayed).toEqual({ status: 200, body: { replayed: true } });
    await waitFor('the replayed message to be answered', () => s.h.botApi.sentTo(BROKEN_CHAT).length === 1);
    expect((await s.api('GET', '/dead-letters')).body).toMatchObject({ items: [] });
  });

  it('replays a dead letter into a chat that has handled later messages since', async () => {
    const s = await start();
    await corruptSnapshot(s, BROKEN_CHAT);
    const { message: first } = s.h.botApi.injectMessage({ chatId: BROKEN_CHAT, from: member, text: 'Лёха, первое' });
    await waitFor(
      'the update to be dead-lettered',
      async () => (await s.sql('SELECT 1 FROM dead_letters')).rowCount === 1,
    );
    await s.sql('DELETE FROM snapshots WHERE key = $1', [`chat:${BROKEN_CHAT}`]);
    await s.api('POST', `/chats/${BROKEN_CHAT}/release`);
    const { message: second } = s.h.botApi.injectMessage({ chatId: BROKEN_CHAT, from: member, text: 'Лёха, второе' });
    await waitFor('the later message to be answered', () => s.h.botApi.sentTo(BROKEN_CHAT).length === 1);

    const [letter] = ((await s.api('GET', '/dead-letters')).body as { items: Array<{ id: number }> }).items;
    expect(await s.api('POST', `/dead-letters/${letter?.id}/replay`)).toEqual({
      status: 200,
      body: { replayed: true },
    });
    await waitFor('the replayed message to be answered', () => s.h.botApi.sentTo(BROKEN_CHAT).length === 2);
    expect(s.h.botApi.sentTo(BROKEN_CHAT).map((r) => r.replyToMessageId)).toEqual([
      second.message_id,
      first.message_id,
    ]);
  });

  it('lets an admin discard a dead letter, and refuses to replay into a chat still quarantined', async () => {
    const s = await start();
    await corruptSnapshot(s, BROKEN_CHAT);
    s.h.botApi.injectMessage({ chatId: BROKEN_CHAT, from: member, text: 'Лёха?' });
    await waitFor(
      'the update to be dead-lettered',
      async () => (await s.sql('SELECT 1 FROM dead_letters')).rowCount === 1,
    );
    const [letter] = (
      (await s.api('GET', `/dead-letters?chat=${BROKEN_CHAT}`)).body as { items: Array<{ id: number }> }
    ).items;

    const refused = await s.api('POST', `/dead-letters/${letter?.id}/replay`);
    expect(refused.status).toBe(409);
    expect(JSON.stringify(refused.body)).toMatch(/quarantined/);

    expect(await s.api('DELETE', `/dead-letters/${letter?.id}`)).toEqual({ status: 200, body: { discarded: true } });
    expect((await s.api('GET', '/dead-letters')).body).toMatchObject({ items: [] });
    expect((await s.api('DELETE', `/dead-letters/${letter?.id}`)).status).toBe(404);
    const audit = await s.sql(`SELECT action, outcome FROM audit_log WHERE action LIKE 'dead_letter.%' ORDER BY seq`);
    expect(audit.rows).toEqual([
      { action: 'dead_letter.replay', outcome: 'error' },
      { action: 'dead_letter.discard', outcome: 'ok' },
      { action: 'dead_letter.discard', outcome: 'error' },
    ]);
  });
});

describe('readiness', () => {
  it('reports polling stalled while updates wait and the offset does not move', async () => {
    const s = await start({ POLLING_STALL_MS: '300' });
    // The broken chat's update would wait forever if it were held: here it is the storage of dead letters that fails.
    await s.sql('DROP TABLE dead_letters');
    await corruptSnapshot(s, BROKEN_CHAT);
    s.h.botApi.injectMessage({ chatId: BROKEN_CHAT, from: member, text: 'Лёха?' });
    await waitFor('readiness to report the stall', async () => {
      const response = await fetch(`${s.h.runtime.http?.url}/readyz`);
      return response.status === 503 && JSON.stringify(await response.json()).includes('stalled');
    });
    const alerts = await s.api('GET', '/alerts');
    expect(alerts.body).toMatchObject({ ingress: { stalled: true, updatesWaiting: 1 }, deadLetters: null });
    expect(s.h.botApi.pendingCount).toBe(1);
  });
});
