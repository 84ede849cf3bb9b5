/** One process of a cluster, as the membership table knows it. */
export interface ClusterMember {
  readonly id: string;
  /** Where the other members reach this one's admin HTTP (for forwarded chat requests); null: not reachable. */
  readonly httpUrl: string | null;
  readonly startedAtMs: number;
  readonly heartbeatAtMs: number;
  /** Said goodbye: it is handing its partitions over and takes no new ones. */
  readonly stopping: boolean;
}

/** One partition's lease row and its stream's backlog. */
export interface PartitionStatus {
  readonly partition: number;
  /** The member holding the lease; null when nobody does (released or never taken). */
  readonly owner: string | null;
  /** Grows with every change of owner: writes carrying an older one are refused. */
  readonly epoch: number;
  /** When the lease runs out unless renewed; null when nobody holds it. */
  readonly expiresAtMs: number | null;
  /** Stream entries appended and not yet processed and durable (null when Redis could not be asked). */
  readonly lag: number | null;
}

/** The cluster as one member sees it, for `/api/cluster` and the dashboard. */
export interface ClusterStatus {
  /** This process. */
  readonly memberId: string;
  readonly partitions: number;
  /** The member holding the ingress lock (polls Telegram); null while nobody does. */
  readonly leader: string | null;
  readonly members: ReadonlyArray<ClusterMember & { readonly partitions: readonly number[]; readonly leader: boolean }>;
  readonly partitionLeases: readonly PartitionStatus[];
}

/** Who serves a chat: this process, another member (with its address), or nobody at the moment. */
export type ChatOwner =
  | { readonly kind: 'local' }
  | { readonly kind: 'remote'; readonly memberId: string; readonly httpUrl: string | null }
  | { readonly kind: 'none' };

/**
 * What the admin surface needs of cluster mode: the picture, whether this
 * process may serve now, and where a chat lives.
 */
export interface ClusterView {
  readonly memberId: string;
  status(): Promise<ClusterStatus>;
  /** Whether the process takes part (leases renewed, Redis and Postgres answering); a reason when not. */
  readiness(): { ready: true } | { ready: false; reason: string };
  /** Who serves `chatId` now, from this member's latest reading of the lease table. */
  ownerOf(chatId: number): ChatOwner;
}
