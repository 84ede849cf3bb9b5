import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Clock } from '../runtime/index.js';
import type { AuditLog } from './ports/audit-log.js';
import type { AuditRecord } from './schemas/audit.js';

/**
 * Writes the audit row of every call to a route with `config.audit`, once
 * its outcome is known and before the answer leaves: who (the token), what
 * (the action and the handler's details), which target, when, from where
 * (IP, user agent), and the status. Refused calls of an authenticated
 * caller (403, 400) are recorded too. A failing audit write fails the
 * request: an admin change must not go unrecorded silently.
 */
export function createAuditHook(audit: AuditLog, clock: Pick<Clock, 'now'>) {
  // A failed write turns the answer into a 500, which passes this hook
  // again; each request is recorded (or tried) once.
  const recorded = new WeakSet<FastifyRequest>();
  return async function recordAudit(request: FastifyRequest, reply: FastifyReply, payload: unknown): Promise<unknown> {
    const spec = request.routeOptions.config.audit;
    const actor = request.identity;
    if (spec === undefined || actor === null || recorded.has(request)) return payload;
    recorded.add(request);
    const userAgent = request.headers['user-agent'];
    const record: AuditRecord = {
      at: new Date(clock.now()).toISOString(),
      actor,
      action: spec.action,
      target: spec.target(request),
      ip: request.ip,
      userAgent: typeof userAgent === 'string' ? userAgent.slice(0, 300) : null,
      outcome: reply.statusCode < 400 ? 'ok' : 'error',
      statusCode: reply.statusCode,
      details: request.auditDetails ?? {},
    };
    // The process log gets every row too, so the trail survives a store outage.
    request.log.info({ audit: record }, 'audit');
    await audit.append(record);
    return payload;
  };
}
