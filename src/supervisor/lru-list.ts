import type { Cell, Message } from '../runtime/index.js';

/**
 * Live cells ordered by last activity, most recent at the head. Intrusive
 * (the links live on the cells), so touching a cell allocates nothing.
 */
export class LruList<M extends Message> {
  private head: Cell<M> | null = null;
  private tail: Cell<M> | null = null;
  private count = 0;

  get size(): number {
    return this.count;
  }

  /** The least recently used cell. */
  get oldest(): Cell<M> | null {
    return this.tail;
  }

  touch(cell: Cell<M>): void {
    if (this.head === cell) return;
    if (cell.lruPrev !== null || this.tail === cell) this.unlink(cell);
    this.pushFront(cell);
  }

  remove(cell: Cell<M>): void {
    if (cell.lruPrev === null && this.head !== cell) return;
    this.unlink(cell);
  }

  private pushFront(cell: Cell<M>): void {
    cell.lruPrev = null;
    cell.lruNext = this.head;
    if (this.head !== null) this.head.lruPrev = cell;
    this.head = cell;
    if (this.tail === null) this.tail = cell;
    this.count++;
  }

  private unlink(cell: Cell<M>): void {
    if (cell.lruPrev !== null) cell.lruPrev.lruNext = cell.lruNext;
    else this.head = cell.lruNext;
    if (cell.lruNext !== null) cell.lruNext.lruPrev = cell.lruPrev;
    else this.tail = cell.lruPrev;
    cell.lruPrev = null;
    cell.lruNext = null;
    this.count--;
  }
}
