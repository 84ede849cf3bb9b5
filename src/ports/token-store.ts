import type { AdminRole } from './admin-identity.js';
import type { AuditRecord } from './audit-log.js';

/** A stored admin API token. The secret itself is never stored: only its SHA-256. */
export interface TokenRecord {
  id: string;
  label: string;
  role: AdminRole;
  /** Lower-case hex SHA-256 of the token. */
  hash: string;
  /** ISO date-time. */
  createdAt: string;
  /** Who made it: a token id, or `cli` for `lekha token create`. */
  createdBy: string | null;
  revokedAt: string | null;
}

/**
 * Where admin API tokens live. Storage implements it on the `admin_tokens`
 * table; the admin API's `FileTokenStore` keeps them in a file under
 * `DATA_DIR` and `MemoryTokenStore` in memory.
 *
 * Every change comes with its audit row, and a change whose row cannot be
 * written is not made (an error with code `AUDIT_UNAVAILABLE`): the
 * database store writes both in one transaction, the others write the row
 * first.
 */
export interface TokenStore {
  findByHash(hash: string): Promise<TokenRecord | undefined>;
  create(record: TokenRecord, audit: AuditRecord): Promise<void>;
  /** Every token, revoked ones included, oldest first. */
  list(): Promise<TokenRecord[]>;
  /** Marks the token revoked (keeping the first revocation time); answers the updated record, or undefined (and no audit row) for an unknown id. */
  revoke(id: string, atIso: string, audit: AuditRecord): Promise<TokenRecord | undefined>;
}
