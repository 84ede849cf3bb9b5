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
 * is just the vectors' 8-bit codes.
 */
export const EXACT_LIMIT = 1024;
/**
 * Rows of a new chat's exact tier (a row of 384 dims is 388 bytes: its
 * codes and scale). It grows by a quarter, at least 4 rows, as memories
 * come: a chat holds a dozen or so, so doubling would leave a third of its
 * rows empty, while growing by a quarter copies each row about four times
 * on the way to EXACT_LIMIT.
 */
export const EXACT_INITIAL_ROWS = 4;

/** The metadata file written next to an index file. */
interface IndexMeta {
  version: number;
  chatId: number;
  dims: number;
  stamp: IndexStamp;
  /** Files written before items were slimmed hold whole `MemoryItem`s: what is not here is ignored. */
  items: IndexedItem[];
  /** The index file holds the exact tier's vectors (msgpack), not an hnswlib index. Absent: hnswlib. */
  exact?: boolean;
}

/**
 * What an index keeps of a memory: what a search filters on and answers
 * with. The rest of the row (message id, recalled ids, revision) stays in
 * the store; every byte here is held for every memory of every loaded chat.
 */
type IndexedItem = Pick<MemoryItem, 'id' | 'kind' | 'text' | 'fromId' | 'ms' | 'feedback'>;

function indexed({ id, kind, text, fromId, ms, feedback }: IndexedItem): IndexedItem {
  return { id, kind, text, fromId, ms, feedback };
}

/** The exact tier's index file. */
interface ExactFile {
  labels: number[];
  /** The rows' 8-bit codes, row by row. */
  codes?: Uint8Array;
  /** Each row's scale: Float32 bytes. */
  scales?: Uint8Array;
  /** Unit vectors as Float32 bytes, row by row: what files held before the codes (read, never written). */
  vectors?: Uint8Array;
}

/** A nearest-neighbour answer in hnswlib's shape: labels and cosine distances, nearest first. */
interface KnnResult {
  neighbors: number[];
  distances: number[];
}

/** The largest code of a row: its component of largest magnitude maps to ±127. */
const CODE_MAX = 127;

/**
 * Vectors searched one by one, each kept as 8-bit codes: a row's components
 * scaled so the largest is ±127 and rounded, with one Float32 scale that
 * makes the decoded row a unit vector. That is a quarter of the bytes of
 * 32-bit floats, and the cosine of a decoded row with the vector it was made
 * from is above 0.9999 at 384 dims, so the ranking is that of the floats
 * but for near-ties (bench/memory.ts measures recall@10 of this tier against
 * the floats). A removed row is replaced by the last one. Distances are
 * hnswlib's cosine (1 − the dot product of unit vectors), so the two tiers
 * rank alike.
 */
class ExactVectors {
  private codes: Int8Array;
  private scales: Float32Array;
  private readonly labels: number[] = [];
  private readonly rows = new Map<number, number>();

  constructor(
    private readonly dims: number,
    capacity: number,
  ) {
    this.codes = new Int8Array(Math.max(capacity, 1) * dims);
    this.scales = new Float32Array(Math.max(capacity, 1));
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
    if (row === this.scales.length) {
      const rows = Math.max(row + 4, Math.ceil(row * 1.25));
      const codes = new Int8Array(rows * dims);
      codes.set(this.codes);
      this.codes = codes;
      const scales = new Float32Array(rows);
      scales.set(this.scales);
      this.scales = scales;
    }
    this.scales[row] = encodeRow(vector, this.codes, row * dims, dims);
    this.labels.push(label);
    this.rows.set(label, row);
  }

  remove(label: number): void {
    const row = this.rows.get(label);
    if (row === undefined) return;
    const last = this.labels.length - 1;
    if (row !== last) {
      const moved = this.labels[last] as number;
      this.codes.copyWithin(row * this.dims, last * this.dims, (last + 1) * this.dims);
      this.scales[row] = this.scales[last] as number;
      this.labels[row] = moved;
      this.rows.set(moved, row);
    }
    this.labels.pop();
    this.rows.delete(label);
  }

