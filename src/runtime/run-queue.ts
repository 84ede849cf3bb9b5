/**
 * A FIFO of cells waiting to run: a ring over an array whose length is a
 * power of two, so steady traffic reuses the same slots instead of growing
 * and dropping an array per drain.
 */
export class RunQueue<T> {
  private slots: (T | undefined)[] = new Array<T | undefined>(16);
  private head = 0;
  private count = 0;

  get length(): number {
    return this.count;
  }

  push(item: T): void {
    if (this.count === this.slots.length) this.grow();
    this.slots[(this.head + this.count) & (this.slots.length - 1)] = item;
    this.count++;
  }

  /** The oldest item, or undefined when empty. */
  shift(): T | undefined {
    if (this.count === 0) return undefined;
    const item = this.slots[this.head];
    this.slots[this.head] = undefined;
    this.head = (this.head + 1) & (this.slots.length - 1);
    this.count--;
    return item;
  }

  /** Gives back the memory of a past burst once the queue is empty. */
  trim(): void {
    if (this.count === 0 && this.slots.length > 1024) {
      this.slots = new Array<T | undefined>(16);
      this.head = 0;
    }
  }

  *[Symbol.iterator](): IterableIterator<T> {
    const mask = this.slots.length - 1;
    for (let i = 0; i < this.count; i++) yield this.slots[(this.head + i) & mask] as T;
  }

  private grow(): void {
    const old = this.slots;
    const slots = new Array<T | undefined>(old.length * 2);
    for (let i = 0; i < this.count; i++) slots[i] = old[(this.head + i) & (old.length - 1)];
    this.slots = slots;
    this.head = 0;
  }
}
