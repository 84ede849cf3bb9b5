// Cluster mode (docs/cluster.md): partitions, leases with fencing epochs,
// the ingress lock, and the Redis Streams that carry updates to the member
// serving their chat.
export type {
  ClusterSignal,
  EntrySink,
  Lease,
  LeaderLock,
  LeaseRow,
  LeaseTable,
  MemberHeartbeat,
  MemberRow,
  MembershipTable,
  FencedPartition,
  PartitionFences,
  PartitionRead,
  PartitionWork,
  StreamAppend,
  StreamEntry,
  StreamLog,
} from './cluster-ports.js';
export { AdvisoryLeaderLock, type AdvisoryLeaderLockOptions, lockKey } from './advisory-leader-lock.js';
export { ClusterNode, type ClusterNodeOptions } from './cluster-node.js';
export { PartitionCountMismatchError } from './errors.js';
export { MemoryClusterSignal } from './memory-cluster-signal.js';
export { PartitionConsumer, type PartitionConsumerOptions } from './partition-consumer.js';
export { assignPartitions, partitionOf, rendezvousScore } from './partitions.js';
export { PostgresLeaseTable } from './postgres-lease-table.js';
export { PostgresMembership } from './postgres-membership.js';
export { RedisClusterSignal, type RedisClusterSignalOptions } from './redis-cluster-signal.js';
export { sharedSecret } from './shared-secret.js';
export { RedisStreamLog, type RedisStreamLogOptions } from './redis-stream-log.js';
export { StreamFencedError, StreamIngressClosedError, StreamNotReplicatedError } from './stream-errors.js';
export { StreamIngress, type StreamIngressOptions } from './stream-ingress.js';
