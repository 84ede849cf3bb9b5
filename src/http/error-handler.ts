import { STATUS_CODES } from 'node:http';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { LekhaError } from '../runtime/index.js';
import { HttpError, runtimeErrorStatus } from './errors.js';
import type { ErrorBody } from './schemas/error-body.js';

function body(statusCode: number, code: string, message: string, issues?: readonly string[]): ErrorBody {
  const answer: ErrorBody = { statusCode, code, error: STATUS_CODES[statusCode] ?? 'Error', message };
  if (issues !== undefined) answer.issues = [...issues];
  return answer;
}

/** The `issues` of an error that lists its problems one by one (`PluginSettingsInvalidError`). */
function issuesOf(error: LekhaError): readonly string[] | undefined {
  const issues: unknown = (error as { issues?: unknown }).issues;
  return Array.isArray(issues) && issues.every((i) => typeof i === 'string') ? issues : undefined;
}

/**
 * Maps every failure to `ErrorBody`: schema violations and our typed errors
 * keep their message (it tells the caller what to fix), runtime errors get
 * the status that says what happened (504 for an actor that did not answer,
 * 409 for a quarantined chat, 503 for a full mailbox), anything unexpected
 * is logged and answered with a bare 500. Only messages written for API
 * callers are passed on (ours, Fastify's own `FST_…` errors): a driver's
 * error text (a Postgres message, say) stays in the server log.
 */
export function handleError(error: FastifyError | Error, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  if ('validation' in error && error.validation !== undefined) {
    return reply.status(400).send(body(400, 'FST_ERR_VALIDATION', error.message));
  }
  if (error instanceof HttpError) {
    if (error.statusCode === 401 || error.statusCode === 403) {
      request.log.warn({ code: error.code, ip: request.ip, url: request.url }, 'admin API access refused');
    } else if (error.statusCode >= 500) {
      request.log.error({ err: error }, 'admin request could not be served');
    }
    return reply.status(error.statusCode).send(body(error.statusCode, error.code, error.message));
  }
  if (error instanceof LekhaError) {
    const status = runtimeErrorStatus[error.code];
    if (status !== undefined) {
      request.log.warn({ err: error }, 'runtime refused an admin request');
      return reply.status(status).send(body(status, error.code, error.message, issuesOf(error)));
    }
  }
  const status = 'statusCode' in error && typeof error.statusCode === 'number' ? error.statusCode : 500;
  if (status >= 400 && status < 500) {
    const code = 'code' in error && typeof error.code === 'string' ? error.code : '';
    if (code.startsWith('FST_')) return reply.status(status).send(body(status, code, error.message));
    request.log.warn({ err: error }, 'admin request refused');
    return reply.status(status).send(body(status, 'BAD_REQUEST', 'the request cannot be served as sent'));
  }
  request.log.error({ err: error }, 'admin request failed');
  return reply.status(500).send(body(500, 'INTERNAL', 'internal error; the server log has the details'));
}

export function handleNotFound(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  return reply.status(404).send(body(404, 'NOT_FOUND', `no route ${request.method} ${request.url.split('?')[0]}`));
}
