import type { Clock } from '../../runtime/index.js';
import { UnauthorizedError } from '../errors.js';
import type { TokenStore } from '../ports/token-store.js';
import type { Identity } from '../schemas/token.js';
import { TokenSecret } from './token-secret.js';

export interface TokenAuthenticatorOptions {
  store: TokenStore;
  /** `ADMIN_TOKEN`: an admin identity that exists without being stored. */
  bootstrapAdminToken?: string | undefined;
  clock: Pick<Clock, 'now'>;
  /**
   * How long a verified token is trusted without asking the store again.
   * Revocations through the API take effect at once; a revocation made by
   * another process (the CLI) within this time.
   */
  cacheMs?: number | undefined;
}

const bearer = /^Bearer ([\x21-\x7e]{16,512})$/;
const maxCached = 1024;

/** The bootstrap admin's identity in audit rows. */
export const bootstrapIdentity: Identity = { tokenId: 'bootstrap', label: 'ADMIN_TOKEN', role: 'admin' };

/**
 * Turns an Authorization header into an identity, or a 401. Verified tokens
 * are cached briefly so a dashboard polling every second, or a benchmark,
 * does not turn every request into a store lookup.
 */
export class TokenAuthenticator {
  private readonly cache = new Map<string, { identity: Identity; untilMs: number }>();
  private readonly bootstrapHash: string | undefined;
  private readonly cacheMs: number;

  constructor(private readonly options: TokenAuthenticatorOptions) {
    this.bootstrapHash =
      options.bootstrapAdminToken === undefined ? undefined : TokenSecret.hash(options.bootstrapAdminToken);
    this.cacheMs = options.cacheMs ?? 10_000;
  }

  async authenticate(authorization: string | undefined): Promise<Identity> {
    if (authorization === undefined) throw new UnauthorizedError();
    const match = bearer.exec(authorization);
    if (match === null) throw new UnauthorizedError('malformed Authorization header: expected Bearer <token>');
    const hash = TokenSecret.hash(match[1] as string);
    if (this.bootstrapHash !== undefined && TokenSecret.sameHash(hash, this.bootstrapHash)) return bootstrapIdentity;

    const now = this.options.clock.now();
    const cached = this.cache.get(hash);
    if (cached !== undefined && cached.untilMs > now) return cached.identity;

    // The lookup is keyed by the hash; comparing again in constant time keeps
    // a store that matches loosely (a prefix index, say) from leaking timing.
    const record = await this.options.store.findByHash(hash);
    if (record === undefined || !TokenSecret.sameHash(record.hash, hash) || record.revokedAt !== null) {
      this.cache.delete(hash);
      throw new UnauthorizedError('unknown or revoked token');
    }
    const identity: Identity = { tokenId: record.id, label: record.label, role: record.role };
    if (this.cache.size >= maxCached) this.cache.clear();
    this.cache.set(hash, { identity, untilMs: now + this.cacheMs });
    return identity;
  }

  /** Drops a token from the cache, so its revocation takes effect at once. */
  forget(tokenId: string): void {
    for (const [hash, entry] of this.cache) if (entry.identity.tokenId === tokenId) this.cache.delete(hash);
  }
}
