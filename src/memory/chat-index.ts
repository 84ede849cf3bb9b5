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
/**
 * Up to this many points a chat's memories are searched exactly; past it
 * they move into an HNSW index. An hnswlib index costs about 2.6 MB of
 * native memory however small it is (it allocates 65,536 label locks up
 * front), while most chats hold a few dozen memories: an exact search of
 * 1,024 vectors of 384 dims takes well under a millisecond and its memory
 * is just the vectors.
 */
export const EXACT_LIMIT = 1024;
/**
 * Rows of a new chat's exact tier (a row of 384 dims is 1.5 KB). It grows by
 * a quarter, at least 4 rows, as memories come: a chat holds a dozen or so,
 * so doubling would leave a third of its rows empty, while growing by a
 * quarter copies each row about four times on the way to EXACT_LIMIT.
 */
export const EXACT_INITIAL_ROWS = 4;

/** The metadata file written next to an index file. */
interface IndexMeta {
  version: number;
  chatId: number;
  dims: number;
  stamp: IndexStamp;
  items: MemoryItem[];
  /** The index file holds the exact tier's vectors (msgpack), not an hnswlib index. Absent: hnswlib. */
  exact?: boolean;
}

/** The exact tier's index file. */
interface ExactFile {
  labels: number[];
  /** The unit vectors, row by row: Float32 bytes. */
  vectors: Uint8Array;
}

/** A nearest-neighbour answer in hnswlib's shape: labels and cosine distances, nearest first. */
interface KnnResult {
  neighbors: number[];
  distances: number[];
}

/**
 * Vectors searched one by one: unit vectors packed in a Float32Array that
 * grows by doubling, a removed row replaced by the last one. Distances are
 * hnswlib's cosine (1 − the dot product of unit vectors), so the two tiers
 * rank alike.
 */
class ExactVectors {
  private data: Float32Array;
  private readonly labels: number[] = [];
  private readonly rows = new Map<number, number>();

  constructor(
    private readonly dims: number,
    capacity: number,
  ) {
    this.data = new Float32Array(Math.max(capacity, 1) * dims);
  }

  get size(): number {
    return this.labels.length;
  }

  has(label: number): boolean {
    return this.rows.has(label);
  }

  add(vector: Float32Array, label: number): void {
    const { dims } = this;
    const row = this.labels.length;
    if ((row + 1) * dims > this.data.length) {
      const grown = new Float32Array(Math.max(row + 4, Math.ceil(row * 1.25)) * dims);
      grown.set(this.data);
      this.data = grown;
    }
    let norm = 0;
    for (let i = 0; i < dims; i++) norm += (vector[i] as number) * (vector[i] as number);
    // The same guard against a zero vector as hnswlib's normalisation.
    const scale = 1 / (Math.sqrt(norm) + 1e-30);
    const at = row * dims;
    for (let i = 0; i < dims; i++) this.data[at + i] = (vector[i] as number) * scale;
    this.labels.push(label);
    this.rows.set(label, row);
  }

  remove(label: number): void {
    const row = this.rows.get(label);
    if (row === undefined) return;
    const last = this.labels.length - 1;
    if (row !== last) {
      const moved = this.labels[last] as number;
      this.data.copyWithin(row * this.dims, last * this.dims, (last + 1) * this.dims);
      this.labels[row] = moved;
      this.rows.set(moved, row);
    }
    this.labels.pop();
    this.rows.delete(label);
  }

  /** Every row, for moving into an HNSW index. */
  *entries(): Generator<[label: number, vector: Float32Array]> {
    for (let row = 0; row < this.labels.length; row++)
      yield [this.labels[row] as number, this.data.subarray(row * this.dims, (row + 1) * this.dims)];
  }

