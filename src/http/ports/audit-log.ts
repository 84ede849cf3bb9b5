import type { AuditEntry, AuditFilter, AuditRecord } from '../schemas/audit.js';
import type { Page, PageRequest } from '../schemas/pagination.js';

/**
 * The append-only record of state-changing admin calls. Storage implements
 * it on the `audit_log` table; `MemoryAuditLog` keeps it in memory.
 * `query` lists newest first; an `action` filter ending in `*` matches a prefix.
 */
export interface AuditLog {
  append(record: AuditRecord): Promise<AuditEntry>;
  query(filter: AuditFilter, page: PageRequest): Promise<Page<AuditEntry>>;
}
