import { randomUUID } from 'node:crypto';
import type { AuditEntry, AuditFilter, AuditLog, AuditRecord, AuditResult, Page, PageRequest } from '../ports/index.js';
import { parseAdminRole } from './admin-role.js';
import { KeysetCursor, keysetPage } from '../runtime/index.js';
import type { Queryable } from './database.js';
import { InvalidCursorError } from './errors.js';

interface AuditLogRow {
  seq: number;
  at: Date;
  actor: string;
  actor_label: string | null;
  role: string | null;
  action: string;
  target: string | null;
  ip: string | null;
  user_agent: string | null;
  outcome: string;
  status_code: number | null;
  details: Record<string, unknown>;
}

/**
 * Writes one audit row with `db` — the log's own connection, or the
 * transaction of the change the row describes — and answers its number.
 */
export async function insertAuditRow(db: Queryable, record: AuditRecord): Promise<number> {
  const result = await db.query<{ seq: number }>(
    `INSERT INTO audit_log (id, at, actor, actor_label, role, action, target, details, ip, user_agent, outcome, status_code)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING seq`,
    [
      randomUUID(),
      record.at,
      record.actor.tokenId,
      record.actor.label,
      record.actor.role,
      record.action,
      record.target,
      JSON.stringify(record.details),
      record.ip,
      record.userAgent,
      record.outcome,
      record.statusCode,
    ],
  );
  return (result.rows[0] as { seq: number }).seq;
}

/**
 * The admin audit log on the `audit_log` table. `append` writes at once
 * rather than through the batched append writer: admin calls are rare, and
 * the caller gets the stored row back (its number) before answering.
 * Listing is newest first by the row's sequence, a stable keyset cursor.
 * Changes stored in the database write their row in the change's own
 * transaction (`insertAuditRow`); others append a `requested` row first and
 * `settle` it once the outcome is known.
 */
export class PostgresAuditLog implements AuditLog {
  constructor(private readonly db: Queryable) {}

  async append(record: AuditRecord): Promise<AuditEntry> {
    return { id: await insertAuditRow(this.db, record), ...record };
  }

  /** Completes a `requested` row with the outcome; a row already completed is left as it is. */
  async settle(id: number, result: AuditResult): Promise<void> {
    await this.db.query(
      `UPDATE audit_log SET outcome = $2, status_code = $3, details = $4 WHERE seq = $1 AND outcome = 'requested'`,
      [id, result.outcome, result.statusCode, JSON.stringify(result.details)],
    );
  }

  /** Newest first; an `action` ending in `*` matches a prefix. */
  async query(filter: AuditFilter, page: PageRequest): Promise<Page<AuditEntry>> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: (p: string) => string, value: unknown): void => {
      params.push(value);
      where.push(sql(`$${params.length}`));
    };
    if (page.cursor !== undefined)
      add((p) => `seq < ${p}`, KeysetCursor.decode(page.cursor, ['number'], InvalidCursorError)[0]);
    if (filter.actor !== undefined) add((p) => `actor = ${p}`, filter.actor);
    if (filter.target !== undefined) add((p) => `target = ${p}`, filter.target);
    if (filter.from !== undefined) add((p) => `at >= ${p}`, filter.from);
    if (filter.to !== undefined) add((p) => `at <= ${p}`, filter.to);
    const action = filter.action;
    if (action !== undefined) {
      if (action.endsWith('*')) add((p) => `starts_with(action, ${p})`, action.slice(0, -1));
      else add((p) => `action = ${p}`, action);
    }
    params.push(page.limit + 1);
    const result = await this.db.query<AuditLogRow>(
      `SELECT seq, at, actor, actor_label, role, action, target, ip, user_agent, outcome, status_code, details
       FROM audit_log ${where.length === 0 ? '' : `WHERE ${where.join(' AND ')}`} ORDER BY seq DESC LIMIT $${params.length}`,
      params,
    );
    return keysetPage(result.rows, page.limit, entryOf, (row) => [row.seq]);
  }
}

function entryOf(row: AuditLogRow): AuditEntry {
  return {
    id: row.seq,
    at: row.at.toISOString(),
    actor: { tokenId: row.actor, label: row.actor_label ?? row.actor, role: parseAdminRole(row.role ?? 'viewer') },
    action: row.action,
    target: row.target ?? '',
    ip: row.ip ?? '',
    userAgent: row.user_agent,
    outcome: row.outcome === 'error' || row.outcome === 'requested' ? row.outcome : 'ok',
    statusCode: row.status_code ?? 0,
    details: row.details,
  };
}
