import type { AdminSessionRecord, AdminSessionStore, AuditRecord } from '../ports/index.js';
import { parseAdminRole } from './admin-role.js';
import type { Database, Queryable } from './database.js';
import { AuditUnavailableError } from './errors.js';
import { insertAuditRow } from './postgres-audit-log.js';

interface SessionRow {
  public_id: string;
  session_hash: Uint8Array;
  method: string;
  subject: string;
  label: string;
  role: string;
  created_at: Date;
  last_seen_at: Date;
  expires_at: Date;
  revoked_at: Date | null;
  ip: string;
  user_agent: string | null;
}

const COLUMNS =
  'public_id, session_hash, method, subject, label, role, created_at, last_seen_at, expires_at, revoked_at, ip, user_agent';

/**
 * Dashboard sessions in the `admin_sessions` table, so a restart (or another
 * process on the same database) keeps admins logged in. Opening and
 * revoking write the change and its audit row in one transaction.
 */
export class PostgresSessionStore implements AdminSessionStore {
  constructor(private readonly db: Pick<Database, 'query' | 'transaction'>) {}

  async findByHash(hash: string): Promise<AdminSessionRecord | undefined> {
    const result = await this.db.query<SessionRow>(`SELECT ${COLUMNS} FROM admin_sessions WHERE session_hash = $1`, [
      Buffer.from(hash, 'hex'),
    ]);
    const row = result.rows[0];
    return row === undefined ? undefined : sessionOf(row);
  }

  async create(record: AdminSessionRecord, audit: AuditRecord): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.query(
        `INSERT INTO admin_sessions (${COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
        [
          record.id,
          Buffer.from(record.hash, 'hex'),
          record.method,
          record.subject,
          record.label,
          record.role,
          record.createdAt,
          record.lastSeenAt,
          record.expiresAt,
          record.revokedAt,
          record.ip,
          record.userAgent,
        ],
      );
      await audited(tx, audit);
    });
  }

  async touch(id: string, atIso: string): Promise<void> {
    await this.db.query(`UPDATE admin_sessions SET last_seen_at = GREATEST(last_seen_at, $2) WHERE public_id = $1`, [
      id,
      atIso,
    ]);
  }

  async list(): Promise<AdminSessionRecord[]> {
    const result = await this.db.query<SessionRow>(
      `SELECT ${COLUMNS} FROM admin_sessions ORDER BY created_at, public_id`,
    );
    return result.rows.map(sessionOf);
  }

  async revoke(id: string, atIso: string, audit: AuditRecord): Promise<AdminSessionRecord | undefined> {
    return this.db.transaction(async (tx) => {
      const result = await tx.query<SessionRow>(
        `UPDATE admin_sessions SET revoked_at = COALESCE(revoked_at, $2) WHERE public_id = $1 RETURNING ${COLUMNS}`,
        [id, atIso],
      );
      const row = result.rows[0];
      if (row === undefined) return undefined;
      await audited(tx, audit);
      return sessionOf(row);
    });
  }
}

/** The audit row of a change, in the change's transaction; its failure rolls the change back. */
export async function audited(tx: Queryable, audit: AuditRecord): Promise<void> {
  try {
    await insertAuditRow(tx, audit);
  } catch (error) {
    throw new AuditUnavailableError(error);
  }
}

function sessionOf(row: SessionRow): AdminSessionRecord {
  return {
    id: row.public_id,
    hash: Buffer.from(row.session_hash).toString('hex'),
    method: row.method === 'telegram' ? 'telegram' : 'oidc',
    subject: row.subject,
    label: row.label,
    role: parseAdminRole(row.role),
    createdAt: row.created_at.toISOString(),
    lastSeenAt: row.last_seen_at.toISOString(),
    expiresAt: row.expires_at.toISOString(),
    revokedAt: row.revoked_at === null ? null : row.revoked_at.toISOString(),
    ip: row.ip,
    userAgent: row.user_agent,
  };
}
