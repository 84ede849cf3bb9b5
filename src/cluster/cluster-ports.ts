import type { ClusterMember } from '../ports/index.js';

/** A partition lease held at an epoch: the epoch fences every write made under it. */
export interface Lease {
  readonly partition: number;
  readonly epoch: number;
}

/** One row of the lease table. */
export interface LeaseRow extends Lease {
  readonly owner: string | null;
  readonly expiresAtMs: number | null;
}

/**
 * Partition leases in Postgres (`partition_leases`). Expiry is measured by
 * the database's clock, so members' clocks need not agree.
 */
export interface LeaseTable {
  /**
   * Creates the partition rows on a deployment's first start. Throws
   * `PartitionCountMismatchError` (code `CLUSTER_PARTITIONS_MISMATCH`) when
   * the deployment already has a different number of partitions.
   */
  init(partitions: number): Promise<void>;
  /**
   * Takes each of `partitions` that is free — no owner, expired, or already
   * `member`'s — for `leaseMs`. Every acquisition starts a new epoch (one
   * more than the row's), even of a lease `member` held already: taking a
   * partition means serving it anew, and whatever was left of an earlier
   * serving (abandoned work, a previous process under the same id) is fenced
   * off. Renewing keeps the epoch. Returns the leases `member` took.
   */
  acquire(member: string, partitions: readonly number[], leaseMs: number): Promise<Lease[]>;
  /** Extends every lease `member` holds and has not let expire; returns them (one taken over is missing). */
  renew(member: string, leaseMs: number): Promise<Lease[]>;
  /** Gives leases up (owner and expiry cleared, epoch kept) if `member` still holds them at those epochs. */
  release(member: string, leases: readonly Lease[]): Promise<void>;
  list(): Promise<LeaseRow[]>;
}

/** A member's row: what {@link ClusterMember} says plus whether it holds the ingress lock. */
export interface MemberRow extends ClusterMember {
  /** It held the ingress lock at its last heartbeat. */
  readonly leader: boolean;
}

/** What a member says about itself at each heartbeat. */
export interface MemberHeartbeat {
  readonly httpUrl: string | null;
  readonly stopping: boolean;
  readonly leader: boolean;
}

/** Members and their heartbeats in Postgres (`cluster_members`). */
export interface MembershipTable {
  /** Inserts or refreshes `member`'s row with the database's `now()` (its start time is kept). */
  heartbeat(member: string, state: MemberHeartbeat): Promise<void>;
  /** Members whose heartbeat is younger than `staleMs` (by the database's clock), oldest first. */
  live(staleMs: number): Promise<MemberRow[]>;
  /** Removes `member`'s row (a graceful stop). */
  leave(member: string): Promise<void>;
}

/**
 * The ingress lock: one member at a time polls Telegram. A Postgres advisory
 * lock on a connection of its own, so when the holder dies or its
 * connection drops, Postgres itself releases it.
 */
export interface LeaderLock {
  /** Takes the lock if free; true while this member holds it. */
  tryAcquire(): Promise<boolean>;
  readonly held: boolean;
  /** Called once when a held lock is lost (its connection failed). */
  onLost(listener: () => void): void;
  /** Releases the lock (if held) and closes the connection. */
  close(): Promise<void>;
}

/**
 * A nudge between members: one announces that the cluster changed (a member
 * joined, is stopping, released partitions) and every member looks at the
 * tables at once instead of at its next heartbeat. Only a hint: a lost one
 * costs a heartbeat's delay, nothing else.
 */
export interface ClusterSignal {
  announce(): Promise<void>;
  /** Calls `listener` on every announcement (one's own included); returns the unsubscribe. */
  subscribe(listener: () => void): () => void;
}

/** One update in a partition's stream. */
export interface StreamEntry {
  /** The stream entry id (`<ms>-<seq>`). */
  readonly id: string;
  readonly chatId: number;
  readonly updateId: number;
  /** The validated Telegram update as received. */
  readonly update: unknown;
}

/** An update to append to its chat's partition stream. */
export interface StreamAppend {
  readonly partition: number;
  readonly chatId: number;
  readonly updateId: number;
  readonly update: unknown;
}

/** A partition a read covers, at the epoch of the lease this member holds for it. */
export interface FencedPartition {
  readonly partition: number;
  readonly epoch: number;
}

/**
 * What one read found for a partition. `held`: the partition's fence is this
 * member's at the epoch given, and `entries` are its new entries (maybe
 * none). `taken`: another member fenced it (at a later epoch) — this member
 * must stop serving it at once. `missing`: the fence is gone (Redis lost its
 * data); set it again with {@link StreamLog.fence} before reading.
 */
