import type { TokenRecord, TokenStore } from '../ports/token-store.js';

/** Tokens kept in memory: for tests, and for a process that only uses `ADMIN_TOKEN`. */
export class MemoryTokenStore implements TokenStore {
  private readonly byId = new Map<string, TokenRecord>();

  async findByHash(hash: string): Promise<TokenRecord | undefined> {
    for (const record of this.byId.values()) if (record.hash === hash) return { ...record };
    return undefined;
  }

  async create(record: TokenRecord): Promise<void> {
    if (this.byId.has(record.id)) throw new Error(`token id ${record.id} already exists`);
    this.byId.set(record.id, { ...record });
  }

  async list(): Promise<TokenRecord[]> {
    return [...this.byId.values()].map((r) => ({ ...r }));
  }

  async revoke(id: string, atIso: string): Promise<TokenRecord | undefined> {
    const record = this.byId.get(id);
    if (record === undefined) return undefined;
    record.revokedAt ??= atIso;
    return { ...record };
  }
}
