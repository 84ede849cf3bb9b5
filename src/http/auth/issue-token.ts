import type { Clock } from '../../runtime/index.js';
import type { TokenRecord, TokenStore } from '../ports/token-store.js';
import type { Role } from '../schemas/role.js';
import { TokenSecret } from './token-secret.js';

export interface IssuedToken {
  /** The secret: shown once to whoever asked, never stored. */
  token: string;
  record: TokenRecord;
}

/**
 * Makes a new token with `role` and stores its hash. Used by `lekha token
 * create` and by `POST /api/tokens`.
 */
export async function issueToken(
  store: TokenStore,
  request: { role: Role; label: string; createdBy: string | null },
  clock: Pick<Clock, 'now'>,
): Promise<IssuedToken> {
  const token = TokenSecret.generate();
  const record: TokenRecord = {
    id: TokenSecret.newId(),
    label: request.label,
    role: request.role,
    hash: TokenSecret.hash(token),
    createdAt: new Date(clock.now()).toISOString(),
    createdBy: request.createdBy,
    revokedAt: null,
  };
  await store.create(record);
  return { token, record };
}
