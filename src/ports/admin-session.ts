import type { AdminRole } from './admin-identity.js';
import type { AuditRecord } from './audit-log.js';

/** How a dashboard session was opened. */
export type LoginMethod = 'oidc' | 'telegram';

/**
 * A dashboard login session. The session id the browser holds (in an
 * HttpOnly cookie) is never stored: only its SHA-256, like API tokens.
 */
export interface AdminSessionRecord {
  /** A short public id, shown on the dashboard and used to revoke it (not derived from the secret). */
  id: string;
  /** Lower-case hex SHA-256 of the session secret. */
  hash: string;
  method: LoginMethod;
  /** Who logged in: `oidc:<issuer subject>` or `telegram:<user id>`. */
  subject: string;
  /** What admins read: an e-mail, a name, a Telegram @username. */
  label: string;
  role: AdminRole;
  /** ISO date-times. */
  createdAt: string;
  lastSeenAt: string;
  /** The absolute end of the session, whatever its activity. */
  expiresAt: string;
  revokedAt: string | null;
  ip: string;
  userAgent: string | null;
}

/**
 * Where dashboard sessions live, so they survive a restart: storage's
 * `admin_sessions` table, or a file under `DATA_DIR` without storage.
 * Opening and revoking come with their audit row, written with the change
 * (or first, where there is no transaction to share).
 */
export interface AdminSessionStore {
  findByHash(hash: string): Promise<AdminSessionRecord | undefined>;
  create(record: AdminSessionRecord, audit: AuditRecord): Promise<void>;
  /** Records activity, for the idle expiry; unknown ids are ignored. */
  touch(id: string, atIso: string): Promise<void>;
  /** Every session, revoked and expired ones included, oldest first. */
  list(): Promise<AdminSessionRecord[]>;
  /** Marks the session revoked (keeping the first revocation time); undefined (and no audit row) for an unknown id. */
  revoke(id: string, atIso: string, audit: AuditRecord): Promise<AdminSessionRecord | undefined>;
}

/** A Telegram user an admin allowed to log in to the dashboard with the Telegram Login Widget. */
export interface TelegramAdminGrant {
  telegramUserId: number;
  role: AdminRole;
  /** A note for admins (a name), not used to identify anyone. */
  label: string;
  /** ISO date-time. */
  grantedAt: string;
  /** Who granted it: the caller's token or session id. */
  grantedBy: string;
}

/** The roles granted to Telegram users, kept durably like tokens. Every change comes with its audit row. */
export interface TelegramAdminStore {
  find(telegramUserId: number): Promise<TelegramAdminGrant | undefined>;
  /** Every grant, by Telegram user id. */
  list(): Promise<TelegramAdminGrant[]>;
  /** Grants or changes the role of a Telegram user. */
  grant(grant: TelegramAdminGrant, audit: AuditRecord): Promise<void>;
  /** Removes the grant; undefined (and no audit row) when there was none. */
  remove(telegramUserId: number, audit: AuditRecord): Promise<TelegramAdminGrant | undefined>;
}

/**
 * One entry of `OIDC_ROLES`: who, among the users the identity provider
 * vouches for, gets which dashboard role. `email`: that exact (verified)
 * address; `domain`: any verified address at it; `claim`: a value of the
 * role claim (`OIDC_ROLE_CLAIM`, e.g. a group); `subject`: the provider's
 * user id (`sub`).
 */
export interface OidcRoleRule {
  role: AdminRole;
  match: 'email' | 'domain' | 'claim' | 'subject';
  value: string;
}
