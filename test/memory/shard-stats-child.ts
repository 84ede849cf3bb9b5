// Runs under `node --expose-gc` (see shard-stats.test.ts): the shard threads
// inherit the flag, so their stats collect garbage first and report what is held.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { EXACT_INITIAL_ROWS, MemoryShards, type ShardStats } from '../../src/memory/index.js';
import { memoryItem } from './memory-items.js';

const DIMS = 384;
const CHATS = 40;
const PER_CHAT = EXACT_INITIAL_ROWS;

function vectors(first: number, count: number): Float32Array {
  const out = new Float32Array(count * DIMS);
  for (let i = 0; i < out.length; i++) out[i] = Math.sin(first * 31 + i);
  return out;
}

const dir = await mkdtemp(path.join(tmpdir(), 'lekha-shard-stats-'));
const shards = new MemoryShards({ shards: 2, dir });
try {
  const chats = Array.from({ length: CHATS }, (_, i) => -500 - i);
  // The threads' start-up leaves code and garbage that the first few collections shed: settle before the baseline.
  for (let i = 0; i < 5; i++) await shards.stats();
  const empty = await shards.stats();
  // A chat loads with room for EXACT_INITIAL_ROWS rows in its exact tier; then as many memories fill them.
  for (const chat of chats) await shards.call(chat, (api) => api.load(chat, DIMS, { live: 0, maxRevision: 0 }));
  const loaded = await shards.stats();
  let id = 1;
  for (const chat of chats) {
    const items = Array.from({ length: PER_CHAT }, () => {
      const n = id++;
      // A long text (1,000 characters of UTF-16) per item, so what the items add stands well above the heap's noise.
      return memoryItem(n, { text: `заметка номер ${n} о том, что обсуждали в чате. `.repeat(40).slice(0, 1000) });
    });
    await shards.call(chat, (api) => api.add(chat, items, vectors(id, PER_CHAT)));
  }
  const after: ShardStats = await shards.stats();
  process.send?.({ empty, loaded, after, shardsUsed: new Set(chats.map((chat) => shards.shardOf(chat))).size });
} finally {
  await shards.close();
  await rm(dir, { recursive: true, force: true });
}