  search(query: Float32Array, k: number, pass?: (label: number) => boolean): KnnResult {
    const { dims, data } = this;
    let norm = 0;
    for (let i = 0; i < dims; i++) norm += (query[i] as number) * (query[i] as number);
    const scale = 1 / (Math.sqrt(norm) + 1e-30);
    // The k best so far, nearest first (k is a handful: insertion beats a heap).
    const neighbors: number[] = [];
    const distances: number[] = [];
    for (let row = 0; row < this.labels.length; row++) {
      const label = this.labels[row] as number;
      if (pass !== undefined && !pass(label)) continue;
      let dot = 0;
      const at = row * dims;
      for (let i = 0; i < dims; i++) dot += (data[at + i] as number) * (query[i] as number);
      const distance = 1 - dot * scale;
      if (neighbors.length === k && distance >= (distances[k - 1] as number)) continue;
      let slot = neighbors.length === k ? k - 1 : neighbors.length;
      while (slot > 0 && (distances[slot - 1] as number) > distance) {
        distances[slot] = distances[slot - 1] as number;
        neighbors[slot] = neighbors[slot - 1] as number;
        slot--;
      }
      distances[slot] = distance;
      neighbors[slot] = label;
    }
    return { neighbors, distances };
  }

  encode(): ExactFile {
    const used = this.data.subarray(0, this.labels.length * this.dims);
    return { labels: [...this.labels], vectors: new Uint8Array(used.buffer.slice(0, used.byteLength)) };
  }

  static decode(file: ExactFile, dims: number): ExactVectors | null {
    if (!Array.isArray(file.labels) || !(file.vectors instanceof Uint8Array)) return null;
    if (file.vectors.byteLength !== file.labels.length * dims * 4) return null;
    const exact = new ExactVectors(dims, Math.max(EXACT_INITIAL_ROWS, file.labels.length));
    const bytes = file.vectors;
    exact.data.set(new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)));
    file.labels.forEach((label, row) => {
      exact.labels.push(label);
      exact.rows.set(label, row);
    });
    return exact;
  }
}

/** Where a chat's index and metadata files live under a directory. */
export function indexFiles(dir: string, chatId: number): { index: string; meta: string } {
  const base = path.join(dir, `chat-${chatId}`);
  return { index: `${base}.hnsw`, meta: `${base}.meta` };
}

