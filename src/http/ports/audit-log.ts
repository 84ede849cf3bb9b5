import type { AuditEntry, AuditFilter, AuditRecord, AuditResult } from '../schemas/audit.js';
import type { Page, PageRequest } from '../schemas/pagination.js';

/**
 * The record of audited admin calls. Storage implements it on the
 * `audit_log` table; `MemoryAuditLog` keeps it in memory. A call is appended
 * as `requested` before its change is made, then settled with its outcome;
 * rows are never removed. `query` lists newest first; an `action` filter
 * ending in `*` matches a prefix.
 */
export interface AuditLog {
  append(record: AuditRecord): Promise<AuditEntry>;
  /** Completes a row appended as `requested`; other rows are left as they are. */
  settle(id: number, result: AuditResult): Promise<void>;
  query(filter: AuditFilter, page: PageRequest): Promise<Page<AuditEntry>>;
}
