import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import hnswlib from 'hnswlib-node';
import { Codec } from '../runtime/index.js';
import type { IndexStamp, MemoryItem } from '../ports/index.js';
import type { MemoryHit, SearchFilter } from './memory-item.js';

const { HierarchicalNSW } = hnswlib;
type Hnsw = InstanceType<typeof HierarchicalNSW>;

/** HNSW build parameters: M 16 and efConstruction 200 are hnswlib's recommended defaults. */
const M = 16;
const EF_CONSTRUCTION = 200;
/**
 * Search breadth. On hash embeddings of chat lines (bench/memory.ts) ef 64
 * gives recall@10 0.999 at 10k memories but 0.93 at 100k; 128 gives 0.96
 * there at about the same speed.
 */
export const SEARCH_EF = 128;
const INITIAL_CAPACITY = 64;
const RANDOM_SEED = 100;
const FILE_VERSION = 1;

/** The metadata file written next to an index file. */
interface IndexMeta {
  version: number;
  chatId: number;
  dims: number;
  stamp: IndexStamp;
  items: MemoryItem[];
}

/** Where a chat's index and metadata files live under a directory. */
export function indexFiles(dir: string, chatId: number): { index: string; meta: string } {
  const base = path.join(dir, `chat-${chatId}`);
  return { index: `${base}.hnsw`, meta: `${base}.meta` };
}

/**
 * One chat's memories: an HNSW index (cosine) over their vectors plus the
 * items themselves, keyed by id. Only one thread ever holds a chat's index
 * (its memory shard, or a pool task rebuilding it), so nothing here locks.
 *
 * hnswlib's quirks are contained here: the index is grown before it is full
 * (adding past capacity throws), deletions are `markDelete`s that the index
 * still counts (so live items are counted from the item map, and a second
 * delete is never attempted), and points go in and out as plain arrays.
 */
export class ChatIndex {
  private readonly items = new Map<number, MemoryItem>();
  private maxRevision = 0;

  private constructor(
    readonly chatId: number,
    readonly dims: number,
    private readonly hnsw: Hnsw,
  ) {}

  static create(chatId: number, dims: number, capacity = INITIAL_CAPACITY): ChatIndex {
    const hnsw = new HierarchicalNSW('cosine', dims);
    hnsw.initIndex({
      maxElements: Math.max(capacity, 1),
      m: M,
      efConstruction: EF_CONSTRUCTION,
      randomSeed: RANDOM_SEED,
    });
    hnsw.setEf(SEARCH_EF);
    return new ChatIndex(chatId, dims, hnsw);
  }

  /** Builds an index of `items` (vectors packed in the same order). */
  static build(chatId: number, dims: number, items: readonly MemoryItem[], vectors: Float32Array): ChatIndex {
    const index = ChatIndex.create(chatId, dims, Math.max(INITIAL_CAPACITY, items.length));
    index.add(items, vectors);
    return index;
  }

  /**
   * Reads a chat's index from `dir`. Returns `missing` when there is no
   * complete pair of files, `stale` when they were written at another stamp
   * than `expected` (the store changed since) or cannot be read.
   */
  static async read(dir: string, chatId: number, expected: IndexStamp): Promise<ChatIndex | 'missing' | 'stale'> {
    const files = indexFiles(dir, chatId);
    let meta: IndexMeta;
    try {
      meta = new Codec().decode(await readFile(files.meta)) as IndexMeta;
    } catch (error) {
      if (isNotFound(error)) return 'missing';
      return 'stale';
    }
    if (
      meta.version !== FILE_VERSION ||
      meta.chatId !== chatId ||
      meta.stamp.maxRevision !== expected.maxRevision ||
      meta.stamp.live !== expected.live
    ) {
      return 'stale';
    }
    const hnsw = new HierarchicalNSW('cosine', meta.dims);
    try {
      await hnsw.readIndex(files.index);
    } catch {
      return 'stale';
    }
    // readIndex resets ef to 10.
    hnsw.setEf(SEARCH_EF);
    const index = new ChatIndex(chatId, meta.dims, hnsw);
    for (const item of meta.items) index.items.set(item.id, item);
    index.maxRevision = meta.stamp.maxRevision;
    if (hnsw.getCurrentCount() - countDeleted(hnsw, index.items) !== index.items.size) return 'stale';
    return index;
  }

  get live(): number {
    return this.items.size;
  }

  get stamp(): IndexStamp {
    return { maxRevision: this.maxRevision, live: this.items.size };
  }

  /** The oldest item's time, or null when empty. */
  oldestMs(): number | null {
    let oldest: number | null = null;
    for (const item of this.items.values()) if (oldest === null || item.ms < oldest) oldest = item.ms;
    return oldest;
  }

