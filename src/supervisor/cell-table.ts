/** Slots a new table starts with (a power of two). */
const initialSlots = 64;
/** Grow once more than this share of slots is used; linear probing slows down sharply past it. */
const maxLoad = 0.75;
/** Shrink once fewer than this share of slots is used. */
const minLoad = 0.125;

/**
 * The supervisor's cells by key, with the operations of a `Map`.
 *
 * Keys that are safe integers (Telegram chat ids, the busy path) live in an
 * open-addressing table of their own: keys inline in an array of doubles
 * (V8 stores them unboxed, on the heap), values in a parallel array, linear
 * probing. A lookup reads one slot of
 * each array. A `Map` keyed by such numbers reaches the stored key through a
 * pointer to a boxed number (ids like -100xxxxxxxxxx do not fit V8's small
 * integers), so with many thousands of keys every lookup paid one more cache
 * miss, which was the largest single cost of routing a message. Any other
 * key goes to a plain `Map`.
 *
 * Iteration order is not insertion order, and iterating takes a snapshot,
 * so entries may be deleted meanwhile.
 */
export class CellTable<K, V> {
  private readonly others = new Map<K, V>();
  /** NaN marks an empty slot: no safe integer is NaN. */
  private keys: number[] = emptyKeys(initialSlots);
  private values: (V | undefined)[] = new Array<V | undefined>(initialSlots).fill(undefined);
  private used = 0;
  /** 32 minus log2 of the slot count: a key's home slot is the top bits of its 32-bit hash. */
  private shift = 32 - Math.log2(initialSlots);
  /** Mixed into every hash so that which ids collide differs from one process to the next. */
  private readonly seed = (Math.random() * 0x1_0000_0000) | 1;

  get size(): number {
    return this.used + this.others.size;
  }

  get(key: K): V | undefined {
    if (typeof key !== 'number' || !Number.isSafeInteger(key)) return this.others.get(key);
    const keys = this.keys;
    const mask = keys.length - 1;
    for (let slot = this.home(key); ; slot = (slot + 1) & mask) {
      const stored = keys[slot] as number;
      if (stored === key) return this.values[slot];
      if (stored !== stored) return undefined; // empty: NaN
    }
  }

  set(key: K, value: V): this {
    if (typeof key !== 'number' || !Number.isSafeInteger(key)) {
      this.others.set(key, value);
      return this;
    }
    if (this.used + 1 > this.keys.length * maxLoad) this.resize(this.keys.length * 2);
    this.place(key, value);
    return this;
  }

  delete(key: K): boolean {
    if (typeof key !== 'number' || !Number.isSafeInteger(key)) return this.others.delete(key);
    const keys = this.keys;
    const mask = keys.length - 1;
    let slot = this.home(key);
    for (; ; slot = (slot + 1) & mask) {
      const stored = keys[slot] as number;
      if (stored === key) break;
      if (stored !== stored) return false;
    }
    // Backward-shift deletion: pull later entries of the probe run into the hole, so no
    // lookup ever stops at it early and no tombstones pile up.
    let hole = slot;
    for (let next = (hole + 1) & mask; ; next = (next + 1) & mask) {
      const moving = keys[next] as number;
      if (moving !== moving) break;
      const home = this.home(moving);
      // Move it unless its home lies cyclically in (hole, next].
      if (((next - home) & mask) >= ((next - hole) & mask)) {
        keys[hole] = moving;
        this.values[hole] = this.values[next];
        hole = next;
      }
    }
    keys[hole] = Number.NaN;
    this.values[hole] = undefined;
    this.used--;
    if (this.keys.length > initialSlots && this.used < this.keys.length * minLoad) this.resize(this.keys.length / 2);
    return true;
  }

  /** A snapshot of the entries. */
  entries(): Array<[K, V]> {
    const out: Array<[K, V]> = [];
    const keys = this.keys;
    for (let slot = 0; slot < keys.length; slot++) {
      const key = keys[slot] as number;
      if (key === key) out.push([key as K, this.values[slot] as V]);
    }
    for (const entry of this.others) out.push(entry);
    return out;
  }

  [Symbol.iterator](): IterableIterator<[K, V]> {
    return this.entries()[Symbol.iterator]();
  }

  private home(key: number): number {
    // Both halves of the 53-bit integer, so ids that differ only above bit 32 spread too.
    const low = key | 0;
    const high = Math.floor(key / 0x1_0000_0000) | 0;
    return Math.imul(low ^ Math.imul(high, 0x27d4eb2d) ^ this.seed, 0x9e3779b1) >>> this.shift;
  }

  private place(key: number, value: V): void {
    const keys = this.keys;
    const mask = keys.length - 1;
    // 0 rather than -0, as `Map` keeps it.
    const normal = key + 0;
    for (let slot = this.home(normal); ; slot = (slot + 1) & mask) {
      const stored = keys[slot] as number;
      if (stored === normal) {
        this.values[slot] = value;
        return;
      }
      if (stored !== stored) {
        keys[slot] = normal;
        this.values[slot] = value;
        this.used++;
        return;
      }
    }
  }

  private resize(slots: number): void {
    const oldKeys = this.keys;
    const oldValues = this.values;
    this.keys = emptyKeys(slots);
    this.values = new Array<V | undefined>(slots).fill(undefined);
    this.shift = 32 - Math.log2(slots);
    this.used = 0;
    for (let slot = 0; slot < oldKeys.length; slot++) {
      const key = oldKeys[slot] as number;
      if (key === key) this.place(key, oldValues[slot] as V);
    }
  }
}

function emptyKeys(slots: number): number[] {
  return new Array<number>(slots).fill(Number.NaN);
}
