import type { Clock } from '../../runtime/index.js';
import type { TokenRecord, TokenStore } from '../ports/token-store.js';
import type { AuditRecord } from '../schemas/audit.js';
import type { Role } from '../schemas/role.js';
import { TokenSecret } from './token-secret.js';

export interface IssuedToken {
  /** The secret: shown once to whoever asked, never stored. */
  token: string;
  record: TokenRecord;
}

/**
 * Makes a new token with `role` and stores its hash, with the audit row
 * `audit` makes for it (the store refuses the token when the row cannot be
 * written). Used by `lekha token create` and by `POST /api/tokens`.
 */
export async function issueToken(
  store: TokenStore,
  request: { role: Role; label: string; createdBy: string | null },
  clock: Pick<Clock, 'now'>,
  audit: (record: TokenRecord) => AuditRecord,
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
  await store.create(record, audit(record));
  return { token, record };
}
