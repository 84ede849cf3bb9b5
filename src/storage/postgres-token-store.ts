import type { AuditRecord, TokenRecord, TokenStore } from '../ports/index.js';
import { parseAdminRole } from './admin-role.js';
import type { Database, Queryable } from './database.js';
import { AuditUnavailableError } from './errors.js';
import { insertAuditRow } from './postgres-audit-log.js';

interface TokenRow {
  public_id: string;
  label: string;
  role: string;
  token_hash: Uint8Array;
  created_at: Date;
  created_by: string | null;
  revoked_at: Date | null;
}

const COLUMNS = 'public_id, label, role, token_hash, created_at, created_by, revoked_at';

/**
 * Admin API tokens in the `admin_tokens` table, shared by `lekha start` and
 * `lekha token` through the same database. The hash is kept as 32 bytes
 * (`bytea`, unique), so a lookup is one index probe. Creating and revoking
 * write the change and its audit row in one transaction: when the row
 * cannot be written the change is rolled back (`AuditUnavailableError`).
 */
export class PostgresTokenStore implements TokenStore {
  constructor(private readonly db: Pick<Database, 'query' | 'transaction'>) {}

  async findByHash(hash: string): Promise<TokenRecord | undefined> {
    const result = await this.db.query<TokenRow>(`SELECT ${COLUMNS} FROM admin_tokens WHERE token_hash = $1`, [
      Buffer.from(hash, 'hex'),
    ]);
    const row = result.rows[0];
    return row === undefined ? undefined : tokenOf(row);
  }

  async create(record: TokenRecord, audit: AuditRecord): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.query(
        `INSERT INTO admin_tokens (public_id, label, role, token_hash, created_at, created_by, revoked_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [
          record.id,
          record.label,
          record.role,
          Buffer.from(record.hash, 'hex'),
          record.createdAt,
          record.createdBy,
          record.revokedAt,
        ],
      );
      await audited(tx, audit);
    });
  }

  /** Every token, revoked ones included, oldest first. */
  async list(): Promise<TokenRecord[]> {
    const result = await this.db.query<TokenRow>(`SELECT ${COLUMNS} FROM admin_tokens ORDER BY created_at, id`);
    return result.rows.map(tokenOf);
  }

  /** Marks the token revoked (keeping the first revocation time); undefined (and no audit row) for an unknown id. */
  async revoke(id: string, atIso: string, audit: AuditRecord): Promise<TokenRecord | undefined> {
    return this.db.transaction(async (tx) => {
      const result = await tx.query<TokenRow>(
        `UPDATE admin_tokens SET revoked_at = COALESCE(revoked_at, $2) WHERE public_id = $1 RETURNING ${COLUMNS}`,
        [id, atIso],
      );
      const row = result.rows[0];
      if (row === undefined) return undefined;
      await audited(tx, audit);
      return tokenOf(row);
    });
  }
}

/** The audit row of a change, in the change's transaction; its failure rolls the change back. */
async function audited(tx: Queryable, audit: AuditRecord): Promise<void> {
  try {
    await insertAuditRow(tx, audit);
  } catch (error) {
    throw new AuditUnavailableError(error);
  }
}

function tokenOf(row: TokenRow): TokenRecord {
  return {
    id: row.public_id,
    label: row.label,
    role: parseAdminRole(row.role),
    hash: Buffer.from(row.token_hash).toString('hex'),
    createdAt: row.created_at.toISOString(),
    createdBy: row.created_by,
    revokedAt: row.revoked_at === null ? null : row.revoked_at.toISOString(),
  };
}