  /** Every row decoded, for moving into an HNSW index (one vector, overwritten row after row). */
  *entries(): Generator<[label: number, vector: Float32Array]> {
    const { dims, codes, scales } = this;
    const vector = new Float32Array(dims);
    for (let row = 0; row < this.labels.length; row++) {
      const scale = scales[row] as number;
      for (let i = 0; i < dims; i++) vector[i] = (codes[row * dims + i] as number) * scale;
      yield [this.labels[row] as number, vector];
    }
  }

  search(query: Float32Array, k: number, pass?: (label: number) => boolean): KnnResult {
    const { dims, codes, scales } = this;
    let norm = 0;
    for (let i = 0; i < dims; i++) norm += (query[i] as number) * (query[i] as number);
    const queryScale = 1 / (Math.sqrt(norm) + 1e-30);
    // The k best so far, nearest first (k is a handful: insertion beats a heap).
    const neighbors: number[] = [];
    const distances: number[] = [];
    for (let row = 0; row < this.labels.length; row++) {
      const label = this.labels[row] as number;
      if (pass !== undefined && !pass(label)) continue;
      let dot = 0;
      const at = row * dims;
      for (let i = 0; i < dims; i++) dot += (codes[at + i] as number) * (query[i] as number);
      const distance = 1 - dot * (scales[row] as number) * queryScale;
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
    const count = this.labels.length;
    return {
      labels: [...this.labels],
      codes: new Uint8Array(this.codes.buffer.slice(0, count * this.dims)),
      scales: new Uint8Array(this.scales.buffer.slice(0, count * 4)),
    };
  }

  /** The tier a file holds, or null when the file is not one (wrong shape or sizes). */
  static decode(file: ExactFile, dims: number): ExactVectors | null {
    if (!Array.isArray(file.labels)) return null;
    const count = file.labels.length;
    const exact = new ExactVectors(dims, Math.max(EXACT_INITIAL_ROWS, count));
    if (file.codes instanceof Uint8Array && file.scales instanceof Uint8Array) {
      if (file.codes.byteLength !== count * dims || file.scales.byteLength !== count * 4) return null;
      exact.codes.set(new Int8Array(file.codes.buffer, file.codes.byteOffset, file.codes.byteLength));
      exact.scales.set(new Float32Array(copyOf(file.scales)));
    } else if (file.vectors instanceof Uint8Array) {
      if (file.vectors.byteLength !== count * dims * 4) return null;
      const vectors = new Float32Array(copyOf(file.vectors));
      for (let row = 0; row < count; row++)
        exact.scales[row] = encodeRow(vectors.subarray(row * dims, (row + 1) * dims), exact.codes, row * dims, dims);
    } else return null;
    file.labels.forEach((label, row) => {
      exact.labels.push(label);
      exact.rows.set(label, row);
    });
    return exact;
  }
}

/**
 * Writes `vector`'s codes at `codes[at…at + dims)` and returns the scale
 * that makes them a unit vector (0 for a zero vector, which then matches
 * nothing, as hnswlib's normalisation of one does).
 */
function encodeRow(vector: Float32Array, codes: Int8Array, at: number, dims: number): number {
  let largest = 0;
  for (let i = 0; i < dims; i++) largest = Math.max(largest, Math.abs(vector[i] as number));
  if (!(largest > 0) || !Number.isFinite(largest)) {
    codes.fill(0, at, at + dims);
    return 0;
  }
  const factor = CODE_MAX / largest;
  let norm = 0;
  for (let i = 0; i < dims; i++) {
    const code = Math.round((vector[i] as number) * factor);
    codes[at + i] = code;
    norm += code * code;
  }
  return 1 / Math.sqrt(norm);
}

/** The bytes of `view` in a buffer of their own, aligned for any typed array. */
function copyOf(view: Uint8Array): ArrayBuffer {
  return new Uint8Array(view).buffer;
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
  private readonly items = new Map<number, IndexedItem>();
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
      for (const item of meta.items) index.items.set(item.id, indexed(item));
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
    for (const item of meta.items) index.items.set(item.id, indexed(item));
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
      this.items.set(item.id, indexed(item));
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
function countDeleted(hnsw: Hnsw, items: ReadonlyMap<number, IndexedItem>): number {
  let deleted = 0;
  for (const label of hnsw.getIdsList()) if (!items.has(label)) deleted++;
  return deleted;
}

function isNotFound(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'ENOENT';
}
