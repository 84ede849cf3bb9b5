import type { AuditRecord, TelegramAdminGrant, TelegramAdminStore } from '../ports/index.js';
import { parseAdminRole } from './admin-role.js';
import type { Database } from './database.js';
import { audited } from './postgres-session-store.js';

interface GrantRow {
  telegram_user_id: string | number;
  role: string;
  label: string;
  granted_at: Date;
  granted_by: string;
}

const COLUMNS = 'telegram_user_id, role, label, granted_at, granted_by';

/** Telegram users' dashboard roles in the `telegram_admins` table; each change with its audit row in one transaction. */
export class PostgresTelegramAdminStore implements TelegramAdminStore {
  constructor(private readonly db: Pick<Database, 'query' | 'transaction'>) {}

  async find(telegramUserId: number): Promise<TelegramAdminGrant | undefined> {
    const result = await this.db.query<GrantRow>(`SELECT ${COLUMNS} FROM telegram_admins WHERE telegram_user_id = $1`, [
      telegramUserId,
    ]);
    const row = result.rows[0];
    return row === undefined ? undefined : grantOf(row);
  }

  async list(): Promise<TelegramAdminGrant[]> {
    const result = await this.db.query<GrantRow>(`SELECT ${COLUMNS} FROM telegram_admins ORDER BY telegram_user_id`);
    return result.rows.map(grantOf);
  }

  async grant(grant: TelegramAdminGrant, audit: AuditRecord): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.query(
        `INSERT INTO telegram_admins (${COLUMNS}) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (telegram_user_id) DO UPDATE SET role = EXCLUDED.role, label = EXCLUDED.label,
           granted_at = EXCLUDED.granted_at, granted_by = EXCLUDED.granted_by`,
        [grant.telegramUserId, grant.role, grant.label, grant.grantedAt, grant.grantedBy],
      );
      await audited(tx, audit);
    });
  }

  async remove(telegramUserId: number, audit: AuditRecord): Promise<TelegramAdminGrant | undefined> {
    return this.db.transaction(async (tx) => {
      const result = await tx.query<GrantRow>(
        `DELETE FROM telegram_admins WHERE telegram_user_id = $1 RETURNING ${COLUMNS}`,
        [telegramUserId],
      );
      const row = result.rows[0];
      if (row === undefined) return undefined;
      await audited(tx, audit);
      return grantOf(row);
    });
  }
}

function grantOf(row: GrantRow): TelegramAdminGrant {
  return {
    telegramUserId: Number(row.telegram_user_id),
    role: parseAdminRole(row.role),
    label: row.label,
    grantedAt: row.granted_at.toISOString(),
    grantedBy: row.granted_by,
  };
}
