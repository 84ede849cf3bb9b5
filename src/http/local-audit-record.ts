import type { AuditRecord } from './schemas/audit.js';
import type { Identity } from './schemas/token.js';

/** Who `lekha token` changes tokens as, in the audit log. */
export const cliIdentity: Identity = { tokenId: 'cli', label: 'lekha token', role: 'admin' };

/**
 * The audit row of a change made outside HTTP — the `lekha token` command,
 * set-up code — by `actor`: from `local`, with no user agent and status 0.
 */
export function localAuditRecord(change: {
  actor: Identity;
  action: string;
  target: string;
  atMs: number;
  details?: Record<string, unknown>;
}): AuditRecord {
  return {
    at: new Date(change.atMs).toISOString(),
    actor: change.actor,
    action: change.action,
    target: change.target,
    ip: 'local',
    userAgent: null,
    outcome: 'ok',
    statusCode: 0,
    details: change.details ?? {},
  };
}
