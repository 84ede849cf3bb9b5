import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { PrometheusExporter } from '../stats/prometheus-exporter.js';

/** `GET /metrics`: Prometheus exposition of the runtime and the process. */
export const metricsRoute: FastifyPluginAsyncTypebox<{ exporter: PrometheusExporter }> = async (app, { exporter }) => {
  app.get(
    '/metrics',
    {
      schema: {
        summary: 'Prometheus metrics: runtime, ingress/egress, LLM, pools, persistence, process',
        tags: ['health'],
        response: {
          200: { description: 'Prometheus text format', content: { 'text/plain': { schema: Type.String() } } },
        },
      },
    },
    async (_request, reply) => reply.type(exporter.contentType).send(await exporter.render()),
  );
};