/**
 * One chat's memories: their vectors, searched exactly while there are at
 * most EXACT_LIMIT of them and through an HNSW index (cosine) after that,
 * plus the items themselves, keyed by id. Only one thread ever holds a chat's index
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

  /** Exactly one of the two tiers holds the vectors: `exact` up to EXACT_LIMIT points, then `hnsw`. */
  private constructor(
    readonly chatId: number,
    readonly dims: number,
    private hnsw: Hnsw | null,
    private exact: ExactVectors | null,
  ) {}

  /** An empty index with room for `capacity` points (more are made room for as they come). */
  static create(chatId: number, dims: number, capacity = EXACT_INITIAL_ROWS): ChatIndex {
    if (capacity > EXACT_LIMIT)
      return new ChatIndex(chatId, dims, newHnsw(dims, Math.max(capacity, INITIAL_CAPACITY)), null);
    return new ChatIndex(chatId, dims, null, new ExactVectors(dims, Math.max(capacity, 1)));
  }

  /** Which tier holds the vectors now. */
  get tier(): 'exact' | 'hnsw' {
    return this.exact !== null ? 'exact' : 'hnsw';
  }

  /** Native bytes hnswlib allocated for this chat's HNSW index (0 in the exact tier, whose vectors are on the V8 side). */
  get nativeBytes(): number {
    return this.hnsw === null ? 0 : hnswBytes(this.dims, this.hnsw.getMaxElements(), this.hnsw.getCurrentCount());
  }

  /** Builds an index of `items` (vectors packed in the same order). */
  static build(chatId: number, dims: number, items: readonly MemoryItem[], vectors: Float32Array): ChatIndex {
    const index = ChatIndex.create(chatId, dims, Math.max(1, items.length));
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
    if (meta.exact === true) {
      let exact: ExactVectors | null;
      try {
        exact = ExactVectors.decode(new Codec().decode(await readFile(files.index)) as ExactFile, meta.dims);
      } catch {
        return 'stale';
      }
      if (exact === null) return 'stale';
      const index = new ChatIndex(chatId, meta.dims, null, exact);
      for (const item of meta.items) index.items.set(item.id, item);
      index.maxRevision = meta.stamp.maxRevision;
      if (exact.size !== index.items.size || meta.items.some((item) => !exact.has(item.id))) return 'stale';
      return index;
    }
    const hnsw = new HierarchicalNSW('cosine', meta.dims);
    try {
      await hnsw.readIndex(files.index);
    } catch {
      return 'stale';
    }
    // readIndex resets ef to 10.
    hnsw.setEf(SEARCH_EF);
    const index = new ChatIndex(chatId, meta.dims, hnsw, null);
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
      const vector = vectors.subarray(i * this.dims, (i + 1) * this.dims);
      if (this.exact !== null && this.exact.size < EXACT_LIMIT) this.exact.add(vector, item.id);
      else {
        const hnsw = this.ensureCapacity(1);
        // A deleted label is never reused: ids come from the store and only grow.
        hnsw.addPoint(Array.from(vector), item.id);
      }
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
      if (this.exact !== null) this.exact.remove(id);
      else this.hnsw?.markDelete(id);
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
    const result: KnnResult =
      this.exact !== null
        ? this.exact.search(query, count, narrowed ? pass : undefined)
        : narrowed
          ? (this.hnsw as Hnsw).searchKnn(Array.from(query), count, pass)
          : (this.hnsw as Hnsw).searchKnn(Array.from(query), count);
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
      ...(this.exact !== null ? { exact: true } : {}),
    };
    // The metadata goes last and names the stamp: a crash between the two
    // renames leaves a new index with old metadata, which reads as stale.
    await rm(files.meta, { force: true });
    if (this.exact !== null) await writeFile(`${files.index}.tmp`, new Codec().encode(this.exact.encode()));
    else await (this.hnsw as Hnsw).writeIndex(`${files.index}.tmp`);
    await rename(`${files.index}.tmp`, files.index);
    await writeFile(`${files.meta}.tmp`, new Codec().encode(meta));
    await rename(`${files.meta}.tmp`, files.meta);
  }

  /** The HNSW index with room for `more` points; the exact tier's points move into a new one first. */
  private ensureCapacity(more: number): Hnsw {
    if (this.hnsw === null) {
      const exact = this.exact as ExactVectors;
      const hnsw = newHnsw(this.dims, Math.max(INITIAL_CAPACITY, (exact.size + more) * 2));
      for (const [label, vector] of exact.entries()) hnsw.addPoint(Array.from(vector), label);
      this.hnsw = hnsw;
      this.exact = null;
    }
    const hnsw = this.hnsw;
    const needed = hnsw.getCurrentCount() + more;
    const max = hnsw.getMaxElements();
    if (needed > max) hnsw.resizeIndex(Math.max(needed, max * 2));
    return hnsw;
  }
}

/**
 * What hnswlib (src/hnswlib/hnswalg.h) allocates for an index of `capacity`
 * points holding `count`: per point of capacity its level-0 record (links,
 * vector, label), a link-list pointer, its level, a lock and a visited-list
 * slot; 65,536 label locks per index; upper-level links for the ~1/(M−1)
 * points above level 0; ~48 B per point in the label map.
 */
function hnswBytes(dims: number, capacity: number, count: number): number {
  const mutex = 40;
  const level0 = 2 * M * 4 + 4 + dims * 4 + 8;
  const perSlot = level0 + 8 + 4 + mutex + 2;
  const upper = Math.ceil(count / (M - 1)) * (M * 4 + 4);
  return capacity * perSlot + 65_536 * mutex + upper + count * 48;
}

function newHnsw(dims: number, capacity: number): Hnsw {
  const hnsw = new HierarchicalNSW('cosine', dims);
  hnsw.initIndex({
    maxElements: Math.max(capacity, 1),
    m: M,
    efConstruction: EF_CONSTRUCTION,
    randomSeed: RANDOM_SEED,
  });
  hnsw.setEf(SEARCH_EF);
  return hnsw;
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
