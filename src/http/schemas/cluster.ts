import { type Static, Type } from 'typebox';
import { Nullable } from './nullable.js';

/** One member of the cluster with the partitions it holds. */
export const ClusterMemberBody = Type.Object({
  id: Type.String(),
  httpUrl: Nullable(Type.String({ description: 'where the other members reach its admin HTTP; null: not reachable' })),
  startedAtMs: Type.Integer(),
  heartbeatAtMs: Type.Integer(),
  heartbeatAgeMs: Type.Integer({ description: "time since its last heartbeat, by this member's clock" }),
  stopping: Type.Boolean({ description: 'said goodbye: handing its partitions over, taking no new ones' }),
  partitions: Type.Array(Type.Integer({ minimum: 0 }), { description: 'partitions whose lease it holds' }),
  leader: Type.Boolean({ description: 'holds the ingress lock (polls Telegram)' }),
});

/** One partition's lease and its stream's backlog. */
export const PartitionLeaseBody = Type.Object({
  partition: Type.Integer({ minimum: 0 }),
  owner: Nullable(Type.String({ description: 'member holding the lease; null: nobody' })),
  epoch: Type.Integer({ minimum: 0, description: 'fencing epoch, grows with every change of owner' }),
  expiresAtMs: Nullable(Type.Integer({ description: 'when the lease runs out unless renewed' })),
  lag: Nullable(Type.Integer({ minimum: 0, description: 'stream entries not yet processed; null: Redis not asked' })),
});

/** `GET /api/cluster` without cluster mode. */
export const ClusterDisabled = Type.Object({ enabled: Type.Literal(false) });

/** `GET /api/cluster` in cluster mode: the cluster as this member sees it. */
export const ClusterEnabled = Type.Object({
  enabled: Type.Literal(true),
  memberId: Type.String({ description: 'the member that answered' }),
  partitions: Type.Integer({ minimum: 1, description: 'partition count of the deployment' }),
  leader: Nullable(Type.String({ description: 'member holding the ingress lock; null while nobody does' })),
  members: Type.Array(ClusterMemberBody),
  partitionLeases: Type.Array(PartitionLeaseBody),
});

export const ClusterBody = Type.Union([ClusterEnabled, ClusterDisabled]);
export type ClusterBody = Static<typeof ClusterBody>;
