import type { AppendTable } from './append-writer.js';

/** One admin action, as recorded in `audit_log`. */
export interface AuditRow {
  /** A UUID made by the writer (`crypto.randomUUID()`), so a retried batch records nothing twice. */
  id: string;
  at: Date;
  /** Who acted: an admin token's label or a Telegram admin's id. */
  actor: string;
  role: string | null;
  action: string;
  target: string | null;
  details: Record<string, unknown>;
  ip: string | null;
}

/** `audit_log`, append-only. */
export const auditLogTable: AppendTable<AuditRow> = {
  name: 'audit_log',
  conflict: ['id'],
  columns: [
    { name: 'id', type: 'uuid', value: (r) => r.id },
    { name: 'at', type: 'timestamptz', value: (r) => r.at },
    { name: 'actor', type: 'text', value: (r) => r.actor },
    { name: 'role', type: 'text', value: (r) => r.role },
    { name: 'action', type: 'text', value: (r) => r.action },
    { name: 'target', type: 'text', value: (r) => r.target },
    { name: 'details', type: 'jsonb', value: (r) => JSON.stringify(r.details) },
    { name: 'ip', type: 'text', value: (r) => r.ip },
  ],
};
