import type { Cell, Message } from '../runtime/index.js';

/** Free slots a new or compacted log gets on top of its entries. */
const minSpareSlots = 1024;
/** A compacted log has room for this many entries per live cell before the next compaction. */
const slotsPerLiveCell = 3;

/**
 * Live cells ordered by last activity: exact least-recently-used order, the
 * same order a doubly linked list moved to the front on every use would give.
 *
 * Hand-written as an activation log rather than a linked list because the
 * list was a tenth of routing time: moving a cell to the front writes both of
 * its neighbours, and with many thousands of chats those are cells last used
 * long ago, so each activation paid two cache misses on memory nothing else
 * was touching. Here an activation appends the cell to the end of an array
 * (memory just written) and clears the slot of its previous entry (one array
 * element). Each cell records the slot of its latest entry; slots in front of
 * it that named it are cleared, so the filled slots, in order, are the cells
 * from least to most recently used.
 *
 * When the array is full, its filled slots are moved to its front (to a
 * larger array when the live cells outgrow it), leaving room for
 * {@link slotsPerLiveCell} entries per live cell: one write to each live
 * cell per compaction, which comes once every at least twice as many
 * activations as there are live cells. The log holds at most that many
 * slots (4 bytes each) per live cell, plus {@link minSpareSlots}; as cells
 * are removed it may reach four times that before it shrinks.
 */
export class LruList<M extends Message> {
  /** Cells in order of their latest activation, oldest first; `undefined` where an entry was superseded or removed. */
  private log: (Cell<M> | undefined)[] = new Array<Cell<M> | undefined>(minSpareSlots).fill(undefined);
  /** Slots before this one are all empty. */
  private first = 0;
  /** Slots from this one on were never written since the last compaction. */
  private end = 0;
  private count = 0;

  get size(): number {
    return this.count;
  }

  /** Makes `cell` the most recently used, adding it if it is not in the list. */
  touch(cell: Cell<M>): void {
    const at = cell.lruAt;
    if (at >= 0) {
      if (at === this.end - 1) return; // already the most recent
      this.log[at] = undefined;
    } else {
      this.count++;
    }
    if (this.end === this.log.length) this.compact();
    cell.lruAt = this.end;
    this.log[this.end++] = cell;
  }

  remove(cell: Cell<M>): void {
    const at = cell.lruAt;
    if (at < 0) return;
    this.log[at] = undefined;
    cell.lruAt = -1;
    this.count--;
    // Gives back the memory of a past crowd once most of it has gone.
    if (this.log.length > 4 * (this.count * slotsPerLiveCell + minSpareSlots)) this.compact();
  }

  /**
   * Live cells from the least recently used on, at most `limit`, while
   * `take(cell)` holds. A snapshot: the caller may touch or remove cells
   * while it goes through them.
   */
  oldest(limit: number, take: (cell: Cell<M>) => boolean = () => true): Cell<M>[] {
    const out: Cell<M>[] = [];
    const log = this.log;
    while (this.first < this.end && log[this.first] === undefined) this.first++;
    for (let slot = this.first; slot < this.end && out.length < limit; slot++) {
      const cell = log[slot];
      if (cell === undefined) continue;
      if (!take(cell)) break;
      out.push(cell);
    }
    return out;
  }

  /**
   * Moves the filled slots to the front, in order, and sizes the array for
   * the live cells: in place unless it has to grow, so a steady number of
   * live cells makes no garbage.
   */
  private compact(): void {
    const old = this.log;
    const length = this.count * slotsPerLiveCell + minSpareSlots;
    const log = length > old.length ? new Array<Cell<M> | undefined>(length).fill(undefined) : old;
    let end = 0;
    for (let slot = this.first; slot < this.end; slot++) {
      const cell = old[slot];
      if (cell === undefined) continue;
      cell.lruAt = end;
      log[end++] = cell;
    }
    if (log === old) {
      for (let slot = end; slot < this.end; slot++) log[slot] = undefined;
      if (log.length > 2 * length) log.length = length;
    }
    this.log = log;
    this.first = 0;
    this.end = end;
  }
}
