import { InvalidOptionError } from '../runtime/index.js';

/** Hit/miss figures of a {@link TtlCache}, for metrics. */
export interface TtlCacheStats {
  hits: number;
  misses: number;
  /** Entries dropped because they were past their TTL when read or swept. */
  expired: number;
  /** Entries dropped to stay within `maxEntries`. */
  evicted: number;
  invalidated: number;
  size: number;
}

/**
 * A small TTL + LRU cache for values derived from actor state. Time is passed
 * in as `nowMs` on every call, so a turn stays deterministic and tests need
 * no clock. Hand-written rather than lru-cache because that library reads
 * its own clock and its TTL bookkeeping costs more than this cache's
 * handful of entries per chat.
 */
export class TtlCache<V> {
  /**
   * Made on the first `set` and let go when a sweep empties it: every chat
   * has three of these caches and most chats never fill them, and an empty
   * Map still holds its hash table (~400 bytes).
   */
  private entries: Map<string, { value: V; expiresMs: number }> | undefined;
  private hits = 0;
  private misses = 0;
  private expired = 0;
  private evicted = 0;
  private invalidated = 0;

  constructor(
    private readonly defaultTtlMs: number,
    private readonly maxEntries = 64,
  ) {
    if (!(defaultTtlMs > 0))
      throw new InvalidOptionError('defaultTtlMs', `defaultTtlMs must be positive, got ${defaultTtlMs}`);
    if (!Number.isInteger(maxEntries) || maxEntries < 1)
      throw new InvalidOptionError('maxEntries', `maxEntries must be a positive integer, got ${maxEntries}`);
  }

  /** The cached value, or undefined when absent or expired (a miss either way). */
  get(key: string, nowMs: number): V | undefined {
    const entries = this.entries;
    const entry = entries?.get(key);
    if (entries === undefined || entry === undefined) {
      this.misses++;
      return undefined;
    }
    if (entry.expiresMs <= nowMs) {
      entries.delete(key);
      this.expired++;
      this.misses++;
      return undefined;
    }
    // Re-inserting moves the key to the end: Map order is the LRU order.
    entries.delete(key);
    entries.set(key, entry);
    this.hits++;
    return entry.value;
  }

  set(key: string, value: V, nowMs: number, ttlMs = this.defaultTtlMs): void {
    const entries = (this.entries ??= new Map());
    entries.delete(key);
    entries.set(key, { value, expiresMs: nowMs + ttlMs });
    while (entries.size > this.maxEntries) {
      const oldest = entries.keys().next().value as string;
      entries.delete(oldest);
      this.evicted++;
    }
  }

  /** The cached value, or `compute()`'s result, cached. */
  getOrCompute(key: string, nowMs: number, compute: () => V, ttlMs = this.defaultTtlMs): V {
    const hit = this.get(key, nowMs);
    if (hit !== undefined) return hit;
    const value = compute();
    this.set(key, value, nowMs, ttlMs);
    return value;
  }

  /** Drops one key. */
  invalidate(key: string): void {
    if (this.entries?.delete(key) === true) this.invalidated++;
  }

  /** Drops every key starting with `prefix`. */
  invalidatePrefix(prefix: string): void {
    if (this.entries === undefined) return;
    for (const key of [...this.entries.keys()]) if (key.startsWith(prefix)) this.invalidate(key);
  }

  clear(): void {
    this.invalidated += this.entries?.size ?? 0;
    this.entries = undefined;
  }

  /** Drops expired entries (reads do it lazily; call this from an idle timer to free memory early). */
  sweep(nowMs: number): void {
    const entries = this.entries;
    if (entries === undefined) return;
    for (const [key, entry] of [...entries]) {
      if (entry.expiresMs <= nowMs) {
        entries.delete(key);
        this.expired++;
      }
    }
    if (entries.size === 0) this.entries = undefined;
  }

  stats(): TtlCacheStats {
    return {
      hits: this.hits,
      misses: this.misses,
      expired: this.expired,
      evicted: this.evicted,
      invalidated: this.invalidated,
      size: this.entries?.size ?? 0,
    };
  }
}
