import type { SuiteDatabase } from './suite-databases.js';
import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MemoryStore } from '../../../src/memory/index.js';
import { type Database, migrate, PostgresMemoryStore } from '../../../src/storage/index.js';
import { startMemory } from '../../memory/memory-harness.js';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 10, 1);

function unit(dims: number, hot: number): Float32Array {
  const v = new Float32Array(dims);
  v[hot] = 1;
  return v;
}

function row(
  chatId: number,
  text: string,
  extra: Partial<Parameters<MemoryStore['insert']>[0][number]> = {},
): Parameters<MemoryStore['insert']>[0][number] {
  return {
    chatId,
    kind: 'message',
    text,
    fromId: 5,
    ms: NOW,
    messageId: 0,
    recalledIds: [],
    embedder: 'test-4',
    vector: unit(4, 0),
    ...extra,
  };
}

/** The memory store on a database, alone and under the memory service. */
export function memoryStoreSuite(label: string, open: () => Promise<SuiteDatabase>): void {
  describe(`memory store on ${label}`, () => {
    let db: Database;
    let dispose: () => Promise<void>;
    let store: PostgresMemoryStore;

    beforeAll(async () => {
      ({ db, dispose } = await open());
      await migrate(db);
      store = new PostgresMemoryStore(db);
    });

    afterAll(async () => {
      await dispose();
    });

    it('stores memories with ascending ids and loads them back with their vectors, per chat and embedder', async () => {
      const [a, b] = await store.insert([
        row(-1, 'первая память', { vector: unit(4, 1), kind: 'fact', ms: NOW - 1234 }),
        row(-1, 'second memory', { vector: unit(4, 2), kind: 'bot', fromId: 99, messageId: 77, recalledIds: [3, 4] }),
      ]);
      await store.insert([
        row(-2, 'other chat'),
        row(-1, 'other embedder', { embedder: 'other-8', vector: unit(8, 0) }),
      ]);
      expect(b?.id).toBeGreaterThan(a?.id ?? Infinity);
      const loaded = await store.load(-1, 'test-4');
      expect(loaded.items).toEqual([
        {
          id: a?.id,
          kind: 'fact',
          text: 'первая память',
          fromId: 5,
          ms: NOW - 1234,
          feedback: 0,
          messageId: 0,
          recalledIds: [],
          revision: a?.id,
        },
        {
          id: b?.id,
          kind: 'bot',
          text: 'second memory',
          fromId: 99,
          ms: NOW,
          feedback: 0,
          messageId: 77,
          recalledIds: [3, 4],
          revision: b?.id,
        },
      ]);
      expect(Array.from(loaded.vectors)).toEqual([0, 1, 0, 0, 0, 0, 1, 0]);
      expect(await store.stamp(-1, 'test-4')).toEqual({ maxRevision: b?.id, live: 2 });
      expect(await store.stamp(-404, 'test-4')).toEqual({ maxRevision: 0, live: 0 });
    });

    it('stores a message of a kind once: a message processed again after a crash is skipped', async () => {
      const [first] = await store.insert([row(-9, 'я из Казани', { kind: 'fact', messageId: 42 })]);
      const again = await store.insert([
        row(-9, 'я из Казани', { kind: 'fact', messageId: 42 }),
        row(-9, 'другое сообщение', { messageId: 43 }),
      ]);
      expect(again.map((i) => i.text)).toEqual(['другое сообщение']);
      expect((await store.load(-9, 'test-4')).items.map((i) => i.id)).toEqual([first?.id, again[0]?.id]);
    });

    it('adds feedback to a bot reply and its recalled memories, moving the stamp', async () => {
      const [fact] = await store.insert([row(-3, 'я из Томска', { kind: 'fact' })]);
      const [reply] = await store.insert([
        row(-3, 'Томск — город студентов', { kind: 'bot', fromId: 99, messageId: 501, recalledIds: [fact?.id ?? 0] }),
      ]);
      const before = await store.stamp(-3, 'test-4');
      const updates = await store.addFeedback(-3, 501, -1);
      expect(updates.map((u) => [u.id, u.feedback]).sort()).toEqual(
        [
          [fact?.id, -1],
          [reply?.id, -1],
        ].sort(),
      );
      const after = await store.stamp(-3, 'test-4');
      expect(after.live).toBe(before.live);
      expect(after.maxRevision).toBeGreaterThan(before.maxRevision);
      expect(await store.addFeedback(-3, 999, 1)).toEqual([]);
    });

    it('prunes beyond the newest N and before a time, and forgets a member (not the bot)', async () => {
      await store.insert([
        row(-4, 'old', { ms: NOW - 40 * DAY }),
        row(-4, 'a', { ms: NOW - 3 }),
        row(-4, 'b', { ms: NOW - 2 }),
        row(-4, 'c', { ms: NOW - 1 }),
      ]);
      const pruned = await store.prune(-4, 2, NOW - 30 * DAY);
      expect(pruned).toHaveLength(2);
      expect((await store.load(-4, 'test-4')).items.map((i) => i.text)).toEqual(['b', 'c']);

      await store.insert([
        row(-5, 'mine', { fromId: 7 }),
        row(-6, 'mine too', { fromId: 7 }),
        row(-5, 'bot about 7', { fromId: 7, kind: 'bot' }),
      ]);
      const inOne = await store.forgetUser(7, -5);
      expect([...inOne.keys()]).toEqual([-5]);
      const everywhere = await store.forgetUser(7);
      expect([...everywhere.keys()]).toEqual([-6]);
      expect((await store.load(-5, 'test-4')).items.map((i) => i.text)).toEqual(['bot about 7']);
    });

    it('rebuilds a chat index from the database after its file was deleted', async () => {
      const first = await startMemory({ store });
      await first.service.remember({
        chatId: -7,
        kind: 'fact',
        text: 'я работаю врачом в больнице',
        fromId: 1,
        ms: first.clock.now(),
        messageId: 1,
      });
      await first.service.remember({
        chatId: -7,
        kind: 'message',
        text: 'в пятницу корпоратив в баре',
        fromId: 2,
        ms: first.clock.now(),
        messageId: 2,
      });
      const dir = first.dir;
      await first.service.close();
      await rm(`${dir}/chat--7.hnsw`);
      await rm(`${dir}/chat--7.meta`);

      const second = await startMemory({ store, dir });
      try {
        const hits = await second.service.recall({ chatId: -7, text: 'кто работает врачом', k: 2 });
        expect(hits.map((h) => h.text)).toEqual(['я работаю врачом в больнице', 'в пятницу корпоратив в баре']);
        expect(second.service.rebuilds.value).toBe(1);
      } finally {
        await second.close();
        await rm(dir, { recursive: true, force: true });
      }
    });
  });
}