export interface PartitionRead {
  readonly partition: number;
  readonly fence: 'held' | 'taken' | 'missing';
  readonly entries: StreamEntry[];
}

/**
 * The per-partition Redis Streams (`<prefix>stream:<partition>`) and their
 * consumer group. An entry stays in its stream until the member holding its
 * partition has processed it and made its effects durable; then it is
 * acknowledged and deleted.
 *
 * Every partition has a fence in Redis (`<prefix>stream-owner:<partition>`:
 * the consumer and epoch of its current owner). Reads, claims and
 * acknowledgements are scripts that check it, so a member whose lease ran out
 * (or that was frozen and thawed) can take no entry of a partition another
 * member serves now: the group's shared last-delivered id would otherwise let
 * a stale read steal a new entry from the owner.
 */
export interface StreamLog {
  /**
   * Appends in one pipeline; resolves once Redis acknowledged every append
   * (and, with `waitReplicas`, that many replicas have them).
   */
  append(items: readonly StreamAppend[]): Promise<void>;
  /** Creates the stream and its consumer group if missing (reading from the beginning). */
  ensureGroup(partition: number): Promise<void>;
  /**
   * Makes `consumer` at `epoch` the partition's fence if `epoch` is greater
   * than the fence's (a fence never goes backwards). True when the fence is
   * `consumer` at `epoch` afterwards (set now, or already); false when it
   * holds a later epoch (or the same one for another consumer).
   */
  fence(partition: number, consumer: string, epoch: number): Promise<boolean>;
  /**
   * Every entry of the partition read but not acknowledged, whoever read it
   * (a dead owner's), claimed for `consumer`, oldest first. Throws
   * `StreamFencedError` when the fence is not `consumer` at `epoch`.
   */
  claimPending(partition: number, consumer: string, epoch: number): Promise<StreamEntry[]>;
  /**
   * New entries for `consumer`, oldest first per partition, of the
   * partitions whose fence is `consumer` at the epoch given; does not wait.
   * One result per partition asked for. An entry that does not decode is
   * returned with `update` undefined (it is acknowledged as malformed by the
   * consumer).
   */
  read(partitions: readonly FencedPartition[], consumer: string, options: { count: number }): Promise<PartitionRead[]>;
  /**
   * Waits up to `blockMs` for an entry later than `afterId` in any of the
   * partitions' streams; returns, per partition that has one, the id of the
   * first such entry (empty after `blockMs`). Reads nothing for anyone: it
   * only tells the caller to read again.
   */
  waitForEntries(
    after: ReadonlyArray<{ partition: number; afterId: string }>,
    blockMs: number,
  ): Promise<Array<{ partition: number; id: string }>>;
  /**
   * Acknowledges and deletes entries, each only if the fence is still
   * `consumer` at `epoch` and the entry is still pending for `consumer` (one
   * another member claimed is left alone). Returns how many were.
   */
  ack(partition: number, consumer: string, epoch: number, ids: readonly string[]): Promise<number>;
  /** Entries in the partition's stream: appended and not yet acknowledged. */
  lag(partitions: readonly number[]): Promise<number[]>;
  close(): Promise<void>;
}

/**
 * Where the partition consumer hands the entries of the partitions this
 * member serves: the runtime, glued to it by the wiring.
 */
export interface EntrySink {
  /**
   * Hands one entry to the runtime, in order; the promise settles when its
   * turn ran and its effects are durable (then it is acknowledged). `'busy'`:
   * the runtime cannot take it now (mailbox full) — retried after a pause,
   * later entries of the partition wait.
   */
  deliver(partition: number, entry: StreamEntry): Promise<void> | 'busy';
  /**
   * The partition was lost: entries handed over and not finished will be
   * served by another member; stop following them.
   */
  forget(partition: number, entries: readonly StreamEntry[]): void;
}

/**
 * What the cluster node drives as it gains, gives up and loses partitions:
 * the stream consumption and the chat actors of those partitions.
 */
export interface PartitionWork {
  /** Starts serving the partition at the lease's epoch: pending entries first (a dead owner's), then new ones. */
  serve(lease: Lease): Promise<void>;
  /**
   * A graceful hand-over: stop reading, let entries already handed over
   * finish (processed, durable, acknowledged), persist and drop the chats.
   * Resolves when another member may take over; gives up at `deadlineMs` (a clock time).
   */
  handOff(partitions: readonly number[], deadlineMs: number): Promise<void>;
  /**
   * The leases are gone (expired, or taken): stop at once, drop the chats
   * without writing, acknowledge nothing more. Their entries stay pending
   * for the next owner.
   */
  abandon(partitions: readonly number[]): void;
}

/** The fence of one partition as this member holds it: `null` while it is not served here. */
export interface PartitionFences {
  epochOf(partition: number): number | null;
}
