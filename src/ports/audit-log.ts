import type { Identity } from './admin-identity.js';
import type { Page, PageRequest } from './page.js';

/**
 * One audited call — a change, or a read of message history, prompts or
 * exports: who, what, to which target, when, from where, and how it ended.
 */
export interface AuditEntry {
  id: number;
  /** ISO date-time. */
  at: string;
  actor: Identity;
  /** e.g. `chat.mode.set`, `token.create`, `messages.read`. */
  action: string;
  /** e.g. `chat:-100123`, `token:ab12cd`. */
  target: string;
  /** The caller's address; `local` for the `lekha token` command. */
  ip: string;
  userAgent: string | null;
  /** `requested`: written before the change, not completed (yet). */
  outcome: 'ok' | 'error' | 'requested';
  /** HTTP status of the answer; 0 while requested and for the `lekha token` command. */
  statusCode: number;
  details: Record<string, unknown>;
}

/** An audit row before the log numbers and stamps it. */
export type AuditRecord = Omit<AuditEntry, 'id'>;

/** How a call recorded as `requested` ended. */
export interface AuditResult {
  outcome: 'ok' | 'error';
  statusCode: number;
  details: Record<string, unknown>;
}

/** Which audit rows to list. */
export interface AuditFilter {
  /** A token id. */
  actor?: string | undefined;
  /** An exact action, or a prefix ending in `*`. */
  action?: string | undefined;
  target?: string | undefined;
  /** ISO date-times, inclusive. */
  from?: string | undefined;
  to?: string | undefined;
}

/**
 * The record of audited admin calls. Storage implements it on the
 * `audit_log` table; the admin API's `MemoryAuditLog` keeps it in memory. A
 * call is appended as `requested` before its change is made, then settled
 * with its outcome; rows are never removed. `query` lists newest first; an
 * `action` filter ending in `*` matches a prefix.
 */
export interface AuditLog {
  append(record: AuditRecord): Promise<AuditEntry>;
  /** Completes a row appended as `requested`; other rows are left as they are. */
  settle(id: number, result: AuditResult): Promise<void>;
  query(filter: AuditFilter, page: PageRequest): Promise<Page<AuditEntry>>;
}