  /**
   * Adds items with their vectors (row `i` of `vectors` is `items[i]`). An
   * id already present is skipped, so a repeated add lands once. Returns how
   * many were added.
   */
  add(items: readonly MemoryItem[], vectors: Float32Array): number {
    if (vectors.length !== items.length * this.dims) {
      throw new RangeError(`expected ${items.length} vectors of ${this.dims} dims, got ${vectors.length} numbers`);
    }
    let added = 0;
    items.forEach((item, i) => {
      if (this.items.has(item.id)) return;
      this.ensureCapacity(1);
      // A deleted label is never reused: ids come from the store and only grow.
      this.hnsw.addPoint(Array.from(vectors.subarray(i * this.dims, (i + 1) * this.dims)), item.id);
      this.items.set(item.id, { ...item });
      this.maxRevision = Math.max(this.maxRevision, item.revision);
      added++;
    });
    return added;
  }

  /** Marks items deleted; unknown or already deleted ids are ignored. Returns how many were removed. */
  remove(ids: readonly number[]): number {
    let removed = 0;
    for (const id of ids) {
      if (!this.items.delete(id)) continue;
      this.hnsw.markDelete(id);
      removed++;
    }
    return removed;
  }

  /** Records a store change that kept the rows (a feedback update) at `revision`. */
  noteRevision(revision: number): void {
    this.maxRevision = Math.max(this.maxRevision, revision);
  }

  /** Sets an item's feedback total; false when the item is not here. */
  setFeedback(id: number, feedback: number, revision: number): boolean {
    const item = this.items.get(id);
    if (item === undefined) return false;
    item.feedback = feedback;
    item.revision = revision;
    this.noteRevision(revision);
    return true;
  }

  /** The `k` nearest live items to `query` that pass `filter`, nearest first. */
  search(query: Float32Array, k: number, filter: SearchFilter = {}): MemoryHit[] {
    if (query.length !== this.dims) throw new RangeError(`expected a query of ${this.dims} dims, got ${query.length}`);
    const count = Math.min(k, this.items.size);
    if (count <= 0) return [];
    const exclude =
      filter.excludeIds === undefined || filter.excludeIds.length === 0 ? null : new Set(filter.excludeIds);
    const kinds = filter.kinds === undefined ? null : new Set(filter.kinds);
    const since = filter.sinceMs ?? null;
    const narrowed = exclude !== null || kinds !== null || since !== null;
    const pass = (label: number): boolean => {
      const item = this.items.get(label);
      if (item === undefined) return false;
      if (exclude?.has(label) === true) return false;
      if (kinds !== null && !kinds.has(item.kind)) return false;
      return since === null || item.ms >= since;
    };
    const result = narrowed
      ? this.hnsw.searchKnn(Array.from(query), count, pass)
      : this.hnsw.searchKnn(Array.from(query), count);
    const hits: MemoryHit[] = [];
    result.neighbors.forEach((id, i) => {
      const item = this.items.get(id);
      if (item === undefined) return;
      hits.push({
        id,
        kind: item.kind,
        text: item.text,
        fromId: item.fromId,
        ms: item.ms,
        feedback: item.feedback,
        similarity: 1 - (result.distances[i] as number),
      });
    });
    return hits;
  }

  /** Writes the index and its metadata to `dir` (each through a temporary file and a rename). */
  async write(dir: string): Promise<void> {
    const files = indexFiles(dir, this.chatId);
    const meta: IndexMeta = {
      version: FILE_VERSION,
      chatId: this.chatId,
      dims: this.dims,
      stamp: this.stamp,
      items: [...this.items.values()],
    };
    // The metadata goes last and names the stamp: a crash between the two
    // renames leaves a new index with old metadata, which reads as stale.
    await rm(files.meta, { force: true });
    await this.hnsw.writeIndex(`${files.index}.tmp`);
    await rename(`${files.index}.tmp`, files.index);
    await writeFile(`${files.meta}.tmp`, new Codec().encode(meta));
    await rename(`${files.meta}.tmp`, files.meta);
  }

  private ensureCapacity(more: number): void {
    const needed = this.hnsw.getCurrentCount() + more;
    const max = this.hnsw.getMaxElements();
    if (needed <= max) return;
    this.hnsw.resizeIndex(Math.max(needed, max * 2));
  }
}

/** Labels the index holds that are no longer items (deleted ones). */
function countDeleted(hnsw: Hnsw, items: ReadonlyMap<number, MemoryItem>): number {
  let deleted = 0;
  for (const label of hnsw.getIdsList()) if (!items.has(label)) deleted++;
  return deleted;
}

function isNotFound(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'ENOENT';
}
