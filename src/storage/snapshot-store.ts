/** The partition lease a snapshot is written under: its partition and the epoch the writer holds it at. */
export interface SnapshotFence {
  readonly partition: number;
  readonly epoch: number;
}

/** One stored snapshot: msgpack bytes of a state with its schema version and sequence number. */
export interface SnapshotRecord {
  readonly key: string;
  readonly version: number;
  /** Grows with every write of `key`; a store never replaces a record with one of a lower or equal `seq`. */
  readonly seq: number;
  readonly bytes: Uint8Array;
  /**
   * Cluster mode: written only while the partition's lease has exactly this
   * epoch, so a paused or cut-off former owner can never overwrite the state
   * of the member that took the partition over. Absent: written as always.
   */
  readonly fence?: SnapshotFence;
  /**
   * The state holds work that must go on without a new message (a chat's
   * reply in flight): the durable store marks the row so that the next
   * start, or the member taking the partition over, finds it. Absent: false.
   */
  readonly unfinished?: boolean;
}

/** Keys of fenced records a store refused because their partition's lease has another epoch now. */
export type FencedKeys = readonly string[];

/** What a write of records none of which was refused resolves to. */
export const NONE_FENCED: FencedKeys = Object.freeze([]);

/** A place snapshots are kept (Postgres, Redis). */
export interface SnapshotStore {
  read(key: string): Promise<SnapshotRecord | undefined>;
  /**
   * Writes records of distinct keys. A record whose `seq` is not newer than
   * the stored one is skipped by the store itself, atomically, so a late or
   * repeated write can never move a key backwards. Resolves to the keys of
   * fenced records it refused (their lease is at another epoch, or a store
   * that cannot check a fence); a record skipped for its `seq` is not one.
   */
  write(records: readonly SnapshotRecord[]): Promise<FencedKeys>;
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
  ): Promise<FencedKeys>;
  /** Keys currently marked as having a possibly stale hot copy. */
  staleHotKeys(): Promise<string[]>;
  /** Unmarks keys whose hot copy was brought up to date. */
  unmarkStaleHot(keys: readonly string[]): Promise<void>;
  /** Keys starting with `prefix` whose last durable record was written `unfinished`. */
  unfinishedKeys(prefix: string): Promise<string[]>;
  /** How many `write` calls are worth running at once. */
  readonly parallelism: number;
}
