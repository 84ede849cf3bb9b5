/** One stored snapshot: msgpack bytes of a state with its schema version and sequence number. */
export interface SnapshotRecord {
  readonly key: string;
  readonly version: number;
  /** Grows with every write of `key`; a store never replaces a record with one of a lower or equal `seq`. */
  readonly seq: number;
  readonly bytes: Uint8Array;
}

/** A place snapshots are kept (Postgres, Redis). */
export interface SnapshotStore {
  read(key: string): Promise<SnapshotRecord | undefined>;
  /**
   * Writes records of distinct keys. A record whose `seq` is not newer than
   * the stored one is skipped by the store itself, atomically, so a late or
   * repeated write can never move a key backwards.
   */
  write(records: readonly SnapshotRecord[]): Promise<void>;
  /** Forgets the copy of `key` whatever its `seq` (a hot copy that does not decode). Hot stores only. */
  remove?(key: string): Promise<void>;
  /** Records per `write` call that keep one call efficient. */
  readonly batchSize: number;
}

/**
 * The durable store (Postgres). Besides snapshots it remembers which keys'
 * hot copies (Redis) may be older than their durable row, so a crash while
 * Redis is unreachable can never make a later read see an old state.
 */
export interface DurableSnapshotStore extends SnapshotStore {
  /** `write` plus, in the same transaction, marking `staleHot` and unmarking `freshHot` keys. */
  writeTracked(
    records: readonly SnapshotRecord[],
    staleHot: readonly string[],
    freshHot: readonly string[],
  ): Promise<void>;
  /** Keys currently marked as having a possibly stale hot copy. */
  staleHotKeys(): Promise<string[]>;
  /** Unmarks keys whose hot copy was brought up to date. */
  unmarkStaleHot(keys: readonly string[]): Promise<void>;
  /** How many `write` calls are worth running at once. */
  readonly parallelism: number;
}
