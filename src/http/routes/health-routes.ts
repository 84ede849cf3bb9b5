import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Clock } from '../../runtime/index.js';
import type { ProbeResult, ReadinessProbe } from '../ports/readiness-probe.js';
import { Liveness, Readiness } from '../schemas/health.js';

export interface HealthOptions {
  probes: readonly ReadinessProbe[];
  probeTimeoutMs: number;
  clock: Clock;
}

/** A probe that throws or hangs is a not-ready probe with the reason, never a hung `/readyz`. */
function runProbe(probe: ReadinessProbe, timeoutMs: number, clock: Clock): Promise<ProbeResult> {
  return new Promise<ProbeResult>((resolve) => {
    const timer = clock.setTimer(
      () => resolve({ ready: false, reason: `no answer within ${timeoutMs} ms` }),
      timeoutMs,
    );
    const settle = (result: ProbeResult): void => {
      clock.clearTimer(timer);
      resolve(result);
    };
    try {
      Promise.resolve(probe.check()).then(settle, (error: unknown) =>
        settle({ ready: false, reason: error instanceof Error ? error.message : String(error) }),
      );
    } catch (error) {
      settle({ ready: false, reason: error instanceof Error ? error.message : String(error) });
    }
  });
}

/** `GET /healthz` (the process answers) and `GET /readyz` (everything it depends on is ready). */
export const healthRoutes: FastifyPluginAsyncTypebox<HealthOptions> = async (
  app,
  { probes, probeTimeoutMs, clock },
) => {
  const startedAtMs = clock.now();

  app.get(
    '/healthz',
    { schema: { summary: 'Liveness: the process is up and serving', tags: ['health'], response: { 200: Liveness } } },
    async () => ({ status: 'ok' as const, uptimeS: (clock.now() - startedAtMs) / 1000 }),
  );

  app.get(
    '/readyz',
    {
      schema: {
        summary: 'Readiness: storage reachable, Telegram ingress running; 503 with the reasons otherwise',
        tags: ['health'],
        response: { 200: Readiness, 503: Readiness },
      },
    },
    async (_request, reply) => {
      const results = await Promise.all(probes.map((p) => runProbe(p, probeTimeoutMs, clock)));
      const checks = probes.map((p, i) => {
        const r = results[i] as ProbeResult;
        return { name: p.name, ready: r.ready, reason: r.ready ? null : r.reason };
      });
      const ready = checks.every((c) => c.ready);
      return reply.status(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not_ready', checks });
    },
  );
};
