// Cluster mode (docs/cluster.md): partitions, leases with fencing epochs,
// the ingress lock, and the Redis Streams that carry updates to the member
// serving their chat.
export type {
  Lease,
  LeaderLock,
  LeaseRow,
  LeaseTable,
  MembershipTable,
  PartitionFences,
  PartitionWork,
  StreamAppend,
  StreamEntry,
  StreamLog,
} from './cluster-ports.js';
export { assignPartitions, partitionOf, rendezvousScore } from './partitions.js';
