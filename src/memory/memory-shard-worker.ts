import { mkdirSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import * as Comlink from 'comlink';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import { ChatIndex } from './chat-index.js';
import { HashEmbedder } from './hash-embedder.js';
import type { IndexStamp, MemoryItem } from '../ports/index.js';
import type { MemoryHit, SearchFilter } from './memory-item.js';
import type { AddResult, LoadResult, MemoryShardApi, ShardStats } from './memory-shard-api.js';

export interface MemoryShardWorkerData {
  /** Where index files are written and read. */
  dir: string;
  /** Dimensions of the hash embedder that embeds recall queries in the shard; null when queries come embedded. */
  queryHashDims: number | null;
}

/** The indexes of the chats one shard owns, served to the main thread through comlink. */
class MemoryShard implements MemoryShardApi {
  private readonly chats = new Map<number, ChatIndex>();

  private readonly queryEmbedder: HashEmbedder | null;

  /** Loads and unloads under way: they read or write index files on libuv's pool, which an exit must not cut. */
  private readonly pending = new Set<Promise<unknown>>();

  constructor(
    private readonly dir: string,
    queryHashDims: number | null,
    /** Stops taking calls: those sent after `exit` stay unanswered and fail when the thread is gone. */
    private readonly stopTakingCalls: () => void,
  ) {
    mkdirSync(dir, { recursive: true });
    this.queryEmbedder = queryHashDims === null ? null : new HashEmbedder(queryHashDims);
  }

  async load(chatId: number, dims: number, expected: IndexStamp): Promise<LoadResult> {
    if (this.chats.has(chatId)) return 'loaded';
    if (expected.live === 0) {
      const empty = ChatIndex.create(chatId, dims);
      empty.noteRevision(expected.maxRevision);
      this.chats.set(chatId, empty);
      return 'loaded';
    }
    const read = await this.track(ChatIndex.read(this.dir, chatId, expected));
    if (typeof read === 'string') return read;
    this.chats.set(chatId, read);
    return 'loaded';
  }

  add(chatId: number, items: MemoryItem[], vectors: Float32Array): Promise<AddResult> {
    const index = this.loaded(chatId);
    const added = index.add(items, vectors);
    return Promise.resolve({ added, live: index.live, oldestMs: index.oldestMs() });
  }

  search(chatId: number, vector: Float32Array, k: number, filter?: SearchFilter): Promise<MemoryHit[]> {
    return Promise.resolve(this.loaded(chatId).search(vector, k, filter));
  }

  searchText(chatId: number, text: string, k: number, filter?: SearchFilter): Promise<MemoryHit[]> {
    if (this.queryEmbedder === null) throw new Error('this memory shard was started without a query embedder');
    const vector = this.queryEmbedder.embedSync([text]);
    if (isZero(vector)) return Promise.resolve([]);
    return Promise.resolve(this.loaded(chatId).search(vector, k, filter));
  }

  remove(chatId: number, ids: number[]): Promise<number> {
    return Promise.resolve(this.loaded(chatId).remove(ids));
  }

  setFeedback(chatId: number, updates: Array<{ id: number; feedback: number; revision: number }>): Promise<void> {
    const index = this.loaded(chatId);
    for (const u of updates) index.setFeedback(u.id, u.feedback, u.revision);
    return Promise.resolve();
  }

  async unload(chatId: number, persist: boolean): Promise<void> {
    const index = this.chats.get(chatId);
    if (index === undefined) return;
    if (persist) await this.track(index.write(this.dir));
    this.chats.delete(chatId);
  }

  async exit(code: number): Promise<void> {
    this.stopTakingCalls();
    await Promise.allSettled([...this.pending]);
    // After this answer is posted: the calls before it have all run, and nothing of hnswlib is on the stack.
    setImmediate(() => process.exit(code));
  }

  stats(): Promise<ShardStats> {
    let vectors = 0;
    let indexBytes = 0;
    for (const index of this.chats.values()) {
      vectors += index.live;
      indexBytes += index.nativeBytes;
    }
    // Twice: array buffers found dead are freed in the background, and the next collection finishes that first.
    const gc = (globalThis as { gc?: () => void }).gc;
    gc?.();
    gc?.();
    const { heapUsed, external } = process.memoryUsage(); // this thread's isolate, not the process
    return Promise.resolve({ chats: this.chats.size, vectors, heapBytes: heapUsed + external, indexBytes });
  }

  private async track<T>(work: Promise<T>): Promise<T> {
    this.pending.add(work);
    try {
      return await work;
    } finally {
      this.pending.delete(work);
    }
  }

  private loaded(chatId: number): ChatIndex {
    const index = this.chats.get(chatId);
    if (index === undefined) throw new Error(`chat ${chatId} is not loaded in this memory shard`);
    return index;
  }
}

function isZero(vector: Float32Array): boolean {
  for (let i = 0; i < vector.length; i++) if (vector[i] !== 0) return false;
  return true;
}

if (parentPort === null) throw new Error('memory-shard-worker must run in a worker thread');
const port = parentPort;
const data = workerData as MemoryShardWorkerData;
Comlink.expose(
  new MemoryShard(data.dir, data.queryHashDims, () => port.removeAllListeners('message')),
  nodeEndpoint(port),
);
