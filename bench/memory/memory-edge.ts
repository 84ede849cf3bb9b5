import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { EmbeddingPool, InMemoryMemoryStore, MemoryService, MemoryShards } from '../../src/memory/index.js';
import { takeLines } from './chat-lines.js';

/** Memory shard threads: one per core of the bench machines. */
const SHARDS = 2;
const EMBED_BATCH = 64;

export interface MemoryEdge {
  service: MemoryService;
  pool: EmbeddingPool;
  store: InMemoryMemoryStore;
  close(): Promise<void>;
}

/** The memory edge as `lekha start` builds it, on the hash embedder and the in-memory store, with an index directory of its own. */
export async function startMemoryEdge(): Promise<MemoryEdge> {
  const dir = await mkdtemp(path.join(tmpdir(), 'lekha-bench-memory-'));
  const store = new InMemoryMemoryStore();
  const pool = new EmbeddingPool({ embedder: { kind: 'hash' } });
  let service: MemoryService | null = null;
  const shards = new MemoryShards({
    shards: SHARDS,
    dir,
    embedder: pool.embedder,
    onRestart: (_, chats) => service?.reload(chats),
  });
  service = new MemoryService({
    pool,
    shards,
    store,
    indexDir: dir,
    retention: { maxPerChat: 10_000, maxAgeMs: 365 * 86_400_000 },
  });
  await service.start();
  const started = service;
  return {
    service: started,
    pool,
    store,
    close: async () => {
      await started.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Bench chat ids: supergroup-like negative numbers. */
export function benchChatId(chat: number): number {
  return -1_001_000_000_000 - chat;
}

/**
 * Gives every chat `perChat` remembered lines: embedded in the pool and
 * written to the store, then loaded by one recall each (which rebuilds the
 * chat's index from the store, as after a restart), so that the timed part
 * finds every index in its shard.
 */
export async function preloadChats(
  edge: MemoryEdge,
  chats: number,
  perChat: number,
  progress: (message: string) => void,
): Promise<void> {
  const embedder = (await edge.pool.describe()).name;
  for (let chat = 0; chat < chats; chat++) {
    if (chat % 20 === 0) progress(`memory: remembering ${perChat} lines in chat ${chat + 1}/${chats}`);
    const chatId = benchChatId(chat);
    const lines = takeLines(10_000 + chat, perChat);
    for (let start = 0; start < lines.length; start += EMBED_BATCH) {
      const batch = lines.slice(start, start + EMBED_BATCH);
      const vectors = await edge.pool.embed(batch);
      const dims = vectors.length / batch.length;
      await edge.store.insert(
        batch.map((text, i) => ({
          chatId,
          kind: 'message' as const,
          text,
          fromId: 1000 + ((start + i) % 25),
          ms: Date.now() - (perChat - start - i) * 60_000,
          messageId: start + i + 1,
          recalledIds: [],
          embedder,
          vector: vectors.subarray(i * dims, (i + 1) * dims),
        })),
      );
    }
  }
  progress(`memory: loading ${chats} chat indexes`);
  for (let chat = 0; chat < chats; chat += 8) {
    await Promise.all(
      Array.from({ length: Math.min(8, chats - chat) }, (_, i) =>
        edge.service.recall({ chatId: benchChatId(chat + i), text: 'привет', k: 10 }),
      ),
    );
  }
}
