import type { Clock } from '../../runtime/index.js';
import type { AdminSessionRecord, AdminSessionStore, LoginMethod } from '../ports/admin-session.js';
import type { AuditRecord } from '../schemas/audit.js';
import type { Role } from '../schemas/role.js';
import type { Identity } from '../schemas/token.js';
import { TokenSecret } from './token-secret.js';

export interface SessionManagerOptions {
  store: AdminSessionStore;
  clock: Pick<Clock, 'now'>;
  idleMs: number;
  maxAgeMs: number;
  /** Activity is written to the store at most this often per session (default one minute). */
  touchEveryMs?: number;
}

/** Who a login established, before the session exists. */
export interface LoginSubject {
  method: LoginMethod;
  subject: string;
  label: string;
  role: Role;
}

/** The identity a session's calls carry in audit rows: `session:<id>` and the person's label. */
export function sessionIdentity(record: Pick<AdminSessionRecord, 'id' | 'label' | 'role'>): Identity {
  return { tokenId: `session:${record.id}`, label: record.label, role: record.role };
}

/**
 * Opens and checks dashboard sessions. The secret (256 random bits) goes
 * to the browser once, in the cookie; the store keeps only its SHA-256. A
 * session ends when revoked, after `idleMs` without a request, or
 * `maxAgeMs` after login. Activity is written at most once per
 * `touchEveryMs`, so idle expiry is exact to within that.
 */
export class SessionManager {
  private readonly touchEveryMs: number;

  constructor(private readonly options: SessionManagerOptions) {
    this.touchEveryMs = options.touchEveryMs ?? 60_000;
  }

  get maxAgeMs(): number {
    return this.options.maxAgeMs;
  }

  async open(
    who: LoginSubject,
    from: { ip: string; userAgent: string | null },
    audit: (record: AdminSessionRecord) => AuditRecord,
  ): Promise<{ secret: string; record: AdminSessionRecord }> {
    const secret = TokenSecret.generate();
    const now = this.options.clock.now();
    const nowIso = new Date(now).toISOString();
    const record: AdminSessionRecord = {
      id: TokenSecret.newId(),
      hash: TokenSecret.hash(secret),
      ...who,
      createdAt: nowIso,
      lastSeenAt: nowIso,
      expiresAt: new Date(now + this.options.maxAgeMs).toISOString(),
      revokedAt: null,
      ip: from.ip,
      userAgent: from.userAgent,
    };
    await this.options.store.create(record, audit(record));
    return { secret, record };
  }

  /** The live session whose secret this is, or undefined (unknown, revoked, idle too long, too old). */
  async authenticate(secret: string): Promise<AdminSessionRecord | undefined> {
    if (!/^[\x21-\x7e]{16,512}$/.test(secret)) return undefined;
    const hash = TokenSecret.hash(secret);
    const record = await this.options.store.findByHash(hash);
    if (record === undefined || !TokenSecret.sameHash(record.hash, hash) || !this.isLive(record)) return undefined;
    const now = this.options.clock.now();
    if (now - Date.parse(record.lastSeenAt) >= this.touchEveryMs) {
      const at = new Date(now).toISOString();
      await this.options.store.touch(record.id, at);
      record.lastSeenAt = at;
    }
    return record;
  }

  /** Not revoked, not idle for `idleMs`, not older than its absolute expiry. */
  isLive(record: AdminSessionRecord): boolean {
    const now = this.options.clock.now();
    return (
      record.revokedAt === null &&
      now < Date.parse(record.expiresAt) &&
      now - Date.parse(record.lastSeenAt) < this.options.idleMs
    );
  }
}
