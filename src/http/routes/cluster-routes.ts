import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { ClusterStatus } from '../../ports/index.js';
import type { ApiContext } from '../api-context.js';
import { HttpError } from '../errors.js';
import { ClusterBody } from '../schemas/cluster.js';

/**
 * `GET /api/cluster`: the members with their partitions and the leader, and
 * every partition's lease (owner, epoch, expiry) with its stream lag, as
 * this member reads them; `{ enabled: false }` for a single process.
 */
export const clusterRoutes: FastifyPluginAsyncTypebox<{ ctx: ApiContext }> = async (app, { ctx }) => {
  app.get(
    '/cluster',
    {
      config: { role: 'viewer' },
      logLevel: ctx.quietLogLevel,
      schema: {
        summary: 'Cluster members, their partitions, the leader and each partition lease with its lag',
        description:
          'Without cluster mode the answer is `{ "enabled": false }`. 503 `CLUSTER_UNAVAILABLE` when the lease table cannot be read.',
        tags: ['cluster'],
        response: { 200: ClusterBody },
      },
    },
    async (): Promise<ClusterBody> => {
      const cluster = ctx.deps.cluster;
      if (cluster === undefined) return { enabled: false };
      let status: ClusterStatus;
      try {
        status = await cluster.status();
      } catch (error) {
        throw new HttpError(503, 'CLUSTER_UNAVAILABLE', 'the cluster status cannot be read right now', error);
      }
      const now = ctx.clock.now();
      return {
        enabled: true,
        memberId: status.memberId,
        partitions: status.partitions,
        leader: status.leader,
        members: status.members.map((m) => ({
          id: m.id,
          httpUrl: m.httpUrl,
          startedAtMs: m.startedAtMs,
          heartbeatAtMs: m.heartbeatAtMs,
          heartbeatAgeMs: Math.max(0, now - m.heartbeatAtMs),
          stopping: m.stopping,
          partitions: [...m.partitions],
          leader: m.leader,
        })),
        partitionLeases: status.partitionLeases.map((p) => ({ ...p })),
      };
    },
  );
};
