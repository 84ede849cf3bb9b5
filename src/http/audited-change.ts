import { AuditUnavailableError } from './errors.js';
import type { AuditLog } from './ports/audit-log.js';
import type { AuditRecord } from './schemas/audit.js';

/**
 * Makes a change that has no transaction to share with its audit row: the
 * row is appended as `requested` first (no row, no change), then settled
 * with `audit`'s outcome, or as an error when the change throws.
 */
export async function auditedChange<T>(log: AuditLog, audit: AuditRecord, change: () => Promise<T>): Promise<T> {
  let id: number;
  try {
    id = (await log.append({ ...audit, outcome: 'requested', statusCode: 0 })).id;
  } catch (error) {
    throw new AuditUnavailableError(error);
  }
  let result: T;
  try {
    result = await change();
  } catch (error) {
    // A row that cannot be settled stays `requested`, which is still true; the change's own error is the one to report.
    await log.settle(id, { outcome: 'error', statusCode: 500, details: audit.details }).catch(() => undefined);
    throw error;
  }
  await log.settle(id, {
    outcome: audit.outcome === 'error' ? 'error' : 'ok',
    statusCode: audit.statusCode,
    details: audit.details,
  });
  return result;
}
