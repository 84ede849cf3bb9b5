import { auditedChange } from '../audited-change.js';
import type { AuditLog } from '../ports/audit-log.js';
import type { TokenRecord, TokenStore } from '../ports/token-store.js';
import type { AuditRecord } from '../schemas/audit.js';

/**
 * Tokens kept in memory: for tests, and for a process that only uses
 * `ADMIN_TOKEN`. Each change's audit row goes to `audit` first.
 */
export class MemoryTokenStore implements TokenStore {
  private readonly byId = new Map<string, TokenRecord>();

  constructor(private readonly audit: AuditLog) {}

  async findByHash(hash: string): Promise<TokenRecord | undefined> {
    for (const record of this.byId.values()) if (record.hash === hash) return { ...record };
    return undefined;
  }

  async create(record: TokenRecord, audit: AuditRecord): Promise<void> {
    if (this.byId.has(record.id)) throw new Error(`token id ${record.id} already exists`);
    await auditedChange(this.audit, audit, async () => {
      this.byId.set(record.id, { ...record });
    });
  }

  async list(): Promise<TokenRecord[]> {
    return [...this.byId.values()].map((r) => ({ ...r }));
  }

  async revoke(id: string, atIso: string, audit: AuditRecord): Promise<TokenRecord | undefined> {
    const record = this.byId.get(id);
    if (record === undefined) return undefined;
    return auditedChange(this.audit, audit, async () => {
      record.revokedAt ??= atIso;
      return { ...record };
    });
  }
}
