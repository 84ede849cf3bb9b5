// Cluster mode (docs/cluster.md): partitions, leases with fencing epochs,
// the ingress lock, and the Redis Streams that carry updates to the member
// serving their chat.
export type {
  EntrySink,
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
export { PartitionConsumer, type PartitionConsumerOptions } from './partition-consumer.js';
export { RedisStreamLog, type RedisStreamLogOptions } from './redis-stream-log.js';
export { StreamIngressClosedError, StreamNotReplicatedError } from './stream-errors.js';
export { StreamIngress, type StreamIngressOptions } from './stream-ingress.js';
