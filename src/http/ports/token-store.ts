import type { AuditRecord } from '../schemas/audit.js';
import type { Role } from '../schemas/role.js';

/** A stored API token. The secret itself is never stored: only its SHA-256. */
export interface TokenRecord {
  id: string;
  label: string;
  role: Role;
  /** Lower-case hex SHA-256 of the token. */
  hash: string;
  createdAt: string;
  /** Who made it: a token id, or `cli` for `lekha token create`. */
  createdBy: string | null;
  revokedAt: string | null;
}

/**
 * Where API tokens live. Storage implements it on the `admin_tokens` table;
 * `FileTokenStore` keeps them in a file under `DATA_DIR` and
 * `MemoryTokenStore` in memory.
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
  /** Marks the token revoked; answers the updated record, or undefined (and no audit row) for an unknown id. */
  revoke(id: string, atIso: string, audit: AuditRecord): Promise<TokenRecord | undefined>;
}
