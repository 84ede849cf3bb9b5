import type { FastifyRequest } from 'fastify';
import type { AdminSessionRecord } from './ports/admin-session.js';
import type { Identity } from './schemas/token.js';
import type { Role } from './schemas/role.js';

/** How an audited route (every change, and reads of message history, prompts and exports) is recorded. */
export interface AuditSpec {
  /** e.g. `chat.mode.set`, `messages.read` */
  action: string;
  /** e.g. `chat:-100123`, from the validated request. */
  target(request: FastifyRequest): string;
  /**
   * The handler's store writes the row in the change's own transaction
   * (`AuditTrail.recordFor`/`recordedWith`) instead of the trail writing a
   * `requested` row before the handler runs.
   */
  recordedWithChange?: boolean;
  /**
   * Only calls for which this is true are recorded: a read that shows
   * personal data to some roles only (job texts, to admins) is audited when
   * it does. Runs after the token check, so `request.identity` is set.
   */
  when?(request: FastifyRequest): boolean;
  /**
   * What a `requested` row records of the call, instead of its body: for
   * bodies that may hold secrets (a plugin's settings), which audit rows and
   * the process log must not keep.
   */
  requestDetails?(request: FastifyRequest): Record<string, unknown>;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The least role that may call an `/api` route; every `/api` route must declare one. */
    role?: Role;
    /** Present on every state-changing route and on reads of message history, prompts and exports: the call is written to the audit log. */
    audit?: AuditSpec;
  }

  interface FastifyRequest {
    /** Who is calling; set on `/api` routes once the token is checked. */
    identity: Identity | null;
    /** The dashboard session the call came with (a session cookie rather than a bearer token), or null. */
    adminSession: AdminSessionRecord | null;
    /** What the handler wants recorded with the audit row (old and new values, counts). */
    auditDetails: Record<string, unknown> | null;
  }
}
