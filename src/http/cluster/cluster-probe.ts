import type { ClusterView } from '../../ports/index.js';
import type { ReadinessProbe } from '../ports/readiness-probe.js';

/**
 * `/readyz`'s `cluster` check: this member takes part in the cluster
 * (leases renewed, Redis and Postgres answering); the view's reason when not.
 */
export function clusterProbe(cluster: Pick<ClusterView, 'readiness'>): ReadinessProbe {
  return { name: 'cluster', check: () => cluster.readiness() };
}
