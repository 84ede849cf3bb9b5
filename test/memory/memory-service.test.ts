import { readdir, rm } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { InMemoryMemoryStore, type RememberRequest } from '../../src/memory/index.js';
import { type MemoryHarness, startMemory } from './memory-harness.js';

const harnesses: MemoryHarness[] = [];
afterEach(async () => {
  await Promise.all(harnesses.splice(0).map((h) => h.close()));
});

async function harness(...args: Parameters<typeof startMemory>): Promise<MemoryHarness> {
  const h = await startMemory(...args);
  harnesses.push(h);
  return h;
}

let nextMessageId = 1;

/** A memory of its own message (each call a new message id unless given). */
function memory(chatId: number, text: string, extra: Partial<RememberRequest> = {}): RememberRequest {
  return { chatId, kind: 'message', text, fromId: 7, ms: Date.UTC(2026, 10, 1), messageId: nextMessageId++, ...extra };
}

describe('MemoryService', () => {
  it('recalls what was remembered, nearest first', async () => {
    const { service } = await harness();
    await service.remember(memory(-1, 'я работаю программистом в Казани'));
    await service.remember(memory(-1, 'в субботу идём на рыбалку на озеро'));
    await service.remember(memory(-1, 'my cat is called Barsik and he is ginger'));
    const hits = await service.recall({ chatId: -1, text: 'кто работает программистом?', k: 3 });
    expect(hits.map((h) => h.text)[0]).toBe('я работаю программистом в Казани');
    expect(hits[0]?.similarity).toBeGreaterThan(hits[1]?.similarity ?? 1);
    expect(hits).toHaveLength(3);
  });

  it('embeds recall queries in the shard, finding what the pool path finds, without a pool task', async () => {
    const inShards = await harness();
    const viaPool = await harness({ queriesInShards: false });
    const lines = [
      'я работаю программистом в Казани',
      'в субботу идём на рыбалку на озеро',
      'my cat is called Barsik and he is ginger',
      'завтра дождь, берите зонты',
    ];
    for (const h of [inShards, viaPool]) for (const line of lines) await h.service.remember(memory(-3, line));
    const query = { chatId: -3, text: 'кто пойдёт на рыбалку в субботу?', k: 4 };
    const tasksBefore = inShards.pool.stats().completed;
    const found = await inShards.service.recall(query);
    expect(inShards.pool.stats().completed).toBe(tasksBefore);
    const viaPoolTasksBefore = viaPool.pool.stats().completed;
    const expected = await viaPool.service.recall(query);
    expect(viaPool.pool.stats().completed).toBe(viaPoolTasksBefore + 1);
    expect(found.map((h) => [h.text, h.similarity])).toEqual(expected.map((h) => [h.text, h.similarity]));
    expect(found[0]?.text).toBe('в субботу идём на рыбалку на озеро');
    expect(await inShards.service.recall({ chatId: -3, text: '?!', k: 3 })).toEqual([]);
  });

  it('narrows a search by kind, excluded ids and time', async () => {
    const { service } = await harness();
    const day = 86_400_000;
    const now = Date.UTC(2026, 10, 1);
    const fact = await service.remember(
      memory(-15, 'я люблю кататься на велосипеде по лесу', { kind: 'fact', ms: now - 10 * day }),
    );
    const message = await service.remember(
      memory(-15, 'кто поедет кататься на велосипеде в субботу', { ms: now - day }),
    );
    await service.remember(memory(-15, 'бот ответил про велосипеды и лес', { kind: 'bot', ms: now }));
    if (!fact.stored || !message.stored) throw new Error('not stored');
    const text = 'кататься на велосипеде';
    expect((await service.recall({ chatId: -15, text, k: 5, filter: { kinds: ['fact'] } })).map((h) => h.id)).toEqual([
      fact.id,
    ]);
    expect(
      (
        await service.recall({ chatId: -15, text, k: 5, filter: { excludeIds: [fact.id], kinds: ['fact', 'message'] } })
      ).map((h) => h.id),
    ).toEqual([message.id]);
    expect(
      (await service.recall({ chatId: -15, text, k: 5, filter: { sinceMs: now - 2 * day } })).map((h) => h.kind).sort(),
    ).toEqual(['bot', 'message']);
  });

  it('keeps chats apart', async () => {
    const { service } = await harness();
    await service.remember(memory(-1, 'секретный план чата один'));
    await service.remember(memory(-2, 'совсем другой чат про футбол'));
    const hits = await service.recall({ chatId: -2, text: 'секретный план', k: 5 });
    expect(hits.map((h) => h.text)).toEqual(['совсем другой чат про футбол']);
  });

  it('lands concurrent adds from many chats exactly once each', async () => {
    const { service, store } = await harness({ shards: 3 });
    const chats = Array.from({ length: 30 }, (_, i) => -1000 - i);
    const writes = chats.flatMap((chatId) =>
      Array.from({ length: 10 }, (_, j) =>
        service.remember(memory(chatId, `chat ${chatId} line ${j} about topic ${j * 7}`)),
      ),
    );
    const outcomes = await Promise.all(writes);
    expect(outcomes.every((o) => o.stored)).toBe(true);
    for (const chatId of chats) {
      const hits = await service.recall({ chatId, text: `chat ${chatId} line`, k: 50 });
      expect(hits).toHaveLength(10);
      expect(new Set(hits.map((h) => h.id)).size).toBe(10);
      expect((await store.stamp(chatId, 'hash-384')).live).toBe(10);
    }
    expect(service.stats().loadedChats).toBe(30);
  });

  it('releases the indexes of chats that move to another member, so it sees what that member added when they come back', async () => {
    const store = new InMemoryMemoryStore();
    const { service: here } = await harness({ store });
    const { service: there } = await harness({ store });
    await here.remember(memory(-1, 'первая мысль про рыбалку'));
    await here.remember(memory(-2, 'чат два остаётся здесь'));
    expect(here.stats().loadedChats).toBe(2);
    // Chat -1 moves away; the other member adds to it.
    expect(await here.release((chatId) => chatId === -1)).toBe(1);
    expect(here.stats().loadedChats).toBe(1);
    await there.remember(memory(-1, 'вторая мысль про рыбалку на озере'));
    // Back here: the index is loaded again from the store, with the other member's memory.
    const hits = await here.recall({ chatId: -1, text: 'мысль про рыбалку', k: 5 });
    expect(hits.map((h) => h.text).sort()).toEqual(['вторая мысль про рыбалку на озере', 'первая мысль про рыбалку']);
  });

  it('writes indexes on close and loads them on the next start without a rebuild', async () => {
    const store = new InMemoryMemoryStore();
    const first = await startMemory({ store });
    await first.service.remember(memory(-5, 'мы поедем на рыбалку в субботу'));
    await first.service.remember(memory(-5, 'лучшая пицца в городе на углу'));
    const dir = first.dir;
    await first.service.close();
    expect((await readdir(dir)).sort()).toEqual(['chat--5.hnsw', 'chat--5.meta']);

    const second = await harness({ store, dir });
    const hits = await second.service.recall({ chatId: -5, text: 'рыбалка в субботу', k: 1 });
    expect(hits[0]?.text).toBe('мы поедем на рыбалку в субботу');
    expect(second.service.rebuilds.value).toBe(0);
    await rm(dir, { recursive: true, force: true });
  });

  it('rebuilds an index whose file is missing or stale from the store', async () => {
    const store = new InMemoryMemoryStore();
    const first = await startMemory({ store });
    await first.service.remember(memory(-6, 'мой любимый фильм — Брат 2'));
    const dir = first.dir;
    await first.service.close();
    // Stored after the file was written: the file is stale now.
    const [vector] = [new Float32Array(384).fill(1 / Math.sqrt(384))];
    await store.insert([
      {
        chatId: -6,
        kind: 'fact',
        text: 'added while the index was away',
        fromId: 8,
        ms: 1,
        messageId: 2,
        recalledIds: [],
        embedder: 'hash-384',
        vector,
      },
    ]);

    const second = await harness({ store, dir });
    const hits = await second.service.recall({ chatId: -6, text: 'любимый фильм', k: 5 });
    expect(hits.map((h) => h.text).sort()).toEqual(['added while the index was away', 'мой любимый фильм — Брат 2']);
    expect(second.service.rebuilds.value).toBe(1);

    await second.service.close();
    await rm(`${dir}/chat--6.hnsw`);
    const third = await harness({ store, dir });
    expect(await third.service.recall({ chatId: -6, text: 'любимый фильм', k: 5 })).toHaveLength(2);
    expect(third.service.rebuilds.value).toBe(1);
    await rm(dir, { recursive: true, force: true });
  });

  it('adds up every shard’s chats and vectors (their bytes: shard-stats.test.ts, under --expose-gc)', async () => {
    const { service, shards } = await harness({ shards: 2 });
    expect(await shards.stats()).toMatchObject({ chats: 0, vectors: 0, indexBytes: 0 });
    const chats = Array.from({ length: 40 }, (_, i) => -100 - i);
    expect(new Set(chats.map((chat) => shards.shardOf(chat))).size).toBe(2);
    for (const chat of chats)
      for (let m = 0; m < 8; m++) await service.remember(memory(chat, `заметка ${m} про чат ${chat}`));
    await expect.poll(async () => (await shards.stats()).vectors, { timeout: 15_000 }).toBe(40 * 8);
    expect(await shards.stats()).toMatchObject({ chats: 40, indexBytes: 0 });
  });

  it('restarts a crashed shard, fails the calls in flight fast, and reloads its chats', async () => {
    const { service, shards } = await harness({ shards: 1 });
    await service.remember(memory(-9, 'запомни: пароль от вайфая на холодильнике'));
    await service.remember(memory(-9, 'завтра собрание в десять утра'));
    expect(shards.callsInFlight).toBe(0);
    const inFlight = shards.call(-9, (api) => new Promise<never>(() => void api.stats()));
    expect(shards.callsInFlight).toBe(1);
    await shards.kill(0);
    await expect(inFlight).rejects.toMatchObject({ code: 'MEMORY_SHARD_DOWN' });
    expect(shards.restarts).toBe(1);
    // The restarted shard reloads the chat (from the store: it was never written to disk).
    await expect.poll(() => shards.isLoaded(-9), { timeout: 15_000 }).toBe(true);
    const hits = await service.recall({ chatId: -9, text: 'собрание завтра', k: 2 });
    expect(hits[0]?.text).toBe('завтра собрание в десять утра');
    expect(service.rebuilds.value).toBe(1);
    // Every call settled is let go of, the failed one included.
    expect(shards.callsInFlight).toBe(0);
  });

  it('rebuilds a crashed shard’s index from the in-process store’s texts alone, finding exactly what it found before', async () => {
    const { service, shards, store } = await harness({ shards: 1 });
    const texts = [
      'запомни: пароль от вайфая на холодильнике',
      'завтра собрание в десять утра',
      'Маша любит кататься на лыжах',
      'мой любимый фильм — Брат 2',
      'в субботу едем на рыбалку',
    ];
    for (const text of texts) await service.remember(memory(-10, text));
    const queries = ['собрание завтра', 'рыбалка в субботу', 'любимый фильм', 'пароль'];
    const before = await Promise.all(queries.map((text) => service.recall({ chatId: -10, text, k: 5 })));
    // The store keeps texts, not vectors: the index in the shard is their only copy.
    expect((await store.load(-10, 'hash-384')).vectors).toBeNull();

    await shards.kill(0);
    await expect.poll(() => service.rebuilds.value, { timeout: 15_000 }).toBe(1);
    await expect.poll(() => shards.isLoaded(-10), { timeout: 15_000 }).toBe(true);
    const after = await Promise.all(queries.map((text) => service.recall({ chatId: -10, text, k: 5 })));
    expect(after).toEqual(before);
    expect(before.every((hits) => hits.length === texts.length)).toBe(true);
  });

  it('forgets a member: their memories leave the store and the results', async () => {
    const { service, store } = await harness();
    await service.remember(memory(-3, 'Петя любит кататься на сноуборде', { fromId: 1 }));
    await service.remember(memory(-3, 'Маша любит кататься на лыжах', { fromId: 2 }));
    await service.remember(memory(-4, 'Петя в другом чате про сноуборд', { fromId: 1 }));
    expect(await service.forgetUser(1, -3)).toBe(1);
    const hits = await service.recall({ chatId: -3, text: 'кататься на сноуборде', k: 5 });
    expect(hits.map((h) => h.fromId)).toEqual([2]);
    expect((await store.stamp(-4, 'hash-384')).live).toBe(1);
    expect(await service.forgetUser(1)).toBe(1);
    expect(await service.recall({ chatId: -4, text: 'сноуборд', k: 5 })).toEqual([]);
  });

  it('adds feedback to a bot reply and the memories recalled for it', async () => {
    const { service } = await harness();
    const fact = await service.remember(memory(-8, 'я живу в Новосибирске', { kind: 'fact', fromId: 3 }));
    if (!fact.stored) throw new Error('not stored');
    await service.remember(
      memory(-8, 'в Новосибирске сейчас минус тридцать', {
        kind: 'bot',
        fromId: 99,
        messageId: 500,
        recalledIds: [fact.id],
      }),
    );
    expect(await service.feedback(-8, 500, 1)).toBe(2);
    expect(await service.feedback(-8, 404, 1)).toBe(0);
    const hits = await service.recall({ chatId: -8, text: 'Новосибирск', k: 5 });
    expect(hits.map((h) => h.feedback)).toEqual([1, 1]);
  });

  it('enforces retention by count and by age', async () => {
    const { service, clock } = await harness({ service: { retention: { maxPerChat: 3, maxAgeMs: 30 * 86_400_000 } } });
    const now = clock.now();
    await service.remember(memory(-11, 'очень старое сообщение про погоду', { ms: now - 40 * 86_400_000 }));
    for (let i = 0; i < 4; i++)
      await service.remember(memory(-11, `свежее сообщение номер ${i} про погоду`, { ms: now - i * 1000 }));
    const hits = await service.recall({ chatId: -11, text: 'сообщение про погоду', k: 10 });
    expect(hits.map((h) => h.text).sort()).toEqual([
      'свежее сообщение номер 0 про погоду',
      'свежее сообщение номер 1 про погоду',
      'свежее сообщение номер 2 про погоду',
    ]);
  });

  it('drops writes when the pool is saturated, counts them, and answers at once', async () => {
    const { service, pool } = await harness({ pool: { threads: 1, maxQueue: 1, maxBatch: 1 } });
    let settled = 0;
    const writes = Array.from({ length: 200 }, (_, i) =>
      service.remember(memory(-12, `сообщение номер ${i} для проверки очереди`)).finally(() => {
        settled++;
      }),
    );
    // Before the pool could have answered anything (one event-loop turn), every dropped write is already settled.
    await new Promise((resolve) => setImmediate(resolve));
    const settledAtOnce = settled;
    const outcomes = await Promise.all(writes);
    const dropped = outcomes.filter((o) => !o.stored).length;
    expect(dropped).toBeGreaterThan(0);
    expect(settledAtOnce).toBe(dropped);
    expect(service.dropped.value).toBe(dropped);
    expect(outcomes.filter((o) => o.stored).length).toBe(200 - dropped);
    expect(pool.stats().queued).toBe(0);
  });

  it('remembers a message once, however often it is processed', async () => {
    const { service } = await harness();
    expect(await service.remember(memory(-14, 'мы переезжаем в Питер в марте', { messageId: 9 }))).toMatchObject({
      stored: true,
    });
    expect(await service.remember(memory(-14, 'мы переезжаем в Питер в марте', { messageId: 9 }))).toEqual({
      stored: false,
      reason: 'duplicate',
    });
    expect(await service.recall({ chatId: -14, text: 'переезжаем в Питер', k: 5 })).toHaveLength(1);
  });

  it('returns nothing for a query with nothing to embed, and skips such memories', async () => {
    const { service } = await harness();
    expect(await service.remember(memory(-13, '!!! ???'))).toEqual({ stored: false, reason: 'empty' });
    expect(await service.recall({ chatId: -13, text: '...', k: 3 })).toEqual([]);
  });
});
