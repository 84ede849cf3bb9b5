import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Clock } from '../runtime/index.js';
import type { AuditSpec } from './fastify-augment.js';
import { AuditUnavailableError } from './errors.js';
import type { AuditLog } from './ports/audit-log.js';
import type { AuditRecord, AuditResult } from './schemas/audit.js';

/** Where a request's audit row stands: its number while `requested`, or done. */
type RowState = number | 'done';

/**
 * The audit log's side of every `/api` route with `config.audit`: who (the
 * token), what (the action and the handler's details), which target, when,
 * from where (IP, user agent), and how it ended.
 *
 * A change (or an audited read) never happens without its row:
 * - by default the row is appended as `requested` once the call passed the
 *   token, role and schema checks and before the handler runs; when it
 *   cannot be written the call is refused with 503 `AUDIT_UNAVAILABLE` and
 *   the handler never runs. Once the answer is known the row is settled
 *   with the outcome (a failure to settle leaves it `requested`, logged);
 * - routes with `recordedWithChange` hand the row to their store, which
 *   writes it in the change's own transaction (`recordFor`, `recordedWith`).
 * Calls refused before the handler (403, 400) are recorded too, as errors.
 * Every completed row also goes to the process log.
 */
export class AuditTrail {
  private readonly rows = new WeakMap<FastifyRequest, RowState>();

  constructor(
    private readonly log: AuditLog,
    private readonly clock: Pick<Clock, 'now'>,
  ) {}

  /** The row of `request` with `result`, for a store that writes it with the change. */
  recordFor(request: FastifyRequest, result: Pick<AuditRecord, 'outcome' | 'statusCode' | 'details'>): AuditRecord {
    const spec = request.routeOptions.config.audit;
    const actor = request.identity;
    if (spec === undefined || actor === null)
      throw new Error(`${request.method} ${request.url} is not an audited call of a known caller`);
    const userAgent = request.headers['user-agent'];
    return {
      at: new Date(this.clock.now()).toISOString(),
      actor,
      action: spec.action,
      target: spec.target(request),
      ip: request.ip,
      userAgent: typeof userAgent === 'string' ? userAgent.slice(0, 300) : null,
      ...result,
    };
  }

  /** Says the store wrote `record` with the change, so nothing is left to write for this request. */
  recordedWith(request: FastifyRequest, record: AuditRecord): void {
    this.rows.set(request, 'done');
    request.log.info({ audit: record }, 'audit');
  }

  /** Says another member of the cluster ran the call and wrote its row, so this member writes none. */
  handledElsewhere(request: FastifyRequest): void {
    this.rows.set(request, 'done');
  }

  /** `preHandler`: the `requested` row, or a 503 and no handler. */
  readonly beforeHandler = async (request: FastifyRequest): Promise<void> => {
    const spec = auditedSpec(request);
    if (spec === undefined || spec.recordedWithChange === true) return;
    const record = this.recordFor(request, {
      outcome: 'requested',
      statusCode: 0,
      details: requestDetails(request, spec),
    });
    try {
      this.rows.set(request, (await this.log.append(record)).id);
    } catch (error) {
      this.rows.set(request, 'done');
      request.log.error({ err: error, audit: record }, 'audit row could not be written: call refused');
      throw new AuditUnavailableError();
    }
  };

  /** `onSend`: settles the row with the outcome, or records a call refused before its handler. Never fails the answer. */
  readonly afterHandler = async (request: FastifyRequest, reply: FastifyReply, payload: unknown): Promise<unknown> => {
    const state = this.rows.get(request);
    const spec = auditedSpec(request);
    if (spec === undefined || state === 'done') return payload;
    this.rows.set(request, 'done');
    const result: AuditResult = {
      outcome: reply.statusCode < 400 ? 'ok' : 'error',
      statusCode: reply.statusCode,
      details: request.auditDetails ?? (state === undefined ? {} : requestDetails(request, spec)),
    };
    const record = this.recordFor(request, result);
    request.log.info({ audit: record }, 'audit');
    try {
      if (state === undefined) await this.log.append(record);
      else await this.log.settle(state, result);
    } catch (error) {
      // The answer stands: a change already made is recorded as `requested`, and a refused call changed nothing.
      request.log.error({ err: error, auditId: state ?? null }, 'audit outcome could not be written');
    }
    return payload;
  };
}

/** The route's audit spec when this call is one to record: a known caller, and the spec's `when` (if any) agrees. */
function auditedSpec(request: FastifyRequest): AuditSpec | undefined {
  const spec = request.routeOptions.config.audit;
  if (spec === undefined || request.identity === null) return undefined;
  return spec.when === undefined || spec.when(request) ? spec : undefined;
}

/** What the caller asked for, kept on a `requested` row until the handler's details replace it. */
function requestDetails(request: FastifyRequest, spec: AuditSpec): Record<string, unknown> {
  if (spec.requestDetails !== undefined) return spec.requestDetails(request);
  const body = request.body;
  return typeof body === 'object' && body !== null && !Array.isArray(body) ? { request: body } : {};
}
